import t, { type Test } from 'tap'
import { parseFilter, type Filter } from '../../../src/scim/filter/index.js'
import { SchemaRegistry, type ResolvedAttribute } from '../../../src/scim/schema/registry.js'
import { SCHEMA_URN } from '../../../src/scim/schema/types.js'
import { filterToSql, sortToSql, type AttributeStorage, type CustomTest, type FilterSqlContext } from '../../../src/persistence/scim-sql/index.js'

const registry = SchemaRegistry.fromDirectory(new URL('../../../scim-schemas/', import.meta.url))
const customTests: CustomTest[] = []

/** Storage as a repository might map it: a few columns, the rest in jsonb, groups through a table. */
function locate ({ attribute, subAttribute, extension }: ResolvedAttribute): AttributeStorage | undefined {
  if (extension) return { kind: 'json', sql: `u.enterprise->'${attribute.name}'` }
  switch (attribute.name) {
    case 'id': return { kind: 'column', sql: 'u.id::text' }
    case 'userName': return { kind: 'column', sql: 'u.user_name' }
    case 'active': return { kind: 'column', sql: "(u.status <> 'inactive')" }
    case 'password': return undefined
    case 'meta': return subAttribute?.name === 'created' ? { kind: 'column', sql: 'u.created_at' } : { kind: 'json', sql: "u.profile->'meta'" }
    case 'groups': return {
      kind: 'custom',
      compile: test => {
        customTests.push(test)
        return { sql: `exists (select 1 from membership g where g.user_id = u.id and g.${test.subAttribute ?? 'value'} = ?)`, params: [test.value] }
      }
    }
    default: return { kind: 'json', sql: `u.profile->'${attribute.name}'` }
  }
}

const context: FilterSqlContext = { registry, resourceType: 'User', locate }
const compile = (filter: string | Filter) => filterToSql(typeof filter === 'string' ? parseFilter(filter) : filter, context)
const refuses = (t: Test, filter: string | Filter, message: string | RegExp) =>
  t.throws(() => compile(filter), { name: 'ScimError', status: 400, scimType: 'invalidFilter', message }, typeof filter === 'string' ? filter : JSON.stringify(filter))

t.test('strings: caseExact decides lower(); literals are parameters', async t => {
  const userName = compile('userName eq "BJensen"')
  t.equal(userName.sql, '((u.user_name) is not null and lower((u.user_name)::text) = lower(cast(? as text)))', 'lower() on a citext column matches an index on lower(user_name)')
  t.same(userName.params, ['BJensen'])
  const externalId = compile('externalId eq "Bjensen-7"')
  t.match(externalId.sql, "(u.profile->>'externalId') = cast(? as text)", 'caseExact: no lower(), ->> so that expression indexes apply')
  t.notMatch(externalId.sql, 'lower(')
  t.match(compile('id eq "abc"').sql, '(u.id::text)::text = cast(? as text)', 'a caseExact column compares as text, even if citext')
  t.match(compile('userName gt "m"').sql, 'lower((u.user_name)::text) collate "C" > lower(cast(? as text))', 'ordering in code-point order')
  t.match(compile('userName ne "x"').sql, /^\(not \(u\.user_name\) is not null or lower/, 'ne holds when there is no value')
})

t.test('co/sw/ew: like with %, _ and \\ escaped', async t => {
  const cases: Array<[string, string]> = [
    ['title co "100%"', '%100\\%%'],
    ['title sw "a_b"', 'a\\_b%'],
    ['title ew "C:\\\\dir"', '%C:\\\\dir'],
    ["title co \"O'Malley\"", "%O'Malley%"],
    ['title co "what?"', '%what?%']
  ]
  for (const [filter, pattern] of cases) {
    const { sql, params } = compile(filter)
    t.same(params, [pattern], filter)
    t.match(sql, "like lower(cast(? as text)) escape '\\'", filter)
    t.equal(sql.split('?').length - 1, params.length, 'every ? in the SQL text is a placeholder')
    t.notMatch(sql, /\\\?|\?\?/, 'no \\? nor ??, which MikroORM and knex would rewrite')
  }
  t.match(compile('meta.created sw "2011"').sql, 'to_char((u.created_at)::timestamptz at time zone \'UTC\'', 'a dateTime column is matched as its ISO text')
})

t.test('typed values: numbers, booleans, dateTimes', async t => {
  const active = compile('active eq true')
  t.match(active.sql, "((u.status <> 'inactive')) = cast(? as boolean)")
  t.same(active.params, [true])
  const created = compile('meta.created gt "2011-05-13T06:42:34+02:00"')
  t.match(created.sql, '(u.created_at) > cast(? as timestamptz)')
  t.same(created.params, ['2011-05-13T04:42:34.000Z'], 'the instant, normalised to UTC')
  const modified = compile('meta.lastModified le "2011-05-13T04:42:34"')
  t.match(modified.sql, "case when jsonb_typeof((u.profile->'meta')->'lastModified') = 'string' then date_trunc('milliseconds'")
  t.match(modified.sql, "::timestamp at time zone 'UTC'", 'a stored value without offset is UTC')
  t.same(modified.params, ['2011-05-13T04:42:34.000Z'])
  t.match(compile('emails.primary eq true').sql, "case when jsonb_typeof((e.v)->'primary') = 'boolean' then ((e.v)->'primary')::boolean = cast(? as boolean) else false end")
})

t.test('multi-valued attributes: any element; complex without sub-attribute compares value', async t => {
  const { sql, params } = compile('emails co "example.com"')
  t.match(sql, "exists (select 1 from jsonb_array_elements(case when jsonb_typeof(u.profile->'emails') = 'array' then u.profile->'emails' else '[]'::jsonb end) as e(v)")
  t.match(sql, "lower(((e.v)->>'value')) like")
  t.same(params, ['%example.com%'])
  t.match(compile('emails.type ne "work"').sql, /^\(not exists \(.*\) or exists \(/, 'ne: no value at all, or one that differs')
})

t.test('valuePath: one element satisfies the whole inner filter', async t => {
  const { sql, params } = compile('emails[type eq "work" and value co "@example.com"]')
  t.equal(sql.match(/exists/g)?.length, 1, 'a single exists')
  t.match(sql, "where e.v <> 'null'::jsonb and (")
  t.same(params, ['work', '%@example.com%'], 'parameters in the order of their placeholders')
  t.match(compile('name[givenName eq "B"]').sql, "((u.profile->>'name') is not null and ", 'a single complex attribute is a list of one')
  t.match(compile('emails[type eq "work"].value co "x"').sql, "((e.v)->>'value')", 'the PATCH-style suffix is read as one more condition')
})

t.test('pr, eq null, ne null', async t => {
  t.equal(compile('title pr').sql, "((u.profile->>'title') is not null and (u.profile->>'title') <> '')")
  t.match(compile('emails pr').sql, "jsonb_path_query(e.v, 'strict $.**')", 'complex values: some non-empty leaf')
  t.match(compile('name eq null').sql, /^\(not exists \(select 1 from jsonb_path_query\(u\.profile->'name'/)
  t.equal(compile('title ne null').sql, compile('title pr').sql)
  t.match(compile('userName pr').sql, "((u.user_name) is not null and (u.user_name)::text <> '')")
})

t.test('URNs and extensions', async t => {
  const { sql } = compile(`${SCHEMA_URN.enterpriseUser}:manager.value eq "26118915"`)
  t.match(sql, "((u.enterprise->'manager')->>'value') = cast(? as text)", 'manager.value is caseExact')
  t.equal(compile('employeeNumber eq "1"').sql, compile(`${SCHEMA_URN.enterpriseUser}:employeeNumber eq "1"`).sql, 'an extension attribute resolves without its URN when unambiguous')
  t.equal(compile(`${SCHEMA_URN.user}:userName eq "x"`).sql, compile('userName eq "x"').sql)
})

t.test('and, or, not: two-valued, parenthesised', async t => {
  const { sql, params } = compile('not (userName eq "a" or title co "b") and active eq false')
  t.match(sql, /^\(\(not \(\(.* or .*\)\)\) and \(/)
  t.same(params, ['a', '%b%', false])
  t.equal(compile({ kind: 'and', filters: [] }).sql, 'true')
  t.equal(compile({ kind: 'or', filters: [] }).sql, 'false')
})

t.test('custom storage compiles its own tests', async t => {
  customTests.length = 0
  const { sql, params } = compile('groups.value eq "g1" or groups[display co "ward" or value pr]')
  t.same(customTests, [
    { op: 'eq', value: 'g1', caseExact: false, subAttribute: 'value' },
    { op: 'co', value: 'ward', caseExact: false, subAttribute: 'display' },
    { op: 'pr', value: null, caseExact: false, subAttribute: 'value' }
  ])
  t.match(sql, 'coalesce((exists (select 1 from membership g where g.user_id = u.id and g.value = ?)), false)', 'wrapped so that NULL cannot leak')
  t.same(params, ['g1', 'ward', null])
  customTests.length = 0
  compile('groups eq "g1"')
  t.same(customTests, [{ op: 'eq', value: 'g1', caseExact: false }], 'without a sub-attribute')
  refuses(t, 'groups[value eq "a" and display co "b"]', '"groups[...]" accepts only comparisons that need a value (not "ne" nor "eq null") joined by "or"')
  refuses(t, 'groups[not (value eq "a")]', /accepts only comparisons/)
  refuses(t, 'groups[value ne "a"]', /accepts only comparisons/)
})

t.test('errors: invalidFilter, with the evaluator\'s messages', async t => {
  refuses(t, 'nickNameX eq "x"', 'Unknown attribute "nickNameX" in filter for resource type User')
  refuses(t, 'name.nope pr', 'Unknown attribute "name.nope" in filter for resource type User')
  refuses(t, 'emails[kind eq "work"]', 'Unknown attribute "emails.kind" in filter for resource type User')
  refuses(t, 'urn:example:nope:1.0:User:userName eq "x"', /^Unknown attribute "urn:example:nope:1\.0:User:userName"/)
  refuses(t, 'password eq "secret"', 'Attribute "password" cannot be used in a filter')
  refuses(t, 'active gt true', 'Operator "gt" is not defined on the boolean attribute "active"')
  refuses(t, 'emails.primary le false', 'Operator "le" is not defined on the boolean attribute "emails.primary"')
  refuses(t, 'x509Certificates.value ge "M"', 'Operator "ge" is not defined on the binary attribute "x509Certificates.value"')
  refuses(t, 'active co "t"', 'Operator "co" is not defined on the boolean attribute "active"')
  refuses(t, 'active eq "true"', '"active" is of type boolean; compare it with true or false')
  refuses(t, 'userName eq 42', '"userName" is of type string; compare it with a string')
  refuses(t, 'meta.created gt 2011', '"meta.created" is of type dateTime; compare it with a dateTime string')
  refuses(t, 'meta.created gt "yesterday"', '"yesterday" is not a valid dateTime to compare with "meta.created"')
  refuses(t, 'name eq "Barbara"', '"name" is a complex attribute; filter on one of its sub-attributes, e.g. "name.formatted"')
  refuses(t, 'userName co null', 'Operator "co" cannot compare "userName" with null; use eq, ne or pr')
  refuses(t, 'emails[type eq "work"] and emails[primary eq 1]', '"primary" is of type boolean; compare it with true or false')
  refuses(t, { kind: 'valuePath', path: { attribute: 'emails' }, filter: { kind: 'valuePath', path: { attribute: 'ims' }, filter: { kind: 'present', path: { attribute: 'type' } } } },
    'A valuePath cannot be nested: "ims[...]" inside "emails[...]"')
  refuses(t, { kind: 'valuePath', path: { attribute: 'name', subAttribute: 'givenName' }, filter: { kind: 'present', path: { attribute: 'value' } } },
    'A valuePath applies to a multi-valued attribute, not to the sub-attribute "name.givenName"')
})

t.test('256 attribute expressions stay a flat, linear fragment', async t => {
  const text = Array.from({ length: 256 }, (_, i) => i % 2 === 0 ? `emails[value co "${i}"]` : `not (title eq "${i}")`).join(' or ')
  // The default maxLength (4096) is reached before maxNodes (256) with these literals.
  const { sql, params } = compile(parseFilter(text, { maxLength: 10_000 }))
  t.equal(params.length, 256)
  t.equal(sql.split('?').length - 1, 256, 'one placeholder per literal')
  t.ok(sql.length < 256 * 400)
})

t.test('sortToSql', async t => {
  t.equal(sortToSql('userName', undefined, context), 'lower((u.user_name)::text) collate "C" asc nulls last', 'ascending by default')
  t.equal(sortToSql('externalId', 'descending', context), '(u.profile->>\'externalId\') collate "C" desc nulls first', 'caseExact: no lower()')
  t.equal(sortToSql('meta.created', 'descending', context), '(u.created_at) desc nulls first')
  t.equal(sortToSql(`${SCHEMA_URN.enterpriseUser}:manager.value`, undefined, context), '((u.enterprise->\'manager\')->>\'value\') collate "C" asc nulls last')
  t.match(sortToSql('emails', undefined, context), "order by coalesce(e.v->'primary' = 'true'::jsonb, false) desc, e.n limit 1)")
  const invalid = (sortBy: string, message: string | RegExp) =>
    t.throws(() => sortToSql(sortBy, undefined, context), { name: 'ScimError', status: 400, scimType: 'invalidValue', message }, sortBy)
  invalid('nickNameX', 'sortBy: unknown attribute "nickNameX" for resource type User')
  invalid('name', 'sortBy: "name" is a complex attribute; sort by one of its sub-attributes, e.g. "name.formatted"')
  invalid('emails[type eq "work"]', /^sortBy must be an attribute path, not a filter/)
  invalid('groups.display', 'sortBy: the results cannot be sorted by "groups.display"')
  invalid('password', 'sortBy: the results cannot be sorted by "password"')
  invalid('user name', /^sortBy: /)
  invalid('', /^sortBy: /)
})
