/**
 * Small JSON helpers for the PATCH engine: representations are plain JSON, so these stay tiny.
 */
export type JsonObject = Record<string, unknown>

export function isObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * RFC 7643 §2.5: unassigned, `null` and `[]` are equivalent in state; an empty complex value is
 * treated the same way so that removing its last sub-attribute leaves nothing behind.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.5
 */
export function isUnassigned (value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (Array.isArray(value)) return value.length === 0
  return isObject(value) && Object.keys(value).length === 0
}

/** Key-order-insensitive structural equality. */
export function deepEqual (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every(key => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
  }
  return false
}

/** RFC 7643 §2.1: attribute names are case insensitive; returns the key as stored, if any. */
export function findKey (object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name
  const lower = name.toLowerCase()
  return Object.keys(object).find(key => key.toLowerCase() === lower)
}

export function getAttribute (object: JsonObject, name: string): unknown {
  const key = findKey(object, name)
  return key === undefined ? undefined : object[key]
}

/** Writes under the canonical name, dropping any differently-cased twin the client left behind. */
export function setAttribute (object: JsonObject, name: string, value: unknown): void {
  deleteAttribute(object, name)
  object[name] = value
}

export function deleteAttribute (object: JsonObject, name: string): void {
  const lower = name.toLowerCase()
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) delete object[key]
  }
}

export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
