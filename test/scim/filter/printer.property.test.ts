import { deepStrictEqual } from 'node:assert/strict'
import fc from 'fast-check'
import t from 'tap'
import {
  formatAttributePath, formatFilter, formatPatchPath, parseFilter, parsePatchPath,
  type AttributePath, type ComparisonOperator, type ComparisonValue, type Filter, type PatchPath
} from '../../../src/scim/filter/index.js'

const OPERATORS: ComparisonOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']
// Round-tripping is about syntax: lift the limits so large generated trees are not refused.
const UNLIMITED = { maxLength: Infinity, maxDepth: Infinity, maxNodes: Infinity }

// ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_"); `and`, `not`, `pr`, `eq`… included on purpose.
const attributeName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
  fc.constantFrom('and', 'or', 'not', 'pr', 'eq', 'true', 'null', 'value', '$ref')
)
const uri = fc.oneof(
  fc.constantFrom('urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'),
  fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,6}$/), { minLength: 1, maxLength: 4 }).map(parts => `urn:${parts.join(':')}`)
)
const attributePath: fc.Arbitrary<AttributePath> = fc.record(
  { uri, attribute: attributeName, subAttribute: attributeName },
  { requiredKeys: ['attribute'], noNullPrototype: true }
)
const subAttributePath: fc.Arbitrary<AttributePath> = attributeName.map(attribute => ({ attribute }))

const value: fc.Arbitrary<ComparisonValue> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(code => String.fromCharCode(code)) }), // lone surrogates, controls
  fc.string({ unit: 'binary' }),
  fc.integer(),
  // -0 prints as 0, so it cannot round-trip; every other finite double does.
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter(n => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null)
)

function attributeExpression (path: fc.Arbitrary<AttributePath>): fc.Arbitrary<Filter> {
  return fc.oneof(
    fc.record({ kind: fc.constant('compare' as const), path, op: fc.constantFrom(...OPERATORS), value }, { noNullPrototype: true }),
    fc.record({ kind: fc.constant('present' as const), path }, { noNullPrototype: true })
  )
}

/**
 * Filters as the parser builds them: n-ary and/or with ≥ 2 children, none of the same kind
 * as its parent (the parser flattens those), and no valuePath inside a valuePath.
 */
function filters (leaf: fc.Arbitrary<Filter>, valuePath?: (inner: fc.Arbitrary<Filter>) => fc.Arbitrary<Filter>): fc.Arbitrary<Filter> {
  return fc.letrec<{ filter: Filter, and: Filter, or: Filter, not: Filter, group: Filter }>(tie => {
    const pick = (...kinds: Array<'and' | 'or' | 'not' | 'group'>) =>
      fc.oneof({ maxDepth: 4, depthIdentifier: 'filter' }, leaf, ...kinds.map(kind => tie(kind)))
    const chain = (kind: 'and' | 'or', other: 'and' | 'or') =>
      fc.array(pick(other, 'not', 'group'), { minLength: 2, maxLength: 4 }).map(children => ({ kind, filters: children }))
    return {
      filter: pick('and', 'or', 'not', 'group'),
      and: chain('and', 'or'),
      or: chain('or', 'and'),
      not: tie('filter').map(filter => ({ kind: 'not' as const, filter })),
      group: valuePath === undefined ? leaf : valuePath(tie('filter'))
    }
  }).filter
}

const innerFilter = filters(attributeExpression(subAttributePath))
const valuePathFilter = (_: fc.Arbitrary<Filter>) => fc.record({
  kind: fc.constant('valuePath' as const),
  path: fc.record({ uri, attribute: attributeName }, { requiredKeys: ['attribute'], noNullPrototype: true }),
  filter: innerFilter
}, { noNullPrototype: true })
const filter = filters(attributeExpression(attributePath), valuePathFilter)

t.test('parseFilter(formatFilter(ast)) gives back ast', async t => {
  fc.assert(fc.property(filter, ast => {
    deepStrictEqual(parseFilter(formatFilter(ast), UNLIMITED), ast)
  }), { numRuns: 2000 })
  t.pass('2000 generated filters round-trip')
})

t.test('formatting is canonical: printing a parsed filter again gives the same text', async t => {
  fc.assert(fc.property(filter, ast => {
    const text = formatFilter(ast)
    deepStrictEqual(formatFilter(parseFilter(text, UNLIMITED)), text)
  }), { numRuns: 500 })
  t.pass('stable')
})

t.test('PATCH paths round-trip too', async t => {
  const patchPath: fc.Arbitrary<PatchPath> = fc.oneof(
    attributePath,
    fc.record({ uri, attribute: attributeName, filter: innerFilter, subAttribute: attributeName }, { requiredKeys: ['attribute', 'filter'], noNullPrototype: true })
  )
  fc.assert(fc.property(patchPath, path => {
    deepStrictEqual(parsePatchPath(formatPatchPath(path)), path)
  }), { numRuns: 500 })
  t.pass('paths round-trip')
})

t.test('printing', async t => {
  t.equal(formatFilter(parseFilter('a PR OR b Eq 1 AND NOT(c Co "x")')), 'a pr or b eq 1 and not (c co "x")')
  t.equal(formatFilter(parseFilter('(a pr or b pr) and c pr')), '(a pr or b pr) and c pr')
  t.equal(formatFilter(parseFilter('a eq "tab\\there \\"q\\" \\u00e9 \\/"')), 'a eq "tab\\there \\"q\\" é /"')
  t.equal(formatFilter(parseFilter('a eq 1.50e2')), 'a eq 150')
  t.equal(formatFilter(parseFilter('emails[type eq "work"].value eq "x"')), 'emails[type eq "work" and value eq "x"]')
  t.equal(formatAttributePath({ uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attribute: 'manager', subAttribute: 'value' }),
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')
  const and = (...filters: Filter[]): Filter => ({ kind: 'and', filters })
  const a: Filter = { kind: 'present', path: { attribute: 'a' } }
  t.equal(formatFilter(and(a, and(a, a))), 'a pr and (a pr and a pr)', 'a hand-built nested chain keeps its shape')
  t.throws(() => formatFilter({ kind: 'compare', path: { attribute: 'a' }, op: 'eq', value: Number.NaN }),
    { name: 'RangeError', message: 'Cannot format the non-finite number NaN as a SCIM filter value' })
})
