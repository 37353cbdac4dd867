/**
 * The rules of a filter comparison that depend only on the attribute's definition and the
 * comparison value: which operators a type allows, what the value must be, and how it is read.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (Table 3)
 *
 * The SQL translation (src/persistence/scim-sql) applies them once per comparison; the in-memory
 * evaluator (evaluate.ts) applies the same rules, with the same messages, value by value.
 */
import { invalidFilter } from '../errors.js'
import type { AttributeDefinition, AttributeType } from '../schema/types.js'
import type { ComparisonOperator, ComparisonValue } from './ast.js'

/** How a comparison is carried out, once the rules have accepted it. */
export type Comparison =
  /** Strings, references, binary, and co/sw/ew on a dateTime (which compare its text). */
  | { operand: 'string', op: ComparisonOperator, value: string, caseExact: boolean, type: AttributeType }
  | { operand: 'number', op: ComparisonOperator, value: number }
  | { operand: 'boolean', op: ComparisonOperator, value: boolean }
  /** Chronological; `value` is the instant as ISO 8601 UTC with milliseconds. */
  | { operand: 'dateTime', op: ComparisonOperator, value: string }
  /** A complex value never equals a literal: only `ne` holds. */
  | { operand: 'none', op: ComparisonOperator }

const SUBSTRING_TYPES = new Set<AttributeType>(['string', 'reference', 'binary', 'dateTime'])
const ORDERING = new Set<ComparisonOperator>(['gt', 'ge', 'lt', 'le'])
const SUBSTRING = new Set<ComparisonOperator>(['co', 'sw', 'ew'])

/** Comparing with null asks whether the attribute has a value (RFC 7643 §2.5): only eq and ne can. */
export function checkNullComparison (name: string, op: ComparisonOperator): 'eq' | 'ne' {
  if (op === 'eq' || op === 'ne') return op
  throw invalidFilter(`Operator "${op}" cannot compare "${name}" with null; use eq, ne or pr`)
}

/**
 * A single complex attribute (`name eq "x"`) is compared through one of its sub-attributes, unless it has
 * a `value` (`manager eq "id"`): that is compared, as for multi-valued ones (RFC 7643 §2.4 "significant
 * value"). Microsoft Entra ID checks managers exactly so (docs/idp-compatibility.md).
 */
export function checkNotSingleComplex (name: string, definition: AttributeDefinition): void {
  if (definition.type === 'complex' && !definition.multiValued && !definition.subAttributes?.some(s => s.name === 'value')) {
    throw invalidFilter(`"${name}" is a complex attribute; filter on one of its sub-attributes, e.g. "${name}.${definition.subAttributes?.[0]?.name ?? 'value'}"`)
  }
}

export function planComparison (name: string, op: ComparisonOperator, expected: Exclude<ComparisonValue, null>, definition: AttributeDefinition): Comparison {
  const { type } = definition
  const substring = SUBSTRING.has(op)
  // RFC 7644 Table 3: gt/ge/lt/le on boolean or binary SHALL fail with invalidFilter; co/sw/ew are string operators.
  if ((ORDERING.has(op) && (type === 'boolean' || type === 'binary')) || (substring && !SUBSTRING_TYPES.has(type))) {
    throw invalidFilter(`Operator "${op}" is not defined on the ${type} attribute "${name}"`)
  }
  const mismatch = (wanted: string) => invalidFilter(`"${name}" is of type ${type}; compare it with ${wanted}`)
  switch (type) {
    case 'boolean':
      if (typeof expected !== 'boolean') throw mismatch('true or false')
      return { operand: 'boolean', op, value: expected }
    case 'integer':
    case 'decimal':
      if (typeof expected !== 'number') throw mismatch('a number')
      return { operand: 'number', op, value: expected }
    case 'dateTime': {
      if (typeof expected !== 'string') throw mismatch('a dateTime string')
      if (substring) return { operand: 'string', op, value: expected, caseExact: false, type }
      const time = parseDateTime(expected)
      if (time === undefined) throw invalidFilter(`${JSON.stringify(expected)} is not a valid dateTime to compare with "${name}"`)
      return { operand: 'dateTime', op, value: new Date(time).toISOString() }
    }
    case 'complex':
      return { operand: 'none', op }
    default:
      if (typeof expected !== 'string') throw mismatch('a string')
      return { operand: 'string', op, value: expected, caseExact: definition.caseExact, type }
  }
}

// xsd:dateTime (RFC 7643 §2.3.5); a value without a zone offset is read as UTC, never local time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i

/** Milliseconds since the epoch (fractions beyond milliseconds are cut, as Date.parse does), or undefined. */
export function parseDateTime (text: string): number | undefined {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const time = Date.parse(match[2] === undefined ? `${text}Z` : text)
  return Number.isNaN(time) ? undefined : time
}
