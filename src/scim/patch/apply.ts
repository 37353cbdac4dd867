/**
 * Applies PATCH operations to a representation.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 *
 * The request is atomic ("If a single operation encounters an error condition, the original SCIM
 * resource MUST be restored"): operations run on a deep copy and any error is thrown before the
 * copy escapes. Values are type-checked per attribute (values.ts) rather than by re-validating
 * the whole result; uniqueness and cross-attribute rules stay with the caller.
 */
import type { AttributeDefinition } from '../schema/types.js'
import { invalidValue, mutability, noTarget, ScimError } from '../errors.js'
import type { PatchPath } from '../filter/ast.js'
import { evaluateFilter, parsePatchPath } from '../filter/index.js'
import type { SchemaRegistry } from '../schema/registry.js'
import { guardWrite } from './guards.js'
import {
  deepEqual, deleteAttribute, findKey, getAttribute, isObject, isUnassigned, type JsonObject, sameName, setAttribute
} from './json.js'
import { appendElements, applyToElements, checkSinglePrimary, describeSub, removeListed } from './multi-valued.js'
import { describePath, type PatchOperation, type PatchOpName } from './operations.js'
import { type AttributeTarget, resolveTarget } from './target.js'
import { coerceSingle, coerceValue } from './values.js'

export interface PatchResult {
  resource: JsonObject
  /** False when the result deep-equals the input: the caller can skip the write and keep the version. */
  changed: boolean
}

interface Context {
  registry: SchemaRegistry
  resourceType: string
  /** Extension URNs written to, whose `schemas` entry may need to follow. */
  touched: Set<string>
}

interface Step { path: PatchPath, value: unknown }

export function applyPatch (registry: SchemaRegistry, resourceType: string, resource: JsonObject, operations: PatchOperation[]): PatchResult {
  const context: Context = { registry, resourceType, touched: new Set() }
  const result = structuredClone(resource)
  operations.forEach((operation, index) => {
    try {
      for (const step of expand(context, operation)) applyStep(context, result, operation.op, step)
    } catch (error) {
      throw inOperation(error, index, operation)
    }
  })
  syncSchemas(context, result)
  return { resource: result, changed: !deepEqual(resource, result) }
}

/**
 * Without a path the value holds attributes, each applied as if it were the path
 * (RFC 7644 §3.5.2.1, §3.5.2.3): `{"name": {…}}` merges into name, `{"emails": […]}` as a whole.
 * Microsoft Entra ID with the aadOptscim062020 flag sends keys that are themselves paths —
 * `"name.givenName"`, `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"`,
 * even `"emails[type eq \"work\"].value"` — so every key goes through the path parser.
 */
function expand (context: Context, operation: PatchOperation): Step[] {
  if (operation.path !== undefined) return [{ path: operation.path, value: operation.value }]
  // parsePatchRequest already refuses these; operations built in code get the same answers.
  if (operation.op === 'remove') throw noTarget('"remove" requires a "path"')
  if (!isObject(operation.value)) throw invalidValue('Without "path", "value" must be an object of attributes')
  const steps: Step[] = []
  for (const [key, value] of Object.entries(operation.value)) {
    // `schemas` follows the extensions actually present (syncSchemas); clients echo it back.
    if (sameName(key, 'schemas')) continue
    // The core schema's URN as a key holds core attributes (an extension's URN is a path itself).
    if (context.registry.scope(context.resourceType, key)?.extension === false && isObject(value)) {
      for (const [name, item] of Object.entries(value)) steps.push({ path: parsePatchPath(name), value: item })
      continue
    }
    steps.push({ path: parsePatchPath(key), value })
  }
  return steps
}

function applyStep (context: Context, resource: JsonObject, op: PatchOpName, step: Step): void {
  const unfiltered = singleValueFilter(context, resource, step.path)
  if (unfiltered !== undefined) return applyStep(context, resource, op, { ...step, path: unfiltered })
  const target = resolveTarget(context.registry, context.resourceType, step.path)
  if (target.kind === 'extension') {
    applyExtension(context, resource, op, target.urn, step.value)
    return
  }
  const container = containerOf(context, resource, target, op)
  if (container === undefined) return
  const { attribute } = target
  const current = getAttribute(container, attribute.name)
  const next = nextValue(op, target, current, step.value)
  if (guardWrite(attribute, current, next, target.label) === 'changed') {
    if (isUnassigned(next)) deleteAttribute(container, attribute.name)
    else setAttribute(container, attribute.name, next)
  }
}

/** The object holding the attribute: the resource, or its extension object (created on write). */
function containerOf (context: Context, resource: JsonObject, target: AttributeTarget, op: PatchOpName): JsonObject | undefined {
  const urn = target.extension
  if (urn === undefined) return resource
  context.touched.add(urn)
  const existing = getAttribute(resource, urn)
  if (isObject(existing)) return existing
  if (op === 'remove') return undefined
  const created: JsonObject = {}
  setAttribute(resource, urn, created)
  return created
}

/**
 * A value filter on a single complex attribute selects its one value when the filter matches it, as
 * filters read such an attribute (a list of one). Entra ID removes a manager with `manager[value eq "id"]`.
 * Returns the path without the filter, or undefined when the rule does not apply.
 */
function singleValueFilter (context: Context, resource: JsonObject, path: PatchPath): PatchPath | undefined {
  if (path.filter === undefined) return undefined
  const resolved = context.registry.resolve(context.resourceType, { ...(path.uri === undefined ? {} : { uri: path.uri }), attribute: path.attribute })
  if (resolved === undefined || resolved.attribute.type !== 'complex' || resolved.attribute.multiValued) return undefined
  const container = resolved.extension ? getAttribute(resource, resolved.schema) : resource
  const current = isObject(container) ? getAttribute(container, resolved.attribute.name) : undefined
  if (!isObject(current) || !evaluateFilter(path.filter, current, describeSub(resolved.attribute))) {
    throw noTarget(`No value of "${resolved.attribute.name}" matches the filter`)
  }
  const { filter: _filter, ...rest } = path
  return rest
}

/**
 * Microsoft Entra ID removes a manager with `replace manager ""` (or `{"value": ""}`): an empty reference
 * is no reference, so it unassigns the single complex attribute (docs/idp-compatibility.md).
 */
function clearsReference (attribute: AttributeDefinition, subAttribute: AttributeDefinition | undefined, value: unknown): boolean {
  if (attribute.multiValued || attribute.type !== 'complex') return false
  if (subAttribute !== undefined) return subAttribute.name === 'value' && value === ''
  return value === '' || (isObject(value) && Object.keys(value).length === 1 && getAttribute(value, 'value') === '')
}

/** The attribute's value after the operation; `undefined` means unassigned. */
function nextValue (op: PatchOpName, target: AttributeTarget, current: unknown, value: unknown): unknown {
  const { attribute, subAttribute, filter } = target
  if (filter !== undefined || (subAttribute !== undefined && attribute.multiValued)) {
    return applyToElements(op, target, current, value)
  }
  const unassign = op === 'remove' || value === null || clearsReference(attribute, subAttribute, value)
  if (subAttribute !== undefined) {
    const next: JsonObject = isObject(current) ? structuredClone(current) : {}
    const nextSub = unassign ? undefined : subAttribute.multiValued ? coerceValue(subAttribute, value, target.label) : coerceSingle(subAttribute, value, target.label)
    writeSub(next, subAttribute.name, nextSub, target.label, subAttribute)
    return next
  }
  if (op === 'remove' && value !== undefined && value !== null && attribute.multiValued) {
    return removeListed(attribute, current, value, target.label)
  }
  if (unassign) return undefined
  if (attribute.multiValued) {
    const items = coerceValue(attribute, value, target.label) as unknown[]
    // RFC 7644 §3.5.2.1: add appends; §3.5.2.3: replace without a filter replaces all values.
    if (op === 'add') return appendElements(attribute, current, items)
    checkSinglePrimary(attribute, items)
    return items
  }
  const coerced = coerceSingle(attribute, value, target.label, true)
  if (attribute.type !== 'complex') return coerced
  // RFC 7644 §3.5.2.1 and §3.5.2.3: a complex value's given sub-attributes are set, others kept.
  const next: JsonObject = isObject(current) ? structuredClone(current) : {}
  for (const [name, item] of Object.entries(coerced as JsonObject)) {
    const sub = attribute.subAttributes?.find(candidate => candidate.name === name)
    if (sub !== undefined) writeSub(next, name, item, `${target.label}.${name}`, sub)
  }
  return next
}

function writeSub (object: JsonObject, name: string, next: unknown, label: string, sub: NonNullable<AttributeTarget['subAttribute']>): void {
  const key = findKey(object, name)
  if (guardWrite(sub, key === undefined ? undefined : object[key], next, label) === 'same') return
  if (key !== undefined) delete object[key]
  if (!isUnassigned(next)) object[name] = next
}

/** The bare extension URN as path: its value is an object of the extension's attributes. */
function applyExtension (context: Context, resource: JsonObject, op: PatchOpName, urn: string, value: unknown): void {
  context.touched.add(urn)
  if (op === 'remove' || value === null) {
    const declared = context.registry.resourceType(context.resourceType).schemaExtensions?.find(e => sameName(e.schema, urn))
    const existing = getAttribute(resource, urn)
    if (declared?.required === true && !isUnassigned(existing)) throw mutability(`Schema extension "${urn}" is required`)
    // Each attribute is removed in turn so the required/readOnly rules apply to it.
    if (isObject(existing)) {
      for (const key of Object.keys(existing)) applyStep(context, resource, 'remove', { path: extensionPath(urn, key), value: undefined })
    }
    return
  }
  if (!isObject(value)) throw invalidValue(`Schema extension "${urn}" must be given as an object of attributes`)
  for (const [key, item] of Object.entries(value)) applyStep(context, resource, op, { path: extensionPath(urn, key), value: item })
}

const extensionPath = (urn: string, key: string) => parsePatchPath(`${urn}:${key}`)

/**
 * RFC 7644 §3.5.2: adding an attribute by its fully qualified name "automatically adds" the
 * extension URN to `schemas`; an extension left empty is dropped along with its URN.
 */
function syncSchemas (context: Context, resource: JsonObject): void {
  const schemas = getAttribute(resource, 'schemas')
  for (const urn of context.touched) {
    const extension = getAttribute(resource, urn)
    if (extension !== undefined && isUnassigned(extension)) deleteAttribute(resource, urn)
    if (!Array.isArray(schemas)) continue
    const present = isObject(extension) && !isUnassigned(extension)
    const listed = schemas.findIndex(schema => typeof schema === 'string' && sameName(schema, urn))
    if (present && listed < 0) schemas.push(urn)
    if (!present && listed >= 0) schemas.splice(listed, 1)
  }
}

/** Names the failing operation in the detail; keeps status and scimType. */
function inOperation (error: unknown, index: number, operation: PatchOperation): unknown {
  if (!(error instanceof ScimError)) return error
  const where = `Operations[${index}] (${operation.op} ${describePath(operation.path)})`
  return new ScimError(error.status, `${where}: ${error.message}`, error.scimType)
}
