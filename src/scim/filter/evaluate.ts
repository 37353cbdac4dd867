/**
 * In-memory filter evaluation over a SCIM JSON representation.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (operators, Table 3; multi-valued "any" rule)
 *
 * Used to filter resources held in memory and, by the PATCH engine, to select elements of a
 * multi-valued attribute (`emails[type eq "work"]`). Attribute names match case-insensitively;
 * extension attributes live under their schema URN key.
 */
import { invalidFilter } from '../errors.js'
import type { AttributeDefinition, AttributeType } from '../schema/types.js'
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter } from './ast.js'
import { formatAttributePath } from './printer.js'

export type DescribeAttribute = (path: AttributePath) => AttributeDefinition | undefined

type Json = Record<string, unknown>

/** What a path names in one scope: its non-null values (multi-valued ones spread) and its schema. */
interface Target {
  values: unknown[]
  definition: AttributeDefinition | undefined
}

interface Scope {
  target: (path: AttributePath) => Target
  /** Elements of a multi-valued attribute, for `attr[filter]`. */
  elements: (path: AttributePath) => unknown[]
  describe: DescribeAttribute
}

export function evaluateFilter (filter: Filter, resource: Json, describe: DescribeAttribute): boolean {
  return matches(filter, resourceScope(resource, describe))
}

/**
 * Whether one element of the multi-valued `attribute` matches the filter inside `attribute[...]`.
 * The PATCH engine selects the targets of `emails[type eq "work"]` with it (RFC 7644 §3.5.2).
 */
export function evaluateElementFilter (filter: Filter, element: unknown, attribute: AttributePath, describe: DescribeAttribute): boolean {
  return matches(filter, elementScope(attribute, element, describe))
}

function matches (filter: Filter, scope: Scope): boolean {
  switch (filter.kind) {
    case 'and': return filter.filters.every(child => matches(child, scope))
    case 'or': return filter.filters.some(child => matches(child, scope))
    case 'not': return !matches(filter.filter, scope)
    case 'present': return scope.target(filter.path).values.some(isPresent)
    case 'valuePath': {
      const inner = filter.filter
      return scope.elements(filter.path).some(element => matches(inner, elementScope(filter.path, element, scope.describe)))
    }
    case 'compare': return compare(filter.path, filter.op, filter.value, scope)
  }
}

function resourceScope (resource: Json, describe: DescribeAttribute): Scope {
  const elements = (path: AttributePath) => {
    const container = containerOf(resource, path.uri)
    return container === undefined ? [] : spread(lookup(container, path.attribute))
  }
  return {
    describe,
    elements,
    target (path) {
      const own = elements(path)
      const sub = path.subAttribute
      const values = sub === undefined ? own : own.flatMap(element => isObject(element) ? spread(lookup(element, sub)) : [])
      return { values, definition: describe(path) }
    }
  }
}

/**
 * Inside `emails[...]` a path names a sub-attribute of one element. A simple multi-valued attribute's
 * element (`schemas`, a string) is its own `value`, so `[value eq "x"]` can select it for PATCH.
 */
function elementScope (outer: AttributePath, element: unknown, describe: DescribeAttribute): Scope {
  const describeSub: DescribeAttribute = path => describe({ ...outer, subAttribute: path.attribute })
  return {
    describe: describeSub,
    target (path) {
      if (isObject(element)) return { values: spread(lookup(element, path.attribute)), definition: describeSub(path) }
      if (path.attribute.toLowerCase() !== 'value') return { values: [], definition: undefined }
      return { values: spread(element), definition: describe(outer) }
    },
    elements (path) {
      throw invalidFilter(`A valuePath cannot be nested: "${formatAttributePath(path)}[...]" inside "${formatAttributePath(outer)}[...]"`)
    }
  }
}

/** `true` on the resource's attribute filtered with `op value`: any value matching is enough. */
function compare (path: AttributePath, op: ComparisonOperator, expected: ComparisonValue, scope: Scope): boolean {
  const target = scope.target(path)
  if (expected === null) {
    // Comparing with null asks whether the attribute has a value (RFC 7643 §2.5: null is unassigned).
    if (op === 'eq') return !target.values.some(isPresent)
    if (op === 'ne') return target.values.some(isPresent)
    throw invalidFilter(`Operator "${op}" cannot compare "${formatAttributePath(path)}" with null; use eq, ne or pr`)
  }
  const { values, definition } = complexValues(path, target, scope.describe)
  if (values.length === 0) return op === 'ne'
  return values.some(actual => compareValue(path, op, expected, actual, definition))
}

/**
 * A complex multi-valued attribute filtered without a sub-attribute (`emails co "example.com"`, an
 * example of RFC 7644 Figure 2) compares each element's `value`, "the attribute's significant value"
 * (RFC 7643 §2.4). A single complex attribute needs a sub-attribute (RFC 7644 §3.4.2.2) unless it has a
 * `value` (`manager eq "id"`, as Entra sends it).
 */
function complexValues (path: AttributePath, target: Target, describe: DescribeAttribute): Target {
  const { values, definition } = target
  if (definition?.type === 'complex' && !definition.multiValued && !definition.subAttributes?.some(s => s.name === 'value')) {
    throw invalidFilter(`"${formatAttributePath(path)}" is a complex attribute; filter on one of its sub-attributes, e.g. "${formatAttributePath(path)}.${definition.subAttributes?.[0]?.name ?? 'value'}"`)
  }
  if (definition === undefined ? !values.some(isObject) : definition.type !== 'complex') return target
  const significant = values.flatMap(element => isObject(element) ? spread(lookup(element, 'value')) : [])
  return { values: significant, definition: describe({ ...path, subAttribute: 'value' }) }
}

const SUBSTRING_TYPES = new Set<AttributeType>(['string', 'reference', 'binary', 'dateTime'])

function compareValue (path: AttributePath, op: ComparisonOperator, expected: Exclude<ComparisonValue, null>, actual: unknown, definition: AttributeDefinition | undefined): boolean {
  const type = definition?.type ?? inferType(actual)
  const name = formatAttributePath(path)
  // With a schema, a value of the wrong JSON type is the client's mistake; without one, just no match.
  const mismatch = (wanted: string) => {
    if (definition !== undefined) throw invalidFilter(`"${name}" is of type ${type}; compare it with ${wanted}`)
    return op === 'ne'
  }
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le'
  const substring = op === 'co' || op === 'sw' || op === 'ew'
  // RFC 7644 Table 3: gt/ge/lt/le on boolean or binary SHALL fail with invalidFilter; co/sw/ew are string operators.
  if ((ordering && (type === 'boolean' || type === 'binary')) || (substring && !SUBSTRING_TYPES.has(type))) {
    throw invalidFilter(`Operator "${op}" is not defined on the ${type} attribute "${name}"`)
  }
  switch (type) {
    case 'boolean':
      if (typeof expected !== 'boolean') return mismatch('true or false')
      return typeof actual === 'boolean' && byOrder(op, actual === expected ? 0 : 1)
    case 'integer':
    case 'decimal':
      if (typeof expected !== 'number') return mismatch('a number')
      return typeof actual === 'number' ? byOrder(op, Math.sign(actual - expected)) : op === 'ne'
    case 'dateTime':
      if (typeof expected !== 'string') return mismatch('a dateTime string')
      if (substring) return compareStrings(op, actual, expected, false)
      return compareDateTimes(name, op, actual, expected)
    case 'complex':
      return op === 'ne'
    default:
      if (typeof expected !== 'string') return mismatch('a string')
      return compareStrings(op, actual, expected, definition?.caseExact ?? false)
  }
}

// RFC 7644 §3.4.2.2: "the case sensitivity for String type attributes SHALL be determined by the
// attribute's caseExact characteristic"; without a definition, RFC 7643 §2.2's default (false) applies.
function compareStrings (op: ComparisonOperator, actual: unknown, expected: string, caseExact: boolean): boolean {
  if (typeof actual !== 'string') return op === 'ne'
  const a = caseExact ? actual : actual.toLowerCase()
  const b = caseExact ? expected : expected.toLowerCase()
  switch (op) {
    case 'co': return a.includes(b)
    case 'sw': return a.startsWith(b)
    case 'ew': return a.endsWith(b)
    default: return byOrder(op, a < b ? -1 : a > b ? 1 : 0)
  }
}

function compareDateTimes (name: string, op: ComparisonOperator, actual: unknown, expected: string): boolean {
  const b = parseDateTime(expected)
  if (b === undefined) throw invalidFilter(`${JSON.stringify(expected)} is not a valid dateTime to compare with "${name}"`)
  const a = typeof actual === 'string' ? parseDateTime(actual) : undefined
  return a === undefined ? op === 'ne' : byOrder(op, Math.sign(a - b))
}

function byOrder (op: ComparisonOperator, order: number): boolean {
  switch (op) {
    case 'eq': return order === 0
    case 'ne': return order !== 0
    case 'gt': return order > 0
    case 'ge': return order >= 0
    case 'lt': return order < 0
    case 'le': return order <= 0
    default: return false
  }
}

// xsd:dateTime (RFC 7643 §2.3.5); a value without a zone offset is read as UTC, never local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i

function parseDateTime (text: string): number | undefined {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const time = Date.parse(match[2] === undefined ? `${text}Z` : text)
  return Number.isNaN(time) ? undefined : time
}

function inferType (value: unknown): AttributeType {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return 'decimal'
  if (isObject(value)) return 'complex'
  return 'string'
}

/** The attribute's own object: the resource, or an extension under its URN key. */
function containerOf (resource: Json, uri: string | undefined): Json | undefined {
  if (uri === undefined) return resource
  const extension = lookup(resource, uri)
  if (isObject(extension)) return extension
  return coreSchemaOf(resource)?.toLowerCase() === uri.toLowerCase() ? resource : undefined
}

/** The core schema is the `schemas` entry that is not an extension key (RFC 7643 §3). */
function coreSchemaOf (resource: Json): string | undefined {
  const schemas = resource.schemas
  if (!Array.isArray(schemas)) return undefined
  return schemas.find((schema): schema is string => typeof schema === 'string' && !isObject(lookup(resource, schema)))
}

/** Exact key first, then case-insensitively (RFC 7643 §2.1: attribute names are case insensitive). */
function lookup (object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name]
  const lower = name.toLowerCase()
  const key = Object.keys(object).find(candidate => candidate.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

/** Values of an attribute as a list: arrays spread, null and absent dropped. */
function spread (value: unknown): unknown[] {
  const values = Array.isArray(value) ? value : [value]
  return values.filter(item => item !== null && item !== undefined)
}

/** RFC 7644 Table 3, "pr": a non-empty value, or a complex value with a non-empty node. */
function isPresent (value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false
  if (Array.isArray(value)) return value.some(isPresent)
  if (isObject(value)) return Object.values(value).some(isPresent)
  return true
}

function isObject (value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
