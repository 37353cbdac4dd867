/**
 * Turns a client's User or Group representation (POST, PUT) into the normalised form the domain
 * stores: canonical attribute names, readOnly and unassigned values gone, types checked.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3 (create)
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1 (replace)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2 (attribute characteristics)
 *
 * The steps, in order:
 *  1. `schemas` lists the core schema and only the resource type's extensions.
 *  2. Names are matched case-insensitively and rewritten in the schema's case; an unknown name is
 *     an error (invalidSyntax) rather than silently lost data.
 *  3. readOnly attributes (id, meta, groups, manager.displayName …) are dropped: RFC 7644 §3.3
 *     "SHALL be ignored". null and [] mean unassigned (RFC 7643 §2.5) and are dropped too.
 *  4. Boolean strings are coerced; everything else is type-checked by the ajv validator that the
 *     registry compiled from the same schema definitions.
 *  5. At most one `primary: true` per multi-valued attribute (RFC 7643 §2.4).
 *
 * canonicalValues are not enforced: RFC 7643 §7 calls them "suggested canonical values that MAY
 * be used", not a closed set, and IdPs map their own `type` values. Where the RFC does say MUST
 * (one primary value, §2.4) it is checked.
 */
import type { ErrorObject } from 'ajv'
import { invalidSyntax, invalidValue, mutability } from '../errors.js'
import { type AttributeScope, nameKey, type SchemaRegistry } from './registry.js'
import type { AttributeDefinition } from './types.js'

export type WriteMode = 'create' | 'replace'
type JsonObject = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)
const DROP = Symbol('unassigned')

/**
 * Both modes apply the same rules: RFC 7644 §3.5.1 has PUT ignore readOnly values and require the
 * required attributes exactly as POST does. Replace's one extra rule, immutability, needs the
 * stored resource: see checkImmutable().
 */
export function prepareWrite (registry: SchemaRegistry, resourceType: string, body: unknown, mode: WriteMode): JsonObject {
  if (!isObject(body)) throw invalidSyntax(`The ${mode === 'create' ? 'POST' : 'PUT'} body must be a JSON object: a ${resourceType} resource`)
  const scopes = registry.scopes(resourceType)
  const schemas = listedSchemas(registry, resourceType, body)
  const values = new Map<AttributeScope, JsonObject>(scopes.map(scope => [scope, {}]))
  const core = scopes[0]!

  for (const [key, value] of Object.entries(body)) {
    if (nameKey(key) === 'schemas') continue
    const scope = registry.scope(resourceType, key)
    if (scope?.extension === true) {
      if (value === null) continue
      if (!isObject(value)) throw invalidValue(`"${scope.schema}" must be a JSON object holding the extension's attributes`)
      for (const [name, inner] of Object.entries(value)) putAttribute(registry, scope, values.get(scope)!, name, inner)
      continue
    }
    // null = unassigned (RFC 7643 §2.5): nothing to store, so an unknown name with null is no error
    // (Entra's tutorial sends enterprise attributes as top-level nulls).
    if (value === null && registry.attribute(core, key) === undefined) continue
    putAttribute(registry, core, values.get(core)!, key, value)
  }

  const result: JsonObject = { schemas }
  for (const [scope, object] of values) {
    const ordered = inDefinitionOrder(scope, object)
    if (!scope.extension) Object.assign(result, ordered)
    else if (Object.keys(ordered).length > 0) {
      result[scope.schema] = ordered
      // Clients commonly omit an extension's URN from "schemas" while sending its attributes.
      if (!schemas.includes(scope.schema)) schemas.push(scope.schema)
    }
  }

  const validate = registry.writeValidator(resourceType)
  if (!validate(result)) throw scimErrorOf(validate.errors![0]!)
  for (const scope of scopes) checkPrimary(scope, scope.extension ? result[scope.schema] : result)
  return result
}

/**
 * PUT: an immutable attribute that already has a value cannot change (RFC 7644 §3.5.1, "the input
 * value(s) MUST match"); leaving it out of the replacement would clear it, which is a change too.
 * Both arguments are normalised representations (prepareWrite output, or the stored resource).
 */
export function checkImmutable (registry: SchemaRegistry, resourceType: string, existing: JsonObject, incoming: JsonObject): void {
  for (const scope of registry.scopes(resourceType)) {
    const before = (scope.extension ? existing[scope.schema] : existing) as JsonObject | undefined
    const after = (scope.extension ? incoming[scope.schema] : incoming) as JsonObject | undefined
    for (const attribute of scope.attributes) {
      const label = scope.extension ? `${scope.schema}:${attribute.name}` : attribute.name
      if (attribute.mutability === 'immutable') {
        ensureUnchanged(attribute, before?.[attribute.name], after?.[attribute.name], label)
      } else if (attribute.type === 'complex' && !attribute.multiValued) {
        const parentBefore = before?.[attribute.name] as JsonObject | undefined
        const parentAfter = after?.[attribute.name] as JsonObject | undefined
        for (const sub of attribute.subAttributes!.filter(s => s.mutability === 'immutable')) {
          ensureUnchanged(sub, parentBefore?.[sub.name], parentAfter?.[sub.name], `${label}.${sub.name}`)
        }
      }
      // Immutable sub-attributes of a multi-valued attribute (Group members.value) are not checked:
      // values have no identity across two representations, and the parent's readWrite mutability
      // lets a PUT add and remove whole values.
    }
  }
}

/**
 * Schema URIs that identity providers list though they name no schema: accepted and dropped.
 * Microsoft Entra ID sends this one with every group it creates
 * (learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups#create-group).
 */
const IGNORED_SCHEMA_URIS = new Set(['http://schemas.microsoft.com/2006/11/resourcemanagement/adscim/2.0/group'])

function listedSchemas (registry: SchemaRegistry, resourceType: string, body: JsonObject): string[] {
  const core = registry.resourceType(resourceType).schema
  const key = Object.keys(body).find(name => nameKey(name) === 'schemas')
  const listed = key === undefined ? undefined : body[key]
  if (!Array.isArray(listed) || !listed.every(urn => typeof urn === 'string')) {
    throw invalidSyntax(`"schemas" must be an array of schema URIs including "${core}"`)
  }
  const schemas: string[] = []
  for (const urn of listed) {
    if (IGNORED_SCHEMA_URIS.has(urn.toLowerCase())) continue
    const scope = registry.scope(resourceType, urn)
    if (scope === undefined) throw invalidSyntax(`Schema "${urn}" is not a schema of resource type ${resourceType}`)
    if (!schemas.includes(scope.schema)) schemas.push(scope.schema)
  }
  if (!schemas.includes(core)) throw invalidSyntax(`"schemas" must include "${core}"`)
  return [core, ...schemas.filter(urn => urn !== core)]
}

function putAttribute (registry: SchemaRegistry, scope: AttributeScope, target: JsonObject, name: string, value: unknown): void {
  const label = scope.extension ? `${scope.schema}:${name}` : name
  const attribute = registry.attribute(scope, name)
  if (attribute === undefined) throw invalidSyntax(`Unknown attribute "${label}"`)
  if (attribute.name in target) throw invalidSyntax(`Attribute "${label}" is given twice (names are case-insensitive)`)
  const normalised = normaliseValue(registry, attribute, value, label)
  if (normalised !== DROP) target[attribute.name] = normalised
}

function normaliseValue (registry: SchemaRegistry, attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (attribute.mutability === 'readOnly' || value === null) return DROP
  if (!attribute.multiValued) return normaliseSingle(registry, attribute, value, label)
  // A lone value for a multi-valued attribute is not wrapped: the validator rejects it.
  if (!Array.isArray(value)) return value
  const items = value.map((item, at) => normaliseSingle(registry, attribute, item, `${label}[${at}]`)).filter(item => item !== DROP)
  return items.length === 0 ? DROP : items
}

function normaliseSingle (registry: SchemaRegistry, attribute: AttributeDefinition, value: unknown, label: string): unknown {
  if (attribute.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) {
    // Microsoft Entra ID sends "True" / "False" for booleans (e.g. active in PATCH and POST).
    return value.toLowerCase() === 'true'
  }
  if (attribute.type === 'complex' && !attribute.multiValued && typeof value === 'string' && registry.subAttribute(attribute, 'value') !== undefined) {
    // Entra ID sends the enterprise manager as a bare id (also on POST and PUT): the value's "value".
    return { value }
  }
  if (attribute.type !== 'complex' || !isObject(value)) return value
  const result: JsonObject = {}
  for (const [name, inner] of Object.entries(value)) {
    const sub = registry.subAttribute(attribute, name) ?? displayNameAlias(registry, attribute, name)
    if (sub === undefined) throw invalidSyntax(`Unknown attribute "${label}.${name}"`)
    if (sub.name in result) throw invalidSyntax(`Attribute "${label}.${sub.name}" is given twice (names are case-insensitive)`)
    const normalised = normaliseValue(registry, sub, inner, `${label}.${sub.name}`)
    if (normalised !== DROP) result[sub.name] = normalised
  }
  // A complex value whose every sub-attribute was unassigned or readOnly carries nothing.
  return Object.keys(result).length === 0 ? DROP : inDefinitionOrder({ attributes: attribute.subAttributes! }, result)
}

/**
 * Entra ID's documented app-role mapping (AppRoleAssignmentsComplex) sends roles as
 * `{"primary", "type", "displayName", "value"}`: `displayName` is read as the RFC's `display`.
 */
function displayNameAlias (registry: SchemaRegistry, attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return attribute.multiValued && name.toLowerCase() === 'displayname' ? registry.subAttribute(attribute, 'display') : undefined
}

function inDefinitionOrder (scope: { attributes: readonly AttributeDefinition[] }, object: JsonObject): JsonObject {
  const ordered: JsonObject = {}
  for (const attribute of scope.attributes) if (attribute.name in object) ordered[attribute.name] = object[attribute.name]
  return ordered
}

function checkPrimary (scope: AttributeScope, container: unknown): void {
  if (!isObject(container)) return
  for (const attribute of scope.attributes) {
    const value = container[attribute.name]
    if (!attribute.multiValued || !Array.isArray(value)) continue
    if (value.filter(item => isObject(item) && item.primary === true).length > 1) {
      const label = scope.extension ? `${scope.schema}:${attribute.name}` : attribute.name
      throw invalidValue(`Attribute "${label}": the primary value "true" must appear no more than once (RFC 7643 §2.4)`)
    }
  }
}

/** `/emails/0/primary` → `emails[0].primary`; `/urn:…:User/manager/value` → `urn:…:User:manager.value`. */
function labelOf (pointer: string, property?: string): string {
  const segments = pointer.split('/').slice(1).map(s => s.replaceAll('~1', '/').replaceAll('~0', '~'))
  if (property !== undefined) segments.push(property)
  const inExtension = segments[0]?.includes(':') === true
  return segments.reduce((label, segment, at) => {
    if (at === 0) return segment
    if (/^\d+$/.test(segment)) return `${label}[${segment}]`
    return `${label}${at === 1 && inExtension ? ':' : '.'}${segment}`
  }, '')
}

function scimErrorOf (error: ErrorObject) {
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty
    if (missing.includes(':')) return invalidValue(`The schema extension "${missing}" is required for this resource type`)
    return invalidValue(`Attribute "${labelOf(error.instancePath, missing)}" is required`)
  }
  if (error.keyword === 'additionalProperties') {
    return invalidSyntax(`Unknown attribute "${labelOf(error.instancePath, (error.params as { additionalProperty: string }).additionalProperty)}"`)
  }
  const expected = (error.parentSchema as { title?: string } | undefined)?.title ?? 'of another type'
  return invalidValue(`Attribute "${labelOf(error.instancePath)}" must be ${expected}`)
}

function ensureUnchanged (attribute: AttributeDefinition, before: unknown, after: unknown, label: string): void {
  if (!assigned(before) || sameValue(attribute, before, after)) return
  throw mutability(`Attribute "${label}" is immutable: once set it cannot be changed or removed (RFC 7644 §3.5.1)`)
}

function assigned (value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)
}

/** Equality under the attribute's caseExact rule; multi-valued values compare as sets. */
function sameValue (attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  return comparable(attribute, a) === comparable(attribute, b)
}

function comparable (attribute: AttributeDefinition, value: unknown): string {
  if (!assigned(value)) return 'unassigned'
  const single = (item: unknown): string => {
    if (attribute.type === 'complex' && isObject(item)) {
      return JSON.stringify(attribute.subAttributes!.map(sub => comparable(sub, item[sub.name])))
    }
    return JSON.stringify(typeof item === 'string' && !attribute.caseExact ? item.toLowerCase() : item)
  }
  return attribute.multiValued && Array.isArray(value) ? JSON.stringify(value.map(single).sort()) : single(value)
}
