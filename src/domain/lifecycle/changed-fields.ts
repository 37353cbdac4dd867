import { isDeepStrictEqual } from 'node:util'

/** Never stored in the audit log with their values: secrets and national identifiers (design.md: privacy). */
const REDACTED = new Set(['password', 'bsn', 'cpr', 'hetu', 'kvnr', 'nationalId', 'nationalIdentifier'])
/** Bookkeeping, not a change anyone made. */
const IGNORED = new Set(['meta', 'schemas', 'groups'])

/**
 * The attributes that differ between two representations, `{ name: { from, to } }`; attributes of an
 * extension are listed one level down (`urn:…:User:bigNumber`), as SCIM paths name them.
 */
export function changedFields (before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Record<string, unknown> {
  const changes: Record<string, unknown> = {}
  collect(before ?? {}, after ?? {}, '', changes)
  return changes
}

function collect (before: Record<string, unknown>, after: Record<string, unknown>, prefix: string, changes: Record<string, unknown>): void {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (IGNORED.has(key)) continue
    const from = before[key]
    const to = after[key]
    if (isDeepStrictEqual(from, to)) continue
    if (key.startsWith('urn:') && isObject(from ?? {}) && isObject(to ?? {})) {
      collect((from ?? {}) as Record<string, unknown>, (to ?? {}) as Record<string, unknown>, `${key}:`, changes)
      continue
    }
    changes[prefix + key] = REDACTED.has(key) ? { changed: true } : { from: from ?? null, to: to ?? null }
  }
}

function isObject (value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
