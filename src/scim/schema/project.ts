/**
 * Shapes a stored resource for a response: the `returned` characteristic of every attribute and
 * sub-attribute, and the client's `attributes` / `excludedAttributes` parameters.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.2 (returned: always, never, default, request)
 *
 * - always (id, schemas): returned whatever the parameters say; excludedAttributes cannot remove it.
 * - never (password): never returned.
 * - default: returned unless excluded, or unless `attributes` is given without naming it.
 * - request: returned only when named in `attributes`.
 * - Attributes the schemas do not define are never returned: output is schema-driven, so nothing
 *   the domain keeps beside a resource (a national-id hash, say) can leak through it.
 *
 * Names are `[URN ":"] attr ["." subAttr]` or a bare extension URN (the whole extension), matched
 * case-insensitively. A name that resolves to nothing is ignored rather than rejected: RFC 7644
 * defines no error for it (invalidPath is PATCH's "path", §3.12), and §3.9 describes both
 * parameters only as selecting what to return, so a name that selects nothing returns nothing.
 * When both parameters are given, the `attributes` selection is made first and then reduced by
 * `excludedAttributes`.
 */
import { type AttributeScope, type ResolvedAttribute, type SchemaRegistry } from './registry.js'
import type { AttributeDefinition } from './types.js'

export interface ProjectionOptions {
  attributes?: string[]
  excludedAttributes?: string[]
}

type JsonObject = Record<string, unknown>
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a list of names selects: whole scopes (bare URNs), whole attributes, or some sub-attributes. */
interface Selection {
  scopes: Set<AttributeScope>
  attributes: Set<AttributeDefinition>
  subAttributes: Map<AttributeDefinition, Set<AttributeDefinition>>
}

/** The `attributes` / `excludedAttributes` query parameter: comma-separated names. */
export function parseAttributeList (csv: string): string[] {
  return csv.split(',').map(name => name.trim()).filter(name => name !== '')
}

/** Projects one resource; see compileProjection() for many resources with the same parameters. */
export function project (registry: SchemaRegistry, resourceType: string, resource: JsonObject, options: ProjectionOptions = {}): JsonObject {
  return compileProjection(registry, resourceType, options)(resource)
}

/** Resolves the parameters once, for every resource of a list response. */
export function compileProjection (registry: SchemaRegistry, resourceType: string, options: ProjectionOptions = {}): (resource: JsonObject) => JsonObject {
  const scopes = registry.scopes(resourceType)
  const include = options.attributes === undefined || options.attributes.length === 0 ? undefined : select(registry, resourceType, options.attributes)
  const exclude = select(registry, resourceType, options.excludedAttributes ?? [])

  const projectAttribute = (scope: AttributeScope, attribute: AttributeDefinition, value: unknown): unknown => {
    if (attribute.returned === 'never' || !assigned(value)) return undefined
    if (attribute.returned === 'always') return keepSubAttributes(registry, attribute, value, () => true)
    let onlySubs: Set<AttributeDefinition> | undefined
    if (include !== undefined) {
      const whole = include.scopes.has(scope) || include.attributes.has(attribute)
      onlySubs = whole ? undefined : include.subAttributes.get(attribute)
      if (!whole && onlySubs === undefined) return undefined
    } else if (attribute.returned === 'request') {
      return undefined
    }
    if (exclude.scopes.has(scope) || exclude.attributes.has(attribute)) return undefined
    const excludedSubs = exclude.subAttributes.get(attribute)
    const named = include?.subAttributes.get(attribute)
    return keepSubAttributes(registry, attribute, value, sub => {
      if (sub.returned === 'always') return true
      if (excludedSubs?.has(sub) === true) return false
      if (onlySubs !== undefined) return onlySubs.has(sub)
      return sub.returned !== 'request' || named?.has(sub) === true
    })
  }

  return (resource) => {
    const result: JsonObject = {}
    const removedExtensions = new Set<string>()
    for (const scope of scopes) {
      const source = scope.extension ? resource[scope.schema] : resource
      if (!isObject(source)) continue
      const projected: JsonObject = {}
      for (const [name, value] of Object.entries(source)) {
        const attribute = registry.attribute(scope, name)
        if (attribute === undefined) continue
        const kept = projectAttribute(scope, attribute, value)
        if (kept !== undefined) projected[attribute.name] = kept
      }
      if (!scope.extension) Object.assign(result, projected)
      else if (Object.keys(projected).length > 0) result[scope.schema] = projected
      else removedExtensions.add(scope.schema.toLowerCase())
    }
    // "schemas" is always returned; it names the extensions whose attributes are present (RFC 7643 §3).
    const schemas = Array.isArray(resource.schemas) ? resource.schemas as string[] : [registry.resourceType(resourceType).schema]
    return { schemas: schemas.filter(urn => !removedExtensions.has(urn.toLowerCase())), ...result }
  }
}

function select (registry: SchemaRegistry, resourceType: string, names: string[]): Selection {
  const selection: Selection = { scopes: new Set(), attributes: new Set(), subAttributes: new Map() }
  for (const name of names) {
    const scope = registry.scope(resourceType, name)
    if (scope !== undefined) {
      selection.scopes.add(scope)
      continue
    }
    const resolved = resolveName(registry, resourceType, name)
    if (resolved === undefined) continue
    if (resolved.subAttribute === undefined) selection.attributes.add(resolved.attribute)
    else {
      const subs = selection.subAttributes.get(resolved.attribute) ?? new Set()
      subs.add(resolved.subAttribute)
      selection.subAttributes.set(resolved.attribute, subs)
    }
  }
  return selection
}

/** `urn:…:2.0:User:manager.value`: split at the last ':' (URNs contain dots), then at '.'. */
function resolveName (registry: SchemaRegistry, resourceType: string, name: string): ResolvedAttribute | undefined {
  const colon = name.lastIndexOf(':')
  const [attribute, subAttribute, ...rest] = name.slice(colon + 1).split('.')
  if (attribute === undefined || attribute === '' || rest.length > 0) return undefined
  return registry.resolve(resourceType, {
    ...(colon === -1 ? {} : { uri: name.slice(0, colon) }),
    attribute,
    ...(subAttribute === undefined ? {} : { subAttribute })
  })
}

/** For complex values, keeps the sub-attributes `keep` accepts (never the returned:"never" ones). */
function keepSubAttributes (registry: SchemaRegistry, attribute: AttributeDefinition, value: unknown, keep: (sub: AttributeDefinition) => boolean): unknown {
  if (attribute.type !== 'complex') return value
  const one = (item: unknown): JsonObject | undefined => {
    if (!isObject(item)) return undefined
    const kept: JsonObject = {}
    for (const [name, inner] of Object.entries(item)) {
      const sub = registry.subAttribute(attribute, name)
      if (sub !== undefined && sub.returned !== 'never' && assigned(inner) && keep(sub)) kept[sub.name] = inner
    }
    return Object.keys(kept).length === 0 ? undefined : kept
  }
  if (!attribute.multiValued) return one(value)
  const items = (Array.isArray(value) ? value : []).map(one).filter(item => item !== undefined)
  return items.length === 0 ? undefined : items
}

function assigned (value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)
}
