/**
 * Group membership changes, taken out of a PATCH so that the caller can apply them as set
 * operations in storage: a group may hold 50,000 members and is never loaded whole.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 (member examples in §3.5.2.1–3)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 (Group "members")
 *
 * Changes are declarative and must be applied in order; they touch only `members`, so they commute
 * with the other operations. Removing an id that is not a member, or
 * adding one that already is, changes nothing and is not an error: clients retry, and checking
 * would mean loading the members this module exists to avoid.
 */
import { invalidFilter, invalidPath, invalidValue, mutability } from '../errors.js'
import type { Filter, PatchPath } from '../filter/ast.js'
import { SCHEMA_URN } from '../schema/types.js'
import { getAttribute, isObject, type JsonObject, sameName } from './json.js'
import type { PatchOperation } from './operations.js'

export type MemberChange =
  | { kind: 'add', ids: string[] }
  | { kind: 'remove', ids: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replaceAll', ids: string[] }

export interface SplitOperations {
  memberChanges: MemberChange[]
  /** Everything else, in order, for applyPatch on the representation without members. */
  otherOperations: PatchOperation[]
}

const QUALIFIED_MEMBERS = `${SCHEMA_URN.group}:members`

export function splitMemberOperations (operations: PatchOperation[]): SplitOperations {
  const memberChanges: MemberChange[] = []
  const otherOperations: PatchOperation[] = []
  for (const operation of operations) {
    if (operation.path === undefined) {
      splitResourceValue(operation, memberChanges, otherOperations)
    } else if (isMembersPath(operation.path)) {
      const change = pathChange(operation, operation.path)
      if (change !== undefined) memberChanges.push(change)
    } else {
      otherOperations.push(operation)
    }
  }
  return { memberChanges, otherOperations }
}

/** No-path add/replace: `{"op":"replace","value":{"displayName":"x","members":[…]}}`. */
function splitResourceValue (operation: PatchOperation, changes: MemberChange[], others: PatchOperation[]): void {
  if (!isObject(operation.value)) {
    others.push(operation)
    return
  }
  const rest: JsonObject = {}
  let members: unknown
  let found = false
  for (const [key, value] of Object.entries(operation.value)) {
    if (sameName(key, 'members') || sameName(key, QUALIFIED_MEMBERS)) {
      members = value
      found = true
    } else {
      rest[key] = value
    }
  }
  if (!found) {
    others.push(operation)
    return
  }
  const change = operation.op === 'replace'
    ? { kind: 'replaceAll' as const, ids: memberIds(members) }
    : { kind: 'add' as const, ids: memberIds(members) }
  if (change.kind === 'replaceAll' || change.ids.length > 0) changes.push(change)
  if (Object.keys(rest).length > 0) others.push({ ...operation, value: rest })
}

function pathChange (operation: PatchOperation, path: PatchPath): MemberChange | undefined {
  if (path.subAttribute !== undefined) {
    // RFC 7643 §8.7.1: a member's value, $ref and type are immutable; members come and go whole.
    throw mutability(`Sub-attribute "members.${path.subAttribute}" cannot be modified; add or remove the member instead`)
  }
  if (path.filter !== undefined) {
    if (operation.op !== 'remove') {
      throw invalidPath(`A filter on "members" is supported for "remove" only; use "add" or "replace" on "members"`)
    }
    const ids = valueEqualityIds(path.filter)
    // RFC 7644 §3.12 invalidFilter: "the specified attribute and filter comparison combination is
    // not supported" (listed for PATCH path filters). Anything but `value eq` would need the members.
    if (ids === undefined) throw invalidFilter('A "members" filter must be `value eq "id"`, optionally joined with `or`')
    return { kind: 'remove', ids }
  }
  switch (operation.op) {
    case 'add': {
      const ids = memberIds(operation.value)
      return ids.length > 0 ? { kind: 'add', ids } : undefined
    }
    case 'replace':
      // RFC 7644 §3.5.2.3: replace without a filter replaces all values.
      return { kind: 'replaceAll', ids: memberIds(operation.value) }
    case 'remove': {
      // RFC 7644 §3.5.2.2: without a value the whole attribute goes. With a value list — Microsoft
      // Entra ID's default `{"op":"Remove","path":"members","value":[{"value":"id1"}]}` — only the
      // listed members go; servers that empty the group here are a well-known failure.
      if (operation.value === undefined || operation.value === null) return { kind: 'removeAll' }
      const ids = memberIds(operation.value)
      return ids.length > 0 ? { kind: 'remove', ids } : undefined
    }
  }
}

function isMembersPath (path: PatchPath): boolean {
  return sameName(path.attribute, 'members') && (path.uri === undefined || sameName(path.uri, SCHEMA_URN.group))
}

/** Ids from `[{"value":"id"}]`, a single `{"value":"id"}`, or bare `["id"]`; null means none. */
function memberIds (value: unknown): string[] {
  if (value === undefined || value === null) return []
  const items = Array.isArray(value) ? value : [value]
  const ids = new Set<string>()
  for (const item of items) {
    // Some clients send bare ids (`"value": ["id"]`) instead of `{"value": "id"}` objects.
    const id = isObject(item) ? getAttribute(item, 'value') : item
    if (typeof id !== 'string' || id === '') {
      throw invalidValue('Each value of "members" must be an object with a non-empty string "value" (the member id)')
    }
    ids.add(id)
  }
  return [...ids]
}

/** `value eq "a"` or `value eq "a" or value eq "b"`: the ids; undefined for any other filter. */
function valueEqualityIds (filter: Filter): string[] | undefined {
  if (filter.kind === 'compare') {
    const { path, op, value } = filter
    const onValue = path.uri === undefined && path.subAttribute === undefined && sameName(path.attribute, 'value')
    return onValue && op === 'eq' && typeof value === 'string' ? [value] : undefined
  }
  if (filter.kind !== 'or') return undefined
  const ids: string[] = []
  for (const part of filter.filters) {
    const more = valueEqualityIds(part)
    if (more === undefined) return undefined
    ids.push(...more)
  }
  return [...new Set(ids)]
}

/** The outcome of member changes applied in order: what one statement has to write. */
export interface NetMemberChange {
  /** Remove every member not in `present` (a removeAll or replaceAll came first). */
  clearOthers: boolean
  present: string[]
  absent: string[]
}

/** The last operation on an id wins; a removeAll or replaceAll discards everything before it. */
export function netMemberChanges (changes: MemberChange[]): NetMemberChange {
  let clearOthers = false
  const state = new Map<string, boolean>()
  for (const change of changes) {
    if (change.kind === 'removeAll' || change.kind === 'replaceAll') {
      clearOthers = true
      state.clear()
    }
    if (change.kind === 'add' || change.kind === 'replaceAll') for (const id of change.ids) state.set(id.toLowerCase(), true)
    if (change.kind === 'remove') for (const id of change.ids) state.set(id.toLowerCase(), false)
  }
  const present = [...state].filter(([, member]) => member).map(([id]) => id)
  const absent = clearOthers ? [] : [...state].filter(([, member]) => !member).map(([id]) => id)
  return { clearOthers, present, absent }
}
