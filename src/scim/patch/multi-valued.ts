/**
 * Operations on the elements of a multi-valued attribute: value filters, appends without
 * duplicates, removal by listed values, and the single-primary rule.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.4
 */
import { invalidPath, invalidValue, noTarget } from '../errors.js'
import type { AttributePath, Filter } from '../filter/ast.js'
import { evaluateFilter, formatFilter } from '../filter/index.js'
import type { AttributeDefinition } from '../schema/types.js'
import { guardWrite } from './guards.js'
import { deepEqual, findKey, getAttribute, isObject, isUnassigned, type JsonObject } from './json.js'
import type { PatchOpName } from './operations.js'
import type { AttributeTarget } from './target.js'
import { coerceSingle, coerceValue, findSubAttribute } from './values.js'

/**
 * add/replace/remove through `attr[filter]`, `attr[filter].sub` or `attr.sub` (every element).
 * Returns the new element list; `current` is not modified.
 */
export function applyToElements (op: PatchOpName, target: AttributeTarget, current: unknown, value: unknown): JsonObject[] {
  const { attribute, filter, subAttribute } = target
  const elements = asElements(current)
  let selected = elements.filter(element => filter === undefined || evaluateFilter(filter, element, describeSub(attribute)))
  const unassign = op === 'remove' || value === null
  if (selected.length === 0) {
    if (filter === undefined && unassign) return elements
    const created = unassign || filter === undefined ? undefined : elementFromEquality(attribute, filter)
    // RFC 7644 §3.5.2.3 (replace) and §3.12 (noTarget: "a filter that yields no match"); §3.5.2.2
    // names no exception for remove, so an unmatched remove is noTarget as well.
    if (created === undefined) {
      const selector = filter === undefined ? 'exists' : `matches the filter [${formatFilter(filter)}]`
      throw noTarget(`No value of "${attribute.name}" ${selector}`)
    }
    // Microsoft Entra ID sends `add`/`replace` to `emails[type eq "work"].value` (or
    // `addresses[type eq "work"].formatted`) when the user has no such element yet, expecting it
    // to be created; a plain `eq` conjunction describes that element unambiguously.
    elements.push(created)
    selected = [created]
  }
  if (unassign) return unassignSelected(target, elements, selected)
  for (const element of selected) {
    if (subAttribute === undefined) {
      // RFC 7644 §3.5.2.3: on a complex target, unspecified sub-attributes are left unchanged.
      const patch = coerceSingle(attribute, value, target.label, true) as JsonObject
      for (const [name, item] of Object.entries(patch)) setSub(attribute, element, name, item)
    } else {
      const sub = subAttribute
      const next = sub.multiValued ? coerceValue(sub, value, target.label) : coerceSingle(sub, value, target.label)
      setSub(attribute, element, sub.name, next)
    }
  }
  return enforceSinglePrimary(elements, selected, attribute.name)
}

/**
 * `add` to a multi-valued attribute: appends, leaving out values already present.
 * An element with the same (type, value) pair as an existing one is merged into it instead
 * (RFC 7643 §2.4: the same combination SHOULD NOT appear twice).
 */
export function appendElements (attribute: AttributeDefinition, current: unknown, additions: unknown[]): unknown[] {
  const result = Array.isArray(current) ? structuredClone(current) : []
  const touched: JsonObject[] = []
  for (const addition of additions) {
    if (result.some(existing => deepEqual(existing, addition))) continue
    const twin = isObject(addition) ? result.find(existing => sameTypeAndValue(existing, addition)) : undefined
    if (isObject(twin)) {
      Object.assign(twin, addition)
      touched.push(twin)
    } else {
      result.push(addition)
      if (isObject(addition)) touched.push(addition)
    }
  }
  if (attribute.type !== 'complex') return result
  return enforceSinglePrimary(result as JsonObject[], touched, attribute.name)
}

/** `replace` of a whole multi-valued attribute: the new list may hold at most one primary. */
export function checkSinglePrimary (attribute: AttributeDefinition, elements: unknown[]): void {
  if (attribute.type !== 'complex') return
  enforceSinglePrimary(elements as JsonObject[], elements as JsonObject[], attribute.name)
}

/**
 * `remove` with a value list and no filter. Microsoft Entra ID's default group shape is
 * `{"op":"Remove","path":"members","value":[{"value":"id1"}]}`: only the listed members go.
 * Servers that read this as "remove the attribute" empty the whole group — a well-known failure.
 * Elements match on their "value" sub-attribute when one is given, else on every given
 * sub-attribute. Listed values that are absent are ignored: the requested state already holds.
 */
export function removeListed (attribute: AttributeDefinition, current: unknown, value: unknown, label: string): unknown[] {
  const listed = coerceValue(attribute, value, label) as unknown[]
  const elements = Array.isArray(current) ? current : []
  return elements.filter(element => !listed.some(item => matchesListed(element, item)))
}

function matchesListed (element: unknown, item: unknown): boolean {
  if (!isObject(item) || !isObject(element)) return deepEqual(element, item)
  const key = Object.hasOwn(item, 'value') ? ['value'] : Object.keys(item)
  return key.length > 0 && key.every(name => deepEqual(getAttribute(element, name), item[name]))
}

function unassignSelected (target: AttributeTarget, elements: JsonObject[], selected: JsonObject[]): JsonObject[] {
  const sub = target.subAttribute
  if (sub === undefined) return elements.filter(element => !selected.includes(element))
  for (const element of selected) setSub(target.attribute, element, sub.name, undefined)
  // RFC 7644 §3.5.2.2: an element left without sub-attributes is gone.
  return elements.filter(element => !isUnassigned(element))
}

function setSub (attribute: AttributeDefinition, element: JsonObject, name: string, next: unknown): void {
  const sub = findSubAttribute(attribute, name)
  if (sub === undefined) throw invalidPath(`Attribute "${attribute.name}" has no sub-attribute "${name}"`)
  const key = findKey(element, name)
  const current = key === undefined ? undefined : element[key]
  if (guardWrite(sub, current, next, `${attribute.name}.${sub.name}`) === 'same') return
  if (key !== undefined) delete element[key]
  if (!isUnassigned(next)) element[sub.name] = next
}

/** RFC 7644 §3.5.2: setting one value's primary to true sets it false on all the others. */
function enforceSinglePrimary (elements: JsonObject[], touched: JsonObject[], name: string): JsonObject[] {
  const primaries = touched.filter(element => getAttribute(element, 'primary') === true)
  if (primaries.length > 1) {
    // @see https://www.rfc-editor.org/rfc/rfc7643#section-2.4 ("true" MUST appear no more than once)
    throw invalidValue(`Attribute "${name}" can have only one value with "primary" true`)
  }
  if (primaries.length === 1) {
    for (const element of elements) {
      if (element !== primaries[0] && getAttribute(element, 'primary') === true) element.primary = false
    }
  }
  return elements
}

/** Element to create for an unmatched `a eq x and b eq y` filter; undefined for any other filter. */
function elementFromEquality (attribute: AttributeDefinition, filter: Filter): JsonObject | undefined {
  const pairs = equalityPairs(filter)
  if (pairs === undefined) return undefined
  const element: JsonObject = {}
  for (const [name, value] of pairs) {
    const sub = findSubAttribute(attribute, name)
    if (sub === undefined) throw invalidPath(`Attribute "${attribute.name}" has no sub-attribute "${name}"`)
    element[sub.name] = coerceSingle(sub, value, `${attribute.name}.${sub.name}`)
  }
  return element
}

function equalityPairs (filter: Filter): Array<[string, unknown]> | undefined {
  if (filter.kind === 'compare') {
    const plain = filter.op === 'eq' && filter.value !== null && filter.path.uri === undefined && filter.path.subAttribute === undefined
    return plain ? [[filter.path.attribute, filter.value]] : undefined
  }
  if (filter.kind !== 'and') return undefined
  const pairs: Array<[string, unknown]> = []
  for (const part of filter.filters) {
    const more = equalityPairs(part)
    if (more === undefined) return undefined
    pairs.push(...more)
  }
  return pairs
}

function sameTypeAndValue (existing: unknown, addition: JsonObject): boolean {
  if (!isObject(existing) || !Object.hasOwn(addition, 'value')) return false
  return deepEqual(getAttribute(existing, 'value'), addition.value) && deepEqual(getAttribute(existing, 'type'), addition.type)
}

function asElements (current: unknown): JsonObject[] {
  if (current === undefined || current === null) return []
  // A stored representation is ours: a malformed one is a server fault (500), not the client's.
  if (!Array.isArray(current) || !current.every(isObject)) throw new Error('Stored multi-valued complex attribute is not a list of objects')
  return structuredClone(current)
}

/** Paths inside a value filter name sub-attributes of the filtered attribute. */
export function describeSub (attribute: AttributeDefinition) {
  return (path: AttributePath): AttributeDefinition | undefined =>
    path.subAttribute === undefined ? findSubAttribute(attribute, path.attribute) : undefined
}
