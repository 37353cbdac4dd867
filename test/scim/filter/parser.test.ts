import t, { type Test } from 'tap'
import { parseFilter, type AttributePath, type ComparisonOperator, type ComparisonValue, type Filter } from '../../../src/scim/filter/index.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

/** `at('name.familyName')`, `at('manager.value', ENTERPRISE)` */
const at = (dotted: string, uri?: string): AttributePath => {
  const [attribute, subAttribute] = dotted.split('.') as [string, string | undefined]
  return { ...(uri === undefined ? {} : { uri }), attribute, ...(subAttribute === undefined ? {} : { subAttribute }) }
}
const cmp = (path: string | AttributePath, op: ComparisonOperator, value: ComparisonValue): Filter =>
  ({ kind: 'compare', path: typeof path === 'string' ? at(path) : path, op, value })
const pr = (path: string | AttributePath): Filter => ({ kind: 'present', path: typeof path === 'string' ? at(path) : path })
const and = (...filters: Filter[]): Filter => ({ kind: 'and', filters })
const or = (...filters: Filter[]): Filter => ({ kind: 'or', filters })
const not = (filter: Filter): Filter => ({ kind: 'not', filter })
const valuePath = (path: string, filter: Filter): Filter => ({ kind: 'valuePath', path: at(path), filter })

const failsWith = (t: Test, text: string, message: string) =>
  t.throws(() => parseFilter(text), { name: 'ScimError', status: 400, scimType: 'invalidFilter', message }, text)

t.test('RFC 7644 §3.4.2.2 examples', async t => {
  const examples: Array<[string, Filter]> = [
    // Case-insensitivity examples of the text.
    ['userName Eq "john"', cmp('userName', 'eq', 'john')],
    ['Username eq "john"', cmp('Username', 'eq', 'john')],
    // Figure 2: Example Filters.
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    [`${CORE_USER}:userName sw "J"`, cmp(at('userName', CORE_USER), 'sw', 'J')],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))))],
    ['userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))))],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        valuePath('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))))]
  ]
  for (const [text, ast] of examples) t.same(parseFilter(text), ast, text)
  t.test('the RFC wraps long examples over lines', async t => {
    t.same(parseFilter('userType eq "Employee" and emails[type eq "work" and\n  value co "@example.com"]'), examples[17]?.[1])
  })
})

t.test('attribute paths', async t => {
  t.same(parseFilter(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
    cmp(at('manager.value', ENTERPRISE), 'eq', '26118915-6090-4610-87e4-49d8ca9f808d'), 'URN split at the last colon, 2.0 stays in the URN')
  t.same(parseFilter(`${ENTERPRISE}:employeeNumber pr`), pr(at('employeeNumber', ENTERPRISE)))
  t.same(parseFilter('members.$ref pr'), pr('members.$ref'), '$ref is an RFC 7643 sub-attribute name')
  t.same(parseFilter('x-custom_1 eq 1'), cmp('x-custom_1', 'eq', 1))
  t.same(parseFilter('NAME.FamilyName eq "x"'), cmp('NAME.FamilyName', 'eq', 'x'), 'names kept as written')
})

t.test('values', async t => {
  t.same(parseFilter('a eq "say \\"hi\\" \\u00e9"'), cmp('a', 'eq', 'say "hi" é'))
  t.same(parseFilter('a eq -12.5e2'), cmp('a', 'eq', -1250))
  t.same(parseFilter('a eq 0'), cmp('a', 'eq', 0))
  t.same(parseFilter('a eq true or a eq FALSE or a eq Null'), or(cmp('a', 'eq', true), cmp('a', 'eq', false), cmp('a', 'eq', null)),
    'literals in any case')
})

t.test('precedence: not > and > or, with n-ary chains', async t => {
  t.same(parseFilter('a pr or b pr and c pr'), or(pr('a'), and(pr('b'), pr('c'))))
  t.same(parseFilter('a pr and b pr or c pr'), or(and(pr('a'), pr('b')), pr('c')))
  t.same(parseFilter('a pr and b pr and c pr'), and(pr('a'), pr('b'), pr('c')), 'one node with three children')
  t.same(parseFilter('a pr or b pr or c pr or d pr'), or(pr('a'), pr('b'), pr('c'), pr('d')))
  t.same(parseFilter('a pr and (b pr and c pr)'), and(pr('a'), pr('b'), pr('c')), 'redundant grouping flattens')
  t.same(parseFilter('(a pr or b pr) and c pr'), and(or(pr('a'), pr('b')), pr('c')))
  t.same(parseFilter('not (a pr) and b pr'), and(not(pr('a')), pr('b')))
  t.same(parseFilter('not (a pr or b pr) or c pr'), or(not(or(pr('a'), pr('b'))), pr('c')))
  t.same(parseFilter('((a pr))'), pr('a'))
  t.same(parseFilter('not(not (a pr))'), not(not(pr('a'))), '"not" directly followed by "("')
})

t.test('operators and logical keywords are case-insensitive', async t => {
  const expected = and(cmp('a', 'eq', 1), not(or(pr('b'), cmp('c', 'co', 'x'))))
  t.same(parseFilter('a EQ 1 AND NOT (b PR Or c cO "x")'), expected)
  for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const) {
    t.same(parseFilter(`a ${op.toUpperCase()} "x"`), cmp('a', op, 'x'), op)
  }
})

t.test('keywords are only keywords where the grammar expects them', async t => {
  t.same(parseFilter('and eq "x" and or pr'), and(cmp('and', 'eq', 'x'), pr('or')))
  t.same(parseFilter('not pr'), pr('not'))
  t.same(parseFilter('pr eq true'), cmp('pr', 'eq', true))
  t.same(parseFilter('not[value eq 1]'), valuePath('not', cmp('value', 'eq', 1)))
})

t.test('valuePath', async t => {
  t.same(parseFilter('emails[type eq "work"]'), valuePath('emails', cmp('type', 'eq', 'work')))
  t.same(parseFilter('emails[type eq "work" or (type eq "home" and value ew "@example.com")]'),
    valuePath('emails', or(cmp('type', 'eq', 'work'), and(cmp('type', 'eq', 'home'), cmp('value', 'ew', '@example.com')))),
    'grouping inside brackets (RFC 7644 errata 7322)')
  t.same(parseFilter('emails[not (primary eq true)]'), valuePath('emails', not(cmp('primary', 'eq', true))))
  t.same(parseFilter(`${ENTERPRISE}:things[value pr]`), { kind: 'valuePath', path: at('things', ENTERPRISE), filter: pr('value') })
  t.test('lenience: attr[filter].sub op value reads as attr[filter and sub op value]', async t => {
    t.same(parseFilter('emails[type eq "work"].value eq "x"'),
      valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))))
    t.same(parseFilter('emails[type eq "work" and primary eq true].value pr'),
      valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true), pr('value'))))
    t.same(parseFilter('emails[type eq "a" or type eq "b"].value co "x"'),
      valuePath('emails', and(or(cmp('type', 'eq', 'a'), cmp('type', 'eq', 'b')), cmp('value', 'co', 'x'))))
  })
})

t.test('syntax errors say what was expected and where', async t => {
  const cases: Array<[string, string]> = [
    ['', 'Filter is empty'],
    ['   ', 'Filter is empty'],
    ['userName', 'Expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" at character offset 8, found end of input'],
    ['userName xx "a"', 'Expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" at character offset 9, found "xx"'],
    ['userName regex "a"', 'Expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" at character offset 9, found "regex"'],
    ['userName eq', 'Expected a comparison value (JSON string, number, true, false or null) at character offset 11, found end of input'],
    ['userName eq bjensen', 'Expected a comparison value (JSON string, number, true, false or null) at character offset 12, found "bjensen"'],
    ['x eq .5', 'Expected a comparison value (JSON string, number, true, false or null) at character offset 5, found "."'],
    ['title pr "x"', 'Expected "and", "or" or end of filter at character offset 9, found string "x"'],
    ['userName eq "a" junk', 'Expected "and", "or" or end of filter at character offset 16, found "junk"'],
    ['userName eq "a")', 'Expected "and", "or" or end of filter at character offset 15, found ")"'],
    ['(userName eq "a"', 'Expected ")" at character offset 16, found end of input'],
    ['a pr and', 'Expected an attribute path, "(" or "not (" at character offset 8, found end of input'],
    ['a pr or or b pr', 'Expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" at character offset 11, found "b"'],
    [') a pr', 'Expected an attribute path, "(" or "not (" at character offset 0, found ")"'],
    ['()', 'Expected an attribute path, "(" or "not (" at character offset 1, found ")"'],
    ['not userName eq "a"', 'Expected "(" after "not" at character offset 4, found "userName"'],
    ['not', 'Expected "(" after "not" at character offset 3, found end of input'],
    ['a.b.c eq "x"', 'Invalid attribute path "a.b.c" at character offset 0: at most one sub-attribute is allowed'],
    ['name. eq "x"', 'Invalid attribute path "name." at character offset 0: an attribute name is empty'],
    ['a_b:9x eq "x"', 'Invalid attribute path "a_b:9x" at character offset 0: the schema URI is malformed'],
    [`${ENTERPRISE}: eq "x"`, `Invalid attribute path "${ENTERPRISE}:" at character offset 0: an attribute name is empty`],
    ['urn:x:1abc pr', 'Invalid attribute path "urn:x:1abc" at character offset 0: "1abc" is not an attribute name'],
    ['emails[type eq "work"', 'Expected "]" at character offset 21, found end of input'],
    ['emails[]', 'Expected an attribute path, "(" or "not (" at character offset 7, found "]"'],
    ['emails[value[x eq 1]]', 'Nested valuePath "value[" inside "emails[...]" at character offset 7 is not allowed'],
    ['emails[type eq "w" and x[y pr]]', 'Nested valuePath "x[" inside "emails[...]" at character offset 23 is not allowed'],
    ['emails[type.x eq "w"]', 'Inside "emails[...]" an attribute path names a sub-attribute and cannot have a schema URI or a "." (found "type.x" at character offset 7)'],
    [`emails[${CORE_USER}:type eq "w"]`, `Inside "emails[...]" an attribute path names a sub-attribute and cannot have a schema URI or a "." (found "${CORE_USER}:type" at character offset 7)`],
    ['name.givenName[value pr]', 'A valuePath applies to a multi-valued attribute, not to the sub-attribute "name.givenName" at character offset 0'],
    ['emails[type eq "w"].', 'Expected an attribute path at character offset 20, found end of input'],
    ['emails[type eq "w"].value.x eq 1', 'Expected a sub-attribute name of "emails" at character offset 20, found "value.x"'],
    ['emails[type eq "w"].value', 'Expected a comparison operator (eq, ne, co, sw, ew, gt, lt, ge, le) or "pr" at character offset 25, found end of input'],
    ['userName eq "a" and', 'Expected an attribute path, "(" or "not (" at character offset 19, found end of input']
  ]
  for (const [text, message] of cases) failsWith(t, text, message)
})

t.test('limits', async t => {
  t.test('length', async t => {
    const long = `userName eq "${'x'.repeat(4096)}"`
    failsWith(t, long, 'Filter is 4110 characters long; the maximum is 4096')
    t.same(parseFilter('a pr', { maxLength: 4 }), pr('a'))
    t.throws(() => parseFilter(' a pr', { maxLength: 4 }), { message: 'Filter is 5 characters long; the maximum is 4' })
  })
  t.test('depth counts (, not ( and [', async t => {
    const nest = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`
    t.same(parseFilter(nest(32)), pr('a'))
    failsWith(t, nest(33), 'Filter nesting exceeds the maximum depth of 32 at character offset 32')
    failsWith(t, `${'not ('.repeat(33)}a pr${')'.repeat(33)}`, 'Filter nesting exceeds the maximum depth of 32 at character offset 160')
    t.throws(() => parseFilter('(emails[type pr])', { maxDepth: 1 }), { message: 'Filter nesting exceeds the maximum depth of 1 at character offset 7' })
    t.throws(() => parseFilter(nest(10000), { maxLength: 100_000 }), { name: 'ScimError', scimType: 'invalidFilter' }, 'hostile nesting is a 400, not a stack overflow')
  })
  t.test('nodes count attribute expressions', async t => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `a eq ${i}`).join(' or ')
    t.equal(parseFilter(chain(256)).kind, 'or')
    failsWith(t, chain(257), 'Filter has more than the maximum of 256 attribute expressions')
    t.throws(() => parseFilter('a pr and b pr and c pr', { maxNodes: 2 }), { message: 'Filter has more than the maximum of 2 attribute expressions' })
  })
})
