import t, { type Test } from 'tap'
import type { AttributeDefinition, AttributeType } from '../../../src/scim/schema/types.js'
import { evaluateElementFilter, evaluateFilter, parseFilter, parsePatchPath, type AttributePath } from '../../../src/scim/filter/index.js'

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const attr = (name: string, type: AttributeType, extra: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra
})
const multi = (name: string, subAttributes: AttributeDefinition[]) => attr(name, 'complex', { multiValued: true, subAttributes })

const userAttributes = [
  attr('id', 'string', { caseExact: true }),
  attr('userName', 'string'),
  attr('externalId', 'string', { caseExact: true }),
  attr('name', 'complex', { subAttributes: [attr('givenName', 'string'), attr('familyName', 'string')] }),
  attr('title', 'string'),
  attr('active', 'boolean'),
  attr('x509Certificate', 'binary'),
  attr('loginCount', 'integer'),
  attr('score', 'decimal'),
  attr('schemas', 'reference', { multiValued: true, caseExact: true }),
  multi('emails', [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')]),
  multi('members', [attr('value', 'string', { caseExact: true }), attr('display', 'string')]),
  attr('meta', 'complex', { subAttributes: [attr('created', 'dateTime'), attr('lastModified', 'dateTime')] })
]
const enterpriseAttributes = [
  attr('employeeNumber', 'string'),
  attr('manager', 'complex', { subAttributes: [attr('value', 'string'), attr('displayName', 'string')] })
]

/** A describe() as the schema registry will provide it: case-insensitive, URN-aware. */
const calls: AttributePath[] = []
function describe (path: AttributePath): AttributeDefinition | undefined {
  calls.push(path)
  const attributes = path.uri?.toLowerCase() === ENTERPRISE.toLowerCase() ? enterpriseAttributes : userAttributes
  const named = (list: AttributeDefinition[] | undefined, name: string) => list?.find(a => a.name.toLowerCase() === name.toLowerCase())
  const top = named(attributes, path.attribute)
  return path.subAttribute === undefined ? top : named(top?.subAttributes, path.subAttribute)
}

const bjensen = {
  schemas: [CORE_USER, ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-7',
  userName: 'bjensen@example.com',
  name: { givenName: 'Barbara', familyName: "O'Malley" },
  title: '',
  active: true,
  loginCount: 42,
  score: 4.5,
  x509Certificate: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' }
  ],
  members: [],
  meta: { created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
  [ENTERPRISE]: { employeeNumber: '701984', manager: { value: '26118915', displayName: 'John Smith' } }
}

const check = (t: Test, cases: Array<[string, boolean]>, resource: Record<string, unknown> = bjensen) => {
  for (const [filter, expected] of cases) t.equal(evaluateFilter(parseFilter(filter), resource, describe), expected, filter)
}
const refuses = (t: Test, filter: string, message: string, resource: Record<string, unknown> = bjensen) =>
  t.throws(() => evaluateFilter(parseFilter(filter), resource, describe), { name: 'ScimError', scimType: 'invalidFilter', message }, filter)

t.test('strings follow caseExact (RFC 7644 §3.4.2.2)', async t => {
  check(t, [
    ['userName eq "BJENSEN@example.com"', true], // caseExact false
    ['externalId eq "bjensen-7"', false], // caseExact true
    ['externalId eq "Bjensen-7"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['name.familyName co "o\'mal"', true],
    ['userName sw "BJ"', true],
    ['userName ew "@EXAMPLE.COM"', true],
    ['externalId sw "bj"', false],
    ['userName gt "a"', true],
    ['userName lt "a"', false],
    ['userName ge "BJENSEN@example.com"', true],
    ['userName ne "bjensen@example.com"', false]
  ])
  t.test('without a definition, strings compare case-insensitively', async t => {
    t.equal(evaluateFilter(parseFilter('nickName eq "BABS"'), { nickName: 'Babs' }, () => undefined), true)
  })
})

t.test('attribute names match case-insensitively; URNs select the schema', async t => {
  check(t, [
    ['USERNAME eq "bjensen@example.com"', true],
    ['Name.FamilyName eq "o\'malley"', true],
    [`${CORE_USER}:userName sw "bjensen"`, true],
    [`${CORE_USER.toUpperCase()}:userName sw "bjensen"`, true],
    [`${ENTERPRISE}:employeeNumber eq "701984"`, true],
    [`${ENTERPRISE}:manager.value eq "26118915"`, true],
    [`${ENTERPRISE}:manager.displayName co "smith"`, true],
    [`${ENTERPRISE}:userName pr`, false],
    ['urn:example:unknown:1.0:User:userName pr', false],
    ['employeeNumber pr', false]
  ])
})

t.test('dateTime compares chronologically', async t => {
  check(t, [
    ['meta.lastModified gt "2011-05-13T04:42:33Z"', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified eq "2011-05-13T06:42:34+02:00"', true],
    ['meta.lastModified eq "2011-05-13T04:42:34.000Z"', true],
    ['meta.lastModified lt "2011-05-13T05:00:00+01:00"', false],
    ['meta.lastModified le "2011-05-13T04:42:34"', true],
    ['meta.created lt "2011-01-01T00:00:00Z" and meta.lastModified gt "2011-01-01T00:00:00Z"', true],
    ['meta.lastModified sw "2011-05"', true]
  ])
  refuses(t, 'meta.lastModified gt "yesterday"', '"yesterday" is not a valid dateTime to compare with "meta.lastModified"')
  refuses(t, 'meta.lastModified gt 2011', '"meta.lastModified" is of type dateTime; compare it with a dateTime string')
})

t.test('numbers compare numerically', async t => {
  check(t, [
    ['loginCount eq 42', true],
    ['loginCount gt 9', true], // lexicographically "42" < "9"
    ['loginCount lt 100', true],
    ['loginCount ge 42.0', true],
    ['loginCount ne 42', false],
    ['score gt 4.49', true],
    ['score le 4.5', true]
  ])
  refuses(t, 'loginCount eq "42"', '"loginCount" is of type integer; compare it with a number')
  refuses(t, 'loginCount co 4', 'Operator "co" is not defined on the integer attribute "loginCount"')
  t.equal(evaluateFilter(parseFilter('n gt 9'), { n: 10 }, () => undefined), true, 'numbers without a definition')
  t.equal(evaluateFilter(parseFilter('n eq "10"'), { n: 10 }, () => undefined), false, 'no definition: a type mismatch does not match')
})

t.test('booleans and binary', async t => {
  check(t, [
    ['active eq true', true],
    ['active eq false', false],
    ['active ne false', true],
    ['not (active eq false)', true],
    ['x509Certificate eq "miidqzccaqygawibagicEAAwDQYJKoZIhvcNAQEFBQAw"', true]
  ])
  refuses(t, 'active gt false', 'Operator "gt" is not defined on the boolean attribute "active"')
  refuses(t, 'active le true', 'Operator "le" is not defined on the boolean attribute "active"')
  refuses(t, 'x509Certificate ge "M"', 'Operator "ge" is not defined on the binary attribute "x509Certificate"')
  refuses(t, 'active eq "true"', '"active" is of type boolean; compare it with true or false')
  refuses(t, 'active sw "t"', 'Operator "sw" is not defined on the boolean attribute "active"')
  t.throws(() => evaluateFilter(parseFilter('flag lt true'), { flag: true }, () => undefined),
    { name: 'ScimError', message: 'Operator "lt" is not defined on the boolean attribute "flag"' }, 'also without a definition')
})

t.test('pr: a value that is not null, "", [] or {}', async t => {
  const resource = { schemas: [CORE_USER], a: 'x', empty: '', nothing: null, list: [], nulls: [null, ''], object: {}, hollow: { x: null, y: '' }, full: { x: 'y' }, zero: 0, no: false }
  check(t, [
    ['a pr', true], ['empty pr', false], ['nothing pr', false], ['missing pr', false], ['list pr', false],
    ['nulls pr', false], ['object pr', false], ['hollow pr', false], ['full pr', true], ['zero pr', true], ['no pr', true]
  ], resource)
  check(t, [['title pr', false], ['emails pr', true], ['members pr', false], ['name pr', true], ['emails.primary pr', true]])
})

t.test('multi-valued attributes match when any value matches', async t => {
  check(t, [
    ['emails.type eq "home"', true],
    ['emails.type eq "other"', false],
    ['emails.value ew "@jensen.org"', true],
    ['emails.type eq "work" and emails.value ew "@jensen.org"', true], // different elements
    ['emails.type ne "work"', true], // the home element is not work
    [`schemas eq "${ENTERPRISE}"`, true],
    [`schemas eq "${ENTERPRISE.toUpperCase()}"`, false] // schemas is caseExact
  ])
  t.test('a complex multi-valued attribute without sub-attribute compares its "value"', async t => {
    check(t, [
      ['emails co "example.com"', true],
      ['emails eq "BABS@JENSEN.ORG"', true],
      ['emails co "example.org"', false],
      ['userType eq "Employee" or (emails co "example.com" or emails.value co "example.org")', true]
    ])
    const idx = calls.length
    evaluateFilter(parseFilter('members eq "X"'), { members: [{ value: 'x' }] }, describe)
    t.same(calls.slice(idx), [{ attribute: 'members' }, { attribute: 'members', subAttribute: 'value' }], 'caseExact of members.value applies')
    t.equal(evaluateFilter(parseFilter('members eq "x"'), { members: [{ value: 'x' }] }, describe), true)
    t.equal(evaluateFilter(parseFilter('members eq "X"'), { members: [{ value: 'x' }] }, describe), false)
  })
  refuses(t, 'name eq "Barbara"', '"name" is a complex attribute; filter on one of its sub-attributes, e.g. "name.givenName"')
})

t.test('valuePath evaluates its filter per element', async t => {
  check(t, [
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "work" and value ew "@jensen.org"]', false], // both hold, but not on one element
    ['emails[type eq "home" and not (primary eq true)]', true],
    ['emails[primary eq true]', true],
    ['emails[type eq "work"].value co "example"', true],
    ['emails[type eq "WORK"]', true],
    ['members[value pr]', false],
    ['ims[type eq "xmpp"]', false],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true]
  ])
  const idx = calls.length
  evaluateFilter(parseFilter(`${CORE_USER}:emails[type eq "other"]`), bjensen, describe)
  t.same(calls.slice(idx), [{ uri: CORE_USER, attribute: 'emails', subAttribute: 'type' }, { uri: CORE_USER, attribute: 'emails', subAttribute: 'type' }],
    'describe sees the sub-attribute path, once per element')
  t.equal(evaluateFilter(parseFilter('schemas[value eq "urn:x"]'), { schemas: ['urn:y', 'urn:x'] }, describe), true,
    'elements of a simple multi-valued attribute are their own value')
  t.equal(evaluateFilter(parseFilter('members[value eq "ABC"]'), { members: [{ value: 'abc' }] }, describe), false, 'sub-attribute caseExact applies')
})

t.test('not, and, or', async t => {
  check(t, [
    ['not (userName eq "x")', true],
    ['not (userName pr)', false],
    ['userName pr and not (active eq false) and loginCount gt 1', true],
    ['userName eq "x" or loginCount eq 42', true],
    ['userName eq "x" or loginCount eq 41 or emails.type eq "home"', true],
    ['userName eq "x" or loginCount eq 41 or emails.type eq "other"', false]
  ])
})

t.test('null and missing attributes', async t => {
  check(t, [
    ['nickName ne "babs"', true], // missing: ne is true
    ['nickName eq "babs"', false],
    ['nickName gt "a"', false],
    ['nickName eq null', true],
    ['nickName ne null', false],
    ['userName eq null', false],
    ['userName ne null', true],
    ['title eq null', true] // "" has no value
  ])
  refuses(t, 'nickName co null', 'Operator "co" cannot compare "nickName" with null; use eq, ne or pr')
})

t.test('evaluateElementFilter selects the elements a PATCH path targets', async t => {
  const path = parsePatchPath('emails[type eq "WORK" or primary eq true]')
  if (path.filter === undefined) throw new Error('expected a valuePath')
  const { filter, ...attribute } = path
  const selected = bjensen.emails.filter(element => evaluateElementFilter(filter, element, attribute, describe))
  t.same(selected, [bjensen.emails[0]])
  const idx = calls.length
  evaluateElementFilter(parseFilter('display co "smith"'), { value: 'x', display: 'John Smith' }, { uri: CORE_USER, attribute: 'members' }, describe)
  t.same(calls.slice(idx), [{ uri: CORE_USER, attribute: 'members', subAttribute: 'display' }])
  t.equal(evaluateElementFilter(parseFilter('value eq "urn:X"'), 'urn:x', { attribute: 'schemas' }, describe), false, 'schemas is caseExact')
  t.throws(() => evaluateElementFilter(parseFilter('x[y pr]'), {}, { attribute: 'emails' }, describe),
    { name: 'ScimError', scimType: 'invalidFilter', message: 'A valuePath cannot be nested: "x[...]" inside "emails[...]"' })
})
