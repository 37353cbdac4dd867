/**
 * Canonical text of a filter: `parseFilter(formatFilter(f))` gives back `f`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 *
 * Operators and literals in lower case, single spaces, parentheses only where precedence
 * (not > and > or) needs them, values as JSON.
 */
import type { AttributePath, ComparisonValue, Filter, PatchPath } from './ast.js'

const PRECEDENCE = { or: 1, and: 2 } as const

export function formatAttributePath (path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`
  return path.uri === undefined ? name : `${path.uri}:${name}`
}

export function formatPatchPath (path: PatchPath): string {
  if (path.filter === undefined) return formatAttributePath(path)
  const { subAttribute, filter, ...attribute } = path
  const selected = `${formatAttributePath(attribute)}[${formatFilter(filter)}]`
  return subAttribute === undefined ? selected : `${selected}.${subAttribute}`
}

export function formatFilter (filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttributePath(filter.path)} ${filter.op} ${formatValue(filter.value)}`
    case 'present':
      return `${formatAttributePath(filter.path)} pr`
    case 'not':
      return `not (${formatFilter(filter.filter)})`
    case 'valuePath':
      return `${formatAttributePath(filter.path)}[${formatFilter(filter.filter)}]`
    case 'and':
    case 'or':
      return filter.filters.map(child => formatOperand(child, PRECEDENCE[filter.kind])).join(` ${filter.kind} `)
  }
}

function formatOperand (filter: Filter, parentPrecedence: number): string {
  const text = formatFilter(filter)
  const precedence = filter.kind === 'and' || filter.kind === 'or' ? PRECEDENCE[filter.kind] : Infinity
  // `<=`, not `<`: a nested node of the same kind (never produced by the parser) keeps its shape.
  return precedence <= parentPrecedence ? `(${text})` : text
}

function formatValue (value: ComparisonValue): string {
  // JSON.stringify would print NaN and Infinity as null: refuse rather than change the filter.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Cannot format the non-finite number ${value} as a SCIM filter value`)
  }
  return JSON.stringify(value)
}
