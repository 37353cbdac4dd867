/**
 * A parsed SCIM filter as a parameterised PostgreSQL condition, with the in-memory evaluator's
 * semantics (src/scim/filter/evaluate.ts): same operators, same errors, same answers.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 *
 * Every literal from the client is a bound parameter; SQL text comes only from the schema
 * (attribute names) and from `locate` (the repository's storage). Every condition built here is
 * true or false, never NULL, so `not (x eq "a")` holds when x is missing, as the evaluator says.
 */
import { invalidFilter } from '../../scim/errors.js'
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter } from '../../scim/filter/ast.js'
import { checkNotSingleComplex, checkNullComparison, planComparison, type Comparison } from '../../scim/filter/comparison-rules.js'
import { formatAttributePath } from '../../scim/filter/printer.js'
import type { ResolvedAttribute, SchemaRegistry } from '../../scim/schema/registry.js'
import type { AttributeDefinition } from '../../scim/schema/types.js'
import {
  arrayElements, bind, columnValue, ELEMENT, hasValue, isoText, isPresent, join, jsonMember, jsonValue, raw, sql, textOf, timestampOf,
  type SqlFragment, type SqlValue
} from './sql.js'

export type { SqlFragment } from './sql.js'

export interface CustomTest { op: ComparisonOperator | 'pr', value: ComparisonValue, subAttribute?: string, caseExact: boolean }

/** Where a resource's attribute lives in SQL. */
export type AttributeStorage =
  /** A scalar SQL expression holding exactly the value the path names (a sub-attribute's, when the path has one). */
  | { kind: 'column', sql: string }
  /** A jsonb SQL expression holding the top-level attribute's JSON value; may be SQL NULL, JSON null or missing. */
  | { kind: 'json', sql: string }
  /**
   * Compiles one test itself (Group members, User groups). It gets `pr` and non-null comparisons
   * only (`eq null` arrives as `not pr`); `ne` must hold when there is no value, as in the evaluator.
   */
  | { kind: 'custom', compile: (test: CustomTest) => SqlFragment }

export interface FilterSqlContext {
  registry: SchemaRegistry
  resourceType: string
  /** undefined: the attribute cannot be filtered on (invalidFilter). */
  locate: (resolved: ResolvedAttribute) => AttributeStorage | undefined
}

export function filterToSql (filter: Filter, context: FilterSqlContext): SqlFragment {
  return compile(filter, resourceScope(context))
}

/** The values a path names: zero or one, or those of each element of a jsonb array (any may match). */
type Values =
  | { kind: 'one', value: SqlValue }
  | { kind: 'each', array: string, member: (element: SqlValue) => SqlValue }

type Target =
  | { kind: 'values', name: string, definition: AttributeDefinition, values: Values }
  | { kind: 'custom', name: string, definition: AttributeDefinition, compile: (test: CustomTest) => SqlFragment, subAttribute: string | undefined }

/** Where paths are resolved: the resource, or one element inside `attr[...]`. */
interface Scope {
  registry: SchemaRegistry
  target: (path: AttributePath) => Target
  valuePath: (path: AttributePath, filter: Filter) => SqlFragment
}

function compile (filter: Filter, scope: Scope): SqlFragment {
  switch (filter.kind) {
    case 'and':
    case 'or': return join(filter.filters.map(child => compile(child, scope)), filter.kind)
    case 'not': return sql`(not ${compile(filter.filter, scope)})`
    case 'present': return present(scope.target(filter.path))
    case 'compare': return compare(scope.target(filter.path), filter.op, filter.value, scope.registry)
    case 'valuePath': return scope.valuePath(filter.path, filter.filter)
  }
}

function resourceScope (context: FilterSqlContext): Scope {
  const scope: Scope = {
    registry: context.registry,
    target (path) {
      const resolved = resolve(context, path)
      return targetOf(path, resolved, locate(context, path, resolved))
    },
    valuePath (path, inner) {
      const resolved = resolve(context, path)
      const name = formatAttributePath(path)
      if (resolved.subAttribute !== undefined) throw invalidFilter(`A valuePath applies to a multi-valued attribute, not to the sub-attribute "${name}"`)
      const storage = locate(context, path, resolved)
      if (storage.kind === 'custom') return compile(elementTestsAsPaths(path, resolved.attribute, inner), scope)
      const outer = { path, definition: resolved.attribute }
      if (storage.kind === 'json' && resolved.attribute.multiValued) {
        // The evaluator skips null elements; so does the guard.
        return sql`exists (select 1 from ${raw(arrayElements(storage.sql))} as e(v) where e.v <> 'null'::jsonb and ${compile(inner, elementScope(context, outer, ELEMENT))})`
      }
      // A single-valued attribute is a list of one element (as in the evaluator).
      const element = storage.kind === 'json' ? jsonValue(storage.sql) : columnValue(storage.sql)
      return sql`(${raw(hasValue(element))} and ${compile(inner, elementScope(context, outer, element))})`
    }
  }
  return scope
}

function resolve (context: FilterSqlContext, path: AttributePath): ResolvedAttribute {
  const resolved = context.registry.resolve(context.resourceType, path)
  if (resolved === undefined) throw invalidFilter(`Unknown attribute "${formatAttributePath(path)}" in filter for resource type ${context.resourceType}`)
  return resolved
}

function locate (context: FilterSqlContext, path: AttributePath, resolved: ResolvedAttribute): AttributeStorage {
  const storage = context.locate(resolved)
  if (storage === undefined) throw invalidFilter(`Attribute "${formatAttributePath(path)}" cannot be used in a filter`)
  return storage
}

function targetOf (path: AttributePath, resolved: ResolvedAttribute, storage: AttributeStorage): Target {
  const name = formatAttributePath(path)
  const { attribute, subAttribute } = resolved
  const definition = subAttribute ?? attribute
  switch (storage.kind) {
    case 'custom': return { kind: 'custom', name, definition, compile: storage.compile, subAttribute: subAttribute?.name }
    case 'column': return { kind: 'values', name, definition, values: { kind: 'one', value: columnValue(storage.sql) } }
    case 'json': {
      const top = jsonValue(storage.sql)
      const member = (value: SqlValue) => subAttribute === undefined ? value : jsonMember(value, subAttribute.name)
      // Stored values are validated: a single-valued attribute holds no array, so no need to spread it.
      const values: Values = attribute.multiValued ? { kind: 'each', array: arrayElements(storage.sql), member } : { kind: 'one', value: member(top) }
      return { kind: 'values', name, definition, values }
    }
  }
}

/**
 * Inside `emails[...]` a path names a sub-attribute of one element, resolved as
 * `{uri, attribute: emails, subAttribute: type}`. The element of a simple multi-valued attribute
 * is its own `value` (`tags[value eq "x"]`).
 */
function elementScope (context: FilterSqlContext, outer: { path: AttributePath, definition: AttributeDefinition }, element: SqlValue): Scope {
  const outerName = formatAttributePath(outer.path)
  return {
    registry: context.registry,
    target (path) {
      const name = formatAttributePath(path)
      if (path.uri !== undefined || path.subAttribute !== undefined) throw invalidFilter(`Inside "${outerName}[...]" an attribute path names a sub-attribute and cannot have a schema URI or a "." (found "${name}")`)
      if (outer.definition.type !== 'complex') {
        if (path.attribute.toLowerCase() !== 'value') throw invalidFilter(`Inside "${outerName}[...]" only "value" can be named: "${outerName}" has no sub-attributes`)
        return { kind: 'values', name, definition: outer.definition, values: { kind: 'one', value: element } }
      }
      const resolved = resolve(context, { ...outer.path, subAttribute: path.attribute })
      if (element.kind === 'column') throw invalidFilter(`Attribute "${outerName}.${path.attribute}" cannot be used in a filter`)
      const definition = resolved.subAttribute!
      return { kind: 'values', name, definition, values: { kind: 'one', value: jsonMember(element, definition.name) } }
    },
    valuePath (path) {
      throw invalidFilter(`A valuePath cannot be nested: "${formatAttributePath(path)}[...]" inside "${outerName}[...]"`)
    }
  }
}

/**
 * `members[value eq "a" or type eq "User"]` over custom storage, as `members.value eq "a" or
 * members.type eq "User"`. Exact only for an "or" of tests that need a value; "and", "not", "ne" and
 * "eq null" would need one element to satisfy them all, which a per-test compile cannot express.
 */
function elementTestsAsPaths (outer: AttributePath, definition: AttributeDefinition, inner: Filter): Filter {
  const asPath = (path: AttributePath): AttributePath => {
    if (definition.type === 'complex') return { ...outer, subAttribute: path.attribute }
    return path.attribute.toLowerCase() === 'value' ? outer : { ...outer, subAttribute: path.attribute }
  }
  switch (inner.kind) {
    case 'or': return { kind: 'or', filters: inner.filters.map(child => elementTestsAsPaths(outer, definition, child)) }
    case 'present': return { kind: 'present', path: asPath(inner.path) }
    case 'compare':
      if (inner.op !== 'ne' && inner.value !== null) return { ...inner, path: asPath(inner.path) }
  }
  throw invalidFilter(`"${formatAttributePath(outer)}[...]" accepts only comparisons that need a value (not "ne" nor "eq null") joined by "or"`)
}

function present (target: Target): SqlFragment {
  if (target.kind === 'custom') return custom(target, { op: 'pr', value: null, caseExact: target.definition.caseExact })
  const { values, definition } = target
  if (values.kind === 'one') return raw(isPresent(values.value, definition))
  return raw(`exists (select 1 from ${values.array} as e(v) where ${isPresent(values.member(ELEMENT), definition)})`)
}

function compare (target: Target, op: ComparisonOperator, expected: ComparisonValue, registry: SchemaRegistry): SqlFragment {
  const { name } = target
  if (expected === null) {
    // RFC 7643 §2.5: null is "no value"; eq null is "not pr", ne null is "pr".
    const nullOp = checkNullComparison(name, op)
    return nullOp === 'eq' ? sql`(not ${present(target)})` : present(target)
  }
  checkNotSingleComplex(name, target.definition)
  let definition = target.definition
  let values = target.kind === 'values' ? target.values : undefined
  if (definition.type === 'complex') {
    // `emails co "x"` compares each element's "value", the significant one (RFC 7643 §2.4).
    const significant = registry.subAttribute(definition, 'value')
    if (significant === undefined) return raw(op === 'ne' ? 'true' : 'false')
    definition = significant
    if (values?.kind === 'each') {
      const { member } = values
      values = { ...values, member: element => jsonMember(member(element), significant.name) }
    } else if (values?.kind === 'one') {
      values = { kind: 'one', value: jsonMember(values.value, significant.name) }
    }
  }
  const comparison = planComparison(name, op, expected, definition)
  if (target.kind === 'custom') {
    return custom(target, { op, value: expected, caseExact: comparison.operand === 'string' ? comparison.caseExact : definition.caseExact })
  }
  if (comparison.operand === 'none' || values === undefined) return raw(op === 'ne' ? 'true' : 'false')
  return anyValue(values, op === 'ne', value => test(value, comparison))
}

function custom (target: Extract<Target, { kind: 'custom' }>, test: CustomTest): SqlFragment {
  const fragment = target.compile(target.subAttribute === undefined ? test : { ...test, subAttribute: target.subAttribute })
  return sql`coalesce((${fragment}), false)`
}

/** True when some value passes; with `ne`, also when there is no value at all (as in the evaluator). */
function anyValue (values: Values, ne: boolean, passes: (value: SqlValue) => SqlFragment): SqlFragment {
  if (values.kind === 'one') {
    const has = raw(hasValue(values.value))
    return ne ? sql`(not ${has} or ${passes(values.value)})` : sql`(${has} and ${passes(values.value)})`
  }
  const element = values.member(ELEMENT)
  const from = raw(`${values.array} as e(v)`)
  const some = sql`exists (select 1 from ${from} where ${raw(hasValue(element))} and ${passes(element)})`
  return ne ? sql`(not exists (select 1 from ${from} where ${raw(hasValue(element))}) or ${some})` : some
}

const SQL_OPERATORS: Record<ComparisonOperator, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=', co: 'like', sw: 'like', ew: 'like' }

/** One value (known to be there) against the client's literal. */
function test (value: SqlValue, comparison: Exclude<Comparison, { operand: 'none' }>): SqlFragment {
  const operator = raw(SQL_OPERATORS[comparison.op])
  const json = value.kind === 'json'
  const ne = raw(String(comparison.op === 'ne'))
  switch (comparison.operand) {
    case 'string': return compareText(value, comparison)
    case 'number':
      if (!json) return sql`(${raw(value.sql)}) ${operator} cast(${bind(comparison.value)} as numeric)`
      return sql`case when jsonb_typeof(${raw(value.sql)}) = 'number' then (${raw(value.sql)})::numeric ${operator} cast(${bind(comparison.value)} as numeric) else ${ne} end`
    case 'boolean':
      // The evaluator: a value that is not a boolean matches nothing, not even ne.
      if (!json) return sql`(${raw(value.sql)}) ${operator} cast(${bind(comparison.value)} as boolean)`
      return sql`case when jsonb_typeof(${raw(value.sql)}) = 'boolean' then (${raw(value.sql)})::boolean ${operator} cast(${bind(comparison.value)} as boolean) else false end`
    case 'dateTime':
      if (!json) return sql`(${raw(value.sql)}) ${operator} cast(${bind(comparison.value)} as timestamptz)`
      return sql`case when jsonb_typeof(${raw(value.sql)}) = 'string' then ${raw(timestampOf(value.text))} ${operator} cast(${bind(comparison.value)} as timestamptz) else ${ne} end`
  }
}

/**
 * caseExact false: lower() on both sides (expression indexes on lower(x) apply; pg_trgm GIN for co,
 * btree text_pattern_ops for sw). Ordering in code-point order (collate "C"), as JavaScript compares.
 */
function compareText (value: SqlValue, comparison: Extract<Comparison, { operand: 'string' }>): SqlFragment {
  const { op, caseExact } = comparison
  const text = comparison.type === 'dateTime' && value.kind === 'column' ? isoText(value.sql) : textOf(value)
  const fold = (fragment: SqlFragment) => caseExact ? fragment : sql`lower(${fragment})`
  const left = fold(raw(text))
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const escaped = comparison.value.replace(/[\\%_]/g, '\\$&')
    const pattern = op === 'sw' ? `${escaped}%` : op === 'ew' ? `%${escaped}` : `%${escaped}%`
    return sql`${left} like ${fold(sql`cast(${bind(pattern)} as text)`)} escape '\\'`
  }
  const right = fold(sql`cast(${bind(comparison.value)} as text)`)
  const collate = op === 'eq' || op === 'ne' ? raw('') : raw(' collate "C"')
  return sql`${left}${collate} ${raw(SQL_OPERATORS[op])} ${right}`
}
