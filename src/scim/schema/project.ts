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

// The projection without parameters (what nearly every request asks for), compiled once per resource type.
const defaults = new WeakMap<SchemaRegistry, Map<string, (resource: JsonObject) => JsonObject>>()

/** Resolves the parameters once, for every resource of a list response. */
export function compileProjection (registry: SchemaRegistry, resourceType: string, options: ProjectionOptions = {}): (resource: JsonObject) => JsonObject {
  if ((options.attributes ?? []).length > 0 || (options.excludedAttributes ?? []).length > 0) return compile(registry, resourceType, options)
  let byType = defaults.get(registry)
  if (byType === undefined) defaults.set(registry, byType = new Map())
  let projection = byType.get(resourceType)
  if (projection === undefined) byType.set(resourceType, projection = compile(registry, resourceType, {}))
  return projection
}

// Names met per scope are remembered up to this many (stored names are canonical: a schema's worth).
const MAX_REMEMBERED_NAMES = 500

function compile (registry: SchemaRegistry, resourceType: string, options: ProjectionOptions): (resource: JsonObject) => JsonObject {
  const scopes = registry.scopes(resourceType)
  const include = options.attributes === undefined || options.attributes.length === 0 ? undefined : select(registry, resourceType, options.attributes)
  const exclude = select(registry, resourceType, options.excludedAttributes ?? [])

  /** Which sub-attributes of an attribute are returned; undefined when the attribute is not (whatever its value). */
  const decide = (scope: AttributeScope, attribute: AttributeDefinition): SubAttributeTest | undefined => {
    if (attribute.returned === 'never') return undefined
    if (attribute.returned === 'always') return () => true
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
    return sub => {
      if (sub.returned === 'always') return true
      if (excludedSubs?.has(sub) === true) return false
      if (onlySubs !== undefined) return onlySubs.has(sub)
      return sub.returned !== 'request' || named?.has(sub) === true
    }
  }

  // The decisions depend on the definitions and the parameters only: made once per stored name for the
  // whole response (a 100-User page repeats the same names), not once per value.
  const plans = new Map<AttributeScope, Map<string, AttributePlan | null>>(scopes.map(scope => [scope, new Map()]))
  const planOf = (scope: AttributeScope, name: string): AttributePlan | null => {
    const byName = plans.get(scope)!
    let plan = byName.get(name)
    if (plan === undefined) {
      const attribute = registry.attribute(scope, name)
      const keep = attribute === undefined ? undefined : decide(scope, attribute)
      plan = attribute === undefined || keep === undefined ? null : { attribute, keep, subNames: new Map() }
      if (byName.size < MAX_REMEMBERED_NAMES) byName.set(name, plan)
    }
    return plan
  }

  return (resource) => {
    // "schemas" first, as RFC 7643's examples show it; its value is known at the end.
    const result: JsonObject = { schemas: undefined }
    const removedExtensions = new Set<string>()
    for (const scope of scopes) {
      const source = scope.extension ? resource[scope.schema] : resource
      if (!isObject(source)) continue
      // Core attributes go straight into the result (no intermediate object to copy).
      const projected: JsonObject = scope.extension ? {} : result
      let kept = false
      for (const name of Object.keys(source)) {
        const plan = planOf(scope, name)
        const value = source[name]
        if (plan === null || !assigned(value)) continue
        const shown = keepSubAttributes(registry, plan, value)
        if (shown !== undefined) {
          projected[plan.attribute.name] = shown
          kept = true
        }
      }
      if (!scope.extension) continue
      if (kept) result[scope.schema] = projected
      else removedExtensions.add(scope.schema.toLowerCase())
    }
    // "schemas" is always returned; it names the extensions whose attributes are present (RFC 7643 §3).
    const schemas = Array.isArray(resource.schemas) ? resource.schemas as string[] : [registry.resourceType(resourceType).schema]
    result.schemas = removedExtensions.size === 0 ? schemas : schemas.filter(urn => !removedExtensions.has(urn.toLowerCase()))
    return result
  }
}

type SubAttributeTest = (sub: AttributeDefinition) => boolean

/** An attribute the projection returns: which of its sub-attributes, by the name they are stored under. */
interface AttributePlan {
  attribute: AttributeDefinition
  keep: SubAttributeTest
  /** Stored sub-attribute name → the name returned, or null when not returned; filled as names are met. */
  subNames: Map<string, string | null>
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

/** For complex values, keeps the sub-attributes the plan returns (never the returned:"never" ones). */
function keepSubAttributes (registry: SchemaRegistry, plan: AttributePlan, value: unknown): unknown {
  if (plan.attribute.type !== 'complex') return value
  if (!plan.attribute.multiValued) return keptItem(registry, plan, value)
  if (!Array.isArray(value)) return undefined
  // Loops, not map/filter: this runs for every multi-valued attribute of every resource of a page. The
  // array itself when every item is returned whole: a page's garbage is what makes the server's heap grow.
  let items: unknown[] | undefined
  for (let i = 0; i < value.length; i++) {
    const kept = keptItem(registry, plan, value[i])
    if (items === undefined) {
      if (kept === value[i]) continue
      items = value.slice(0, i)
    }
    if (kept !== undefined) items.push(kept)
  }
  const result = items ?? value
  return result.length === 0 ? undefined : result
}

/** The item itself when all of it is returned under its own names (the usual case), else a copy of what is. */
function keptItem (registry: SchemaRegistry, plan: AttributePlan, item: unknown): JsonObject | undefined {
  if (!isObject(item)) return undefined
  const names = Object.keys(item)
  let kept: JsonObject | undefined
  let any = false
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const inner = item[name]
    const shown = assigned(inner) ? shownSubAttribute(registry, plan, name) : null
    if (kept === undefined) {
      if (shown === name) {
        any = true
        continue
      }
      // The first difference: copy what came before it, then go on in the copy.
      kept = {}
      for (let j = 0; j < i; j++) kept[names[j]!] = item[names[j]!]
    }
    if (shown !== null) {
      kept[shown] = inner
      any = true
    }
  }
  return any ? kept ?? item : undefined
}

/** The name a stored sub-attribute is returned under, or null; looked up once per name and plan. */
function shownSubAttribute (registry: SchemaRegistry, { attribute, keep, subNames }: AttributePlan, name: string): string | null {
  let shown = subNames.get(name)
  if (shown === undefined) {
    const sub = registry.subAttribute(attribute, name)
    shown = sub !== undefined && sub.returned !== 'never' && keep(sub) ? sub.name : null
    if (subNames.size < MAX_REMEMBERED_NAMES) subNames.set(name, shown)
  }
  return shown
}

function assigned (value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)
}
