/**
 * Type-checks a PATCH value against its attribute definition and returns it normalised
 * (canonical sub-attribute names, coerced booleans, nulls dropped).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3 (data types)
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12 (invalidValue)
 *
 * Values are checked here, per attribute, rather than by re-validating the whole patched
 * representation: the errors then name the operation's own attribute, and a PATCH never fails
 * because of an unrelated stored value.
 */
import { invalidValue } from '../errors.js'
import type { AttributeDefinition } from '../schema/types.js'
import { isObject, type JsonObject, sameName } from './json.js'

// xsd:dateTime as RFC 7643 §2.3.5 requires; the offset is optional there.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const DEFAULT_SUB_ATTRIBUTES = new Set(['type', 'primary', 'display', 'value', '$ref'])

export function findSubAttribute (attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return attribute.subAttributes?.find(sub => sameName(sub.name, name))
}

/** A whole value of `attribute`: an array for multi-valued attributes (a lone element is wrapped). */
export function coerceValue (attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (!attribute.multiValued) return coerceSingle(attribute, value, label)
  const items = Array.isArray(value) ? value : [value]
  return items.map(item => coerceSingle(attribute, item, label))
}

/**
 * One value (or one element of a multi-valued attribute). With `keepNulls`, a complex value keeps
 * its null sub-attributes, for merges where null means "unassign this one" (RFC 7643 §2.5).
 */
export function coerceSingle (attribute: AttributeDefinition, value: unknown, label: string, keepNulls = false): unknown {
  if (value === null || value === undefined) throw invalidValue(`Attribute "${label}" cannot hold a null element`)
  switch (attribute.type) {
    case 'complex': return coerceComplex(attribute, value, label, keepNulls)
    case 'boolean': return coerceBoolean(value, label)
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value
      throw invalidValue(`Attribute "${label}" must be an integer`)
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      throw invalidValue(`Attribute "${label}" must be a decimal number`)
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value
      throw invalidValue(`Attribute "${label}" must be an xsd:dateTime string`)
    case 'binary':
      if (typeof value === 'string' && BASE64.test(value)) return value
      throw invalidValue(`Attribute "${label}" must be a base64 string`)
    default:
      if (typeof value === 'string') return value
      throw invalidValue(`Attribute "${label}" must be a string`)
  }
}

function coerceBoolean (value: unknown, label: string): boolean {
  if (typeof value === 'boolean') return value
  // Microsoft Entra ID sends "True"/"False" (documented SCIM compliance issue, fixed only behind
  // the aadOptscim062020 flag), so strings spelling a boolean are accepted.
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  throw invalidValue(`Attribute "${label}" must be a boolean`)
}

function coerceComplex (attribute: AttributeDefinition, value: unknown, label: string, keepNulls: boolean): JsonObject {
  // Entra ID's tutorial (example 5) adds the single-valued manager as a one-element array.
  if (!attribute.multiValued && Array.isArray(value) && value.length === 1) return coerceComplex(attribute, value[0], label, keepNulls)
  if (!isObject(value)) {
    // Entra ID sends the enterprise `manager` as a bare id, and some clients send group members
    // as bare ids; a primitive is read as the complex value's "value" sub-attribute.
    const valueSub = findSubAttribute(attribute, 'value')
    if (valueSub !== undefined && !Array.isArray(value)) {
      return { [valueSub.name]: coerceSingle(valueSub, value, `${label}.${valueSub.name}`) }
    }
    throw invalidValue(`Attribute "${label}" must be a complex value (a JSON object)`)
  }
  const result: JsonObject = {}
  for (const [key, item] of Object.entries(value)) {
    const sub = findSubAttribute(attribute, key)
    if (sub === undefined) {
      // RFC 7643 §2.4 names default sub-attributes of multi-valued attributes (type, primary,
      // display, value, $ref); clients send them even where the schema leaves them out — the
      // RFC 7644 §3.5.2.1 example adds a member with "display" — so they are ignored, not refused.
      if (attribute.multiValued && DEFAULT_SUB_ATTRIBUTES.has(key.toLowerCase())) continue
      throw invalidValue(`Attribute "${label}" has no sub-attribute "${key}"`)
    }
    // Read-only sub-attributes are ignored, as RFC 7644 §3.5.1 prescribes for PUT: clients echo
    // them (the manager's displayName) without meaning to write them.
    if (sub.mutability === 'readOnly') continue
    if (item === null) {
      if (keepNulls) result[sub.name] = null
      continue
    }
    const coerced = sub.multiValued
      ? coerceValue(sub, item, `${label}.${sub.name}`)
      : coerceSingle(sub, item, `${label}.${sub.name}`)
    result[sub.name] = coerced
  }
  return result
}
