import { createHmac } from 'node:crypto'

export type NationalIdKind = 'bsn' | 'cpr' | 'hetu' | 'kvnr'
export const NATIONAL_ID_KINDS: readonly NationalIdKind[] = ['bsn', 'cpr', 'hetu', 'kvnr']

/**
 * The keyed hash national identifiers are matched by (domain.md: a plain hash of a 9-digit space is
 * brute-forced in seconds). The kind is part of the input: the same digits of two countries differ.
 */
export function nationalIdHash (hmacKey: string, kind: NationalIdKind, normalized: string): string {
  return createHmac('sha256', hmacKey).update(`${kind}:${normalized}`).digest('hex')
}
