/**
 * Shared shapes and small helpers for the identifier validators.
 *
 * Problem texts name the rule and positions (1-based) but never echo the whole value: they travel into SCIM
 * error details and logs, and several of these numbers are national identifiers.
 */

export type IdentifierKind =
  | 'agbCode' | 'bigNumber' | 'uziNumber'
  | 'lanr' | 'bsnr' | 'efn' | 'telematikId'
  | 'dkAuthorisationId' | 'terhikkiNumber'
  | 'bsn' | 'cpr' | 'hetu' | 'kvnr'

export interface IdentifierCheck {
  /** false → the caller rejects with 400 invalidValue. */
  valid: boolean
  /** Why it is invalid, naming the rule, e.g. 'LANR check digit: expected 3 at position 7, found 5'. */
  problem?: string
  /** Accepted but suspicious (e.g. BIG's unofficial check fails): the caller logs it. */
  warning?: string
  /** Canonical form to store; set whenever `valid` is true. */
  normalized?: string
}

export const invalid = (problem: string): IdentifierCheck => ({ valid: false, problem })
export const accepted = (normalized: string, warning?: string): IdentifierCheck =>
  warning === undefined ? { valid: true, normalized } : { valid: true, normalized, warning }

/** The value with surrounding whitespace removed, or a problem when it is not a string at all. */
export function trimmed (label: string, value: unknown): string | IdentifierCheck {
  if (typeof value !== 'string') return invalid(`${label} format: expected a string, found ${value === null ? 'null' : typeof value}`)
  const text = value.trim()
  return text === '' ? invalid(`${label} format: empty`) : text
}

/** How a problem names a character: printable ones quoted, others by code point (no control bytes in logs). */
export function describeCharacter (c: string): string {
  const code = c.codePointAt(0) as number
  return code > 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

interface DigitsOptions {
  /** How the problem states the expected shape; `${length} digits` unless told. */
  expected?: string
  /** Characters before `text` in the identifier, so positions and counts refer to the whole value. */
  offset?: number
}

/** undefined when `text` is exactly `length` ASCII digits, else the problem. */
export function digitsProblem (label: string, text: string, length: number, options: DigitsOptions = {}): string | undefined {
  const { expected = `${length} digits`, offset = 0 } = options
  const chars = Array.from(text)
  const bad = chars.findIndex(c => c < '0' || c > '9')
  if (bad >= 0) return `${label} format: expected ${expected}, found ${describeCharacter(chars[bad] as string)} at position ${offset + bad + 1}`
  if (chars.length !== length) return `${label} format: expected ${expected}, found ${offset + chars.length} characters`
  return undefined
}

/** A fixed-length, digits-only identifier without a check digit. */
export function checkDigitsOnly (label: string, length: number, value: unknown): IdentifierCheck {
  const text = trimmed(label, value)
  if (typeof text !== 'string') return text
  const problem = digitsProblem(label, text, length)
  return problem === undefined ? accepted(text) : invalid(problem)
}

/** `rule` names the check, e.g. 'LANR check digit' or 'EFN Luhn check digit'. */
export const checkDigitProblem = (rule: string, expected: number | string, position: number, found: string) =>
  `${rule}: expected ${expected} at position ${position}, found ${found}`
