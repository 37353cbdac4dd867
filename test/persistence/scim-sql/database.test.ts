/**
 * filterToSql on a real database gives the rows evaluateFilter accepts, and sortToSql the order of
 * RFC 7644 §3.4.2.3. A scratch table stores ~30 User representations the way a repository might:
 * a few columns, the rest as jsonb, groups in a table of their own (custom storage).
 */
import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { openDatabase } from '../../../src/persistence/database.js'
import { reader } from '../../../src/persistence/sql.js'
import { filterToSql, sortToSql, type AttributeStorage, type CustomTest, type FilterSqlContext } from '../../../src/persistence/scim-sql/index.js'
import { parseDateTime } from '../../../src/scim/filter/comparison-rules.js'
import { evaluateFilter, parseFilter, type AttributePath, type Filter } from '../../../src/scim/filter/index.js'
import { SchemaRegistry, type ResolvedAttribute } from '../../../src/scim/schema/registry.js'
import { SCHEMA_URN, type AttributeDefinition, type AttributeType } from '../../../src/scim/schema/types.js'
import { freshDatabaseUrl } from '../../helpers/database.js'

const ENTERPRISE = SCHEMA_URN.enterpriseUser
/** A test extension with the types the core User schema lacks. */
const CARE = 'urn:example:care:1.0:User'
const attr = (name: string, type: AttributeType, extra: Partial<AttributeDefinition> = {}): AttributeDefinition =>
  ({ name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra })
const base = SchemaRegistry.fromDirectory(new URL('../../../scim-schemas/', import.meta.url))
const registry = SchemaRegistry.fromObjects({
  schemas: [...base.schemas().map(schema => ({ name: `${schema.name ?? 'x'}.json`, content: schema })), {
    name: 'Care.json',
    content: {
      schemas: [SCHEMA_URN.schema], id: CARE, name: 'Care', meta: { resourceType: 'Schema', location: `/Schemas/${CARE}` },
      attributes: [attr('loginCount', 'integer'), attr('score', 'decimal'), attr('tags', 'string', { multiValued: true }), attr('hiredAt', 'dateTime'), attr('onCall', 'boolean')]
    }
  }],
  resourceTypes: base.resourceTypes().map(type => type.name === 'User' ? { ...type, schemaExtensions: [...type.schemaExtensions ?? [], { schema: CARE, required: false }] } : type),
  serviceProviderConfig: base.serviceProviderConfig()
})

type Json = Record<string, any>
interface User { id: string, representation: Json, row: unknown[], groups: Array<{ value: string, display: string }> }

// ---- the data set -------------------------------------------------------------------------------

const given = ['Alice', 'bob', 'Carol', 'dave', 'Eve', 'frank', 'Grace']
const lastModifiedFormats = ['2011-05-13T04:42:34Z', '2011-05-13T06:42:34+02:00', '2010-06-15T12:00:00', '2012-02-29T23:59:59.999Z', '2011-05-13t04:42:34z', '2011-05-13T04:42:34.5-01:00']
const tagSets = [['nurse', 'ICU'], ['icu'], [], ['doctor', 'on-call', 'Nurse'], ['100%', 'a_b']]

function specs (): Json[] {
  const fixed: Json[] = [
    {
      userName: 'bjensen@example.com', status: 'active', externalId: 'bjensen', title: 'Tour Guide', displayName: 'Babs Jensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
      phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915', displayName: 'John Smith' } },
      [CARE]: { loginCount: 42, score: 4.5, tags: ['nurse', 'ICU'], hiredAt: '2009-03-01T08:00:00Z', onCall: true },
      groups: [{ value: 'g-ward3', display: 'Ward 3' }]
    },
    { userName: 'BJENSEN2@EXAMPLE.COM', status: 'inactive', title: 'tour guide', name: { givenName: 'BARBARA', familyName: 'jensen' }, emails: [{ value: 'Barbara@Example.COM', type: 'Work' }], externalId: 'BJENSEN' },
    { userName: 'omalley', name: { familyName: "O'Malley", givenName: 'Seán' }, title: "Director's Assistant (what?)", emails: [{ value: "o'malley@example.org", type: 'home', primary: true }] },
    { userName: 'percent', status: 'active', title: '100% sure', displayName: 'a_b', nickName: 'back\\slash', [CARE]: { tags: ['100%', 'a_b'], score: 0 } },
    { userName: 'underscore', title: '100 percent', displayName: 'axb', nickName: 'backslash', [ENTERPRISE]: {} },
    { userName: 'no-values', title: '', displayName: null, [CARE]: { loginCount: 0, onCall: false, tags: [] } },
    { userName: 'hollow', status: 'inactive', emails: [], name: {}, phoneNumbers: [{ value: '', type: 'work' }], [ENTERPRISE]: { manager: { value: '', displayName: null } } },
    { userName: 'partial-email', emails: [{ type: 'work' }, { value: 'x@y.z', type: 'other', primary: false }], groups: [{ value: 'g1', display: 'Nurses' }, { value: 'G2', display: 'Ward 3 night' }] },
    { userName: 'ünal', status: 'active', name: { givenName: 'Ünal' }, displayName: 'Zeynep Ünal', [ENTERPRISE]: { department: 'ICU' } },
    { userName: 'Émile', title: 'Émile', emails: [{ value: 'emile@example.fr', type: 'home', primary: true }, { value: 'work@example.fr', type: 'work', primary: false }] }
  ]
  const generated = Array.from({ length: 20 }, (_, i) => ({
    userName: `user${i}@example.${i % 3 === 0 ? 'org' : 'com'}`,
    ...(i % 3 === 2 ? {} : { status: i % 3 === 0 ? 'active' : 'inactive' }),
    name: { givenName: given[i % given.length], ...(i % 4 === 0 ? {} : { familyName: `Family${i % 5}` }) },
    ...(i % 5 === 4 ? {} : { displayName: `${given[(i + 2) % given.length]} ${i}` }),
    ...(i % 6 === 1 ? {} : { title: ['Nurse', 'nurse practitioner', 'Doctor', 'ICU nurse'][i % 4] }),
    emails: Array.from({ length: i % 4 }, (_, k) => ({ value: `u${i}.${k}@${k % 2 === 0 ? 'example.com' : 'clinic.org'}`, type: ['work', 'home', 'other'][(i + k) % 3], ...(k === i % 3 ? { primary: true } : {}) })),
    ...(i % 2 === 0 ? { phoneNumbers: [{ value: `+31 20 555 ${String(i).padStart(4, '0')}`, type: i % 4 === 0 ? 'mobile' : 'work' }] } : {}),
    ...(i % 3 === 1 ? {} : { [ENTERPRISE]: { employeeNumber: `00${i}`, department: ['ICU', 'Radiology', 'icu'][i % 3], ...(i % 2 === 0 ? { manager: { value: i % 4 === 0 ? 'M1' : 'm1' } } : {}) } }),
    ...(i % 5 === 3 ? {} : { [CARE]: { loginCount: (i * 7) % 50, score: (i % 7) / 2, tags: tagSets[i % tagSets.length], hiredAt: lastModifiedFormats[(i + 1) % lastModifiedFormats.length], onCall: i % 2 === 0 } }),
    ...(i % 3 === 0 ? { groups: [{ value: i % 2 === 0 ? 'g1' : 'g2', display: i % 2 === 0 ? 'Nurses' : 'Ward 3 night' }] } : {}),
    lastModified: lastModifiedFormats[i % lastModifiedFormats.length]
  }))
  return [...fixed, ...generated]
}

function toUser (spec: Json, index: number): User {
  const { userName, status, lastModified, groups = [], [ENTERPRISE]: enterprise, [CARE]: care, ...core } = spec
  const id = randomUUID()
  const created = new Date(Date.UTC(2009, 0, 1) + index * 41 * 86_400_000 + index * 1234).toISOString()
  const meta = { resourceType: 'User', ...(lastModified === undefined ? {} : { lastModified }) }
  const representation: Json = {
    schemas: [SCHEMA_URN.user, ...(enterprise === undefined ? [] : [ENTERPRISE]), ...(care === undefined ? [] : [CARE])],
    id,
    userName,
    ...(status === undefined ? {} : { active: status !== 'inactive' }),
    ...core,
    ...(groups.length === 0 ? {} : { groups }),
    meta: { ...meta, created },
    ...(enterprise === undefined ? {} : { [ENTERPRISE]: enterprise }),
    ...(care === undefined ? {} : { [CARE]: care })
  }
  const doc = { ...core, meta, ...(care === undefined ? {} : { [CARE]: care }) }
  return { id, representation, groups, row: [id, userName, status ?? null, created, JSON.stringify(doc), enterprise === undefined ? null : JSON.stringify(enterprise)] }
}

const users = specs().map(toUser)

// ---- storage ------------------------------------------------------------------------------------

/** Groups through a table, as the repositories will do: a custom compile. */
function groupTest ({ op, value, subAttribute, caseExact }: CustomTest) {
  const column = subAttribute === 'display' ? 'g.display' : subAttribute === undefined || subAttribute === 'value' ? 'g.value' : undefined
  if (column === undefined) return { sql: String(op === 'ne'), params: [] }
  const from = `select 1 from scim_group_member g where g.user_id = u.id and ${column} is not null`
  if (op === 'pr') return { sql: `exists (${from} and ${column} <> '')`, params: [] }
  const fold = (sql: string) => caseExact ? sql : `lower(${sql})`
  const text = String(value)
  const escaped = text.replace(/[\\%_]/g, '\\$&')
  const test = {
    eq: [`${fold(column)} = ${fold('cast(? as text)')}`, text],
    ne: [`${fold(column)} <> ${fold('cast(? as text)')}`, text],
    co: [`${fold(column)} like ${fold('cast(? as text)')} escape '\\'`, `%${escaped}%`],
    sw: [`${fold(column)} like ${fold('cast(? as text)')} escape '\\'`, `${escaped}%`]
  }[op as 'eq' | 'ne' | 'co' | 'sw']
  if (op === 'ne') return { sql: `(not exists (${from}) or exists (${from} and ${test[0]}))`, params: [test[1]] }
  return { sql: `exists (${from} and ${test[0]})`, params: [test[1]] }
}

function locate ({ schema, attribute, subAttribute }: ResolvedAttribute): AttributeStorage | undefined {
  if (schema === ENTERPRISE) return { kind: 'json', sql: `u.ext->'${attribute.name}'` }
  if (schema === CARE) return { kind: 'json', sql: `u.doc->'${CARE}'->'${attribute.name}'` }
  switch (attribute.name) {
    case 'id': return { kind: 'column', sql: 'u.id::text' }
    case 'userName': return { kind: 'column', sql: 'u.user_name' }
    case 'active': return { kind: 'column', sql: "(u.status <> 'inactive')" }
    case 'meta': return subAttribute?.name === 'created' ? { kind: 'column', sql: 'u.created_at' } : { kind: 'json', sql: "u.doc->'meta'" }
    case 'groups': return { kind: 'custom', compile: groupTest }
    case 'password': return undefined
    default: return { kind: 'json', sql: `u.doc->'${attribute.name}'` }
  }
}

const context: FilterSqlContext = { registry, resourceType: 'User', locate }
const describe = (path: AttributePath) => {
  const resolved = registry.resolve('User', path)
  return resolved?.subAttribute ?? resolved?.attribute
}

/**
 * The evaluator looks for an attribute without URN at the top level only, where the registry also
 * finds unambiguous extension attributes (`employeeNumber`): give it the URN the registry found.
 */
function qualify (filter: Filter): Filter {
  const withUri = (path: AttributePath): AttributePath => {
    const resolved = registry.resolve('User', path)
    return resolved?.extension === true && path.uri === undefined ? { ...path, uri: resolved.schema } : path
  }
  switch (filter.kind) {
    case 'and':
    case 'or': return { ...filter, filters: filter.filters.map(qualify) }
    case 'not': return { ...filter, filter: qualify(filter.filter) }
    default: return { ...filter, path: withUri(filter.path) }
  }
}

// ---- the database -------------------------------------------------------------------------------

t.test('on a database', async t => {
  const database = await openDatabase({ databaseUrl: await freshDatabaseUrl(t), dataDir: undefined, poolMax: 1 })
  t.teardown(database.close)
  await database.migrate()
  const connection = database.orm.em.fork().getConnection()
  await connection.execute('create table scim_user (id uuid primary key, user_name citext not null, status text, created_at timestamptz not null, doc jsonb not null, ext jsonb)')
  await connection.execute('create table scim_group_member (user_id uuid not null references scim_user, value text not null, display text)')
  for (const user of users) {
    await connection.execute('insert into scim_user values (?, ?, ?, cast(? as timestamptz), cast(? as jsonb), cast(? as jsonb))', user.row)
    for (const group of user.groups) await connection.execute('insert into scim_group_member values (?, ?, ?)', [user.id, group.value, group.display])
  }

  // Both ways the server runs SQL: inlined literals (transactions) and a prepared statement with parameter values (reads).
  const selectIds = async (where: { sql: string, params: unknown[] }, orderBy = '1') => {
    const text = `select u.id::text as id from scim_user u where ${where.sql} order by ${orderBy}`
    const inlined = (await connection.execute<Array<{ id: string }>>(text, where.params)).map(row => row.id)
    const prepared = (await reader(database.orm).query<{ id: string }>(text, where.params)).map(row => row.id)
    return isDeepStrictEqual(inlined, prepared) ? inlined : ['inlined and prepared differ', inlined, prepared]
  }
  const expectedIds = (filter: Filter) => users.filter(user => evaluateFilter(qualify(filter), user.representation, describe)).map(user => user.id).sort()
  const sameAsEvaluator = async (t: Test, text: string) => {
    const filter = parseFilter(text)
    const expected = expectedIds(filter)
    t.same(await selectIds(filterToSql(filter, context)), expected, `${text} (${expected.length} of ${users.length})`)
    return expected.length
  }

  t.test('SQL selects what the evaluator accepts', async t => {
    const filters = [
      // RFC 7644 §3.4.2.2, Figure 2, adapted to the data
      'userName eq "bjensen@example.com"', 'name.familyName co "O\'Malley"', 'userName sw "J"', `${SCHEMA_URN.user}:userName sw "u"`, 'title pr',
      'meta.lastModified gt "2011-05-13T04:42:34Z"', 'meta.lastModified ge "2011-05-13T04:42:34Z"', 'meta.lastModified lt "2011-05-13T04:42:34Z"',
      'meta.lastModified le "2011-05-13T04:42:34Z"', 'title pr and userType eq "Employee"', 'title pr or userType eq "Intern"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', 'emails[type eq "work" and value co "@example.com"] or phoneNumbers[type eq "mobile" and value co "555"]',
      // case, caseExact
      'userName eq "BJENSEN@EXAMPLE.COM"', 'name.givenName eq "barbara"', 'externalId eq "bjensen"', 'externalId eq "BJENSEN"', `${ENTERPRISE}:manager.value eq "M1"`, `${ENTERPRISE}:manager.value eq "m1"`,
      'title gt "n"', 'title lt "Nurse"', 'userName ge "user1"', 'emails ew "@EXAMPLE.COM"', 'displayName co "ünal"', 'userName eq "émile"',
      // missing values, ne, not, pr, null
      'title ne "Nurse"', 'not (title eq "Nurse")', 'nickName ne "x"', 'not (nickName pr)', 'displayName eq null', 'displayName ne null', 'name pr', 'emails pr', 'phoneNumbers pr',
      'phoneNumbers.value pr', `${ENTERPRISE}:manager pr`, `${ENTERPRISE}:manager eq null`, 'active eq true', 'active ne true', 'not (active eq false)', 'active pr', 'emails.primary eq false', 'emails.primary ne true',
      // special characters in literals
      'title co "%"', 'title sw "100%"', 'displayName eq "a_b"', 'displayName co "_"', 'nickName co "\\\\"', 'nickName eq "back\\\\slash"', 'title co "\'"', 'title co "(what?)"',
      // dateTime, numbers, booleans, simple multi-valued (the test extension)
      'meta.created gt "2011-01-01T00:00:00Z"', 'meta.created le "2010-02-10T00:00:00.000+01:00"', 'meta.created sw "2010"', 'meta.lastModified eq "2011-05-13T04:42:34.000Z"',
      'meta.lastModified co ":42:34"', `${CARE}:hiredAt lt "2011-05-13T05:42:34+01:00"`, 'loginCount gt 21', 'loginCount le 0', 'score eq 4.5', 'score ne 1.5', 'onCall eq false',
      'tags eq "icu"', 'tags[value sw "NUR"]', 'tags co "%"', 'tags ne "nurse"', 'tags pr',
      // valuePath, nesting, extension URN paths, custom storage
      'emails[type eq "work" and not (primary eq true)]', 'emails[not (value pr)]', 'emails[type eq "home"].value co "example"', 'name[givenName sw "b" or familyName pr]', 'userName[value sw "B"]', 'title[value co "nurse"]',
      'not (emails[type eq "work"]) and (userName sw "u" or not (title co "nurse"))', 'employeeNumber sw "00"', `${ENTERPRISE}:department eq "icu"`,
      `${ENTERPRISE}:department ne "icu" or ${ENTERPRISE}:employeeNumber pr`, 'groups[value eq "G1" or display co "ward"]', 'groups.display sw "ward 3"', 'groups ne "g1"', 'not (groups pr)'
    ]
    let proper = 0
    for (const text of filters) {
      const count = await sameAsEvaluator(t, text)
      if (count > 0 && count < users.length) proper++
    }
    t.ok(proper > filters.length * 0.75, `most filters select a proper, non-empty subset (${proper} of ${filters.length})`)
  })

  t.test('refused by both', async t => {
    for (const text of ['active gt true', 'loginCount eq "42"', 'meta.created gt "yesterday"', 'name eq "x"']) {
      const error = { name: 'ScimError', scimType: 'invalidFilter' }
      t.throws(() => filterToSql(parseFilter(text), context), error, `SQL: ${text}`)
      t.throws(() => users.forEach(user => evaluateFilter(qualify(parseFilter(text)), user.representation, describe)), error, `evaluator: ${text}`)
    }
  })

  t.test('property: random filters over a small vocabulary', async t => {
    const strings = fc.constantFrom('userName', 'name.givenName', 'name.familyName', 'displayName', 'title', 'emails', 'emails.value', 'emails.type', 'phoneNumbers.value', 'nickName', 'employeeNumber', `${ENTERPRISE}:department`, `${CARE}:tags`, 'externalId', `${ENTERPRISE}:manager.value`)
    const text = fc.constantFrom('barbara', 'BARBARA', 'Jensen', 'b', 'e', '@example.com', 'work', 'WORK', 'home', "o'm", '%', '_', 'a_b', '\\', '', 'zzz', 'm1', 'M1', 'icu', 'ünal', 'user1', 'nurse')
    const compare = (paths: fc.Arbitrary<string>, ops: string[], values: fc.Arbitrary<unknown>) =>
      fc.tuple(paths, fc.constantFrom(...ops), values).map(([path, op, value]) => `${path} ${op} ${JSON.stringify(value)}`)
    const instants = fc.constantFrom('2011-01-01T00:00:00Z', '2011-05-13T04:42:34Z', '2011-05-13T06:42:34+02:00', '2010-06-15T12:00:00', '2009-12-31T23:59:59.999Z')
    const emailTest = fc.oneof(
      compare(fc.constantFrom('type', 'value'), ['eq', 'ne', 'co', 'sw', 'ew'], text),
      compare(fc.constant('primary'), ['eq', 'ne'], fc.boolean()),
      fc.constantFrom('value pr', 'primary pr', 'type eq null')
    )
    const leaf = fc.oneof(
      compare(strings, ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'], text),
      compare(fc.constantFrom('active', 'emails.primary', `${CARE}:onCall`), ['eq', 'ne'], fc.boolean()),
      compare(fc.constantFrom('loginCount', 'score'), ['eq', 'ne', 'gt', 'ge', 'lt', 'le'], fc.constantFrom(0, 1, 4.5, 21, 42, -1)),
      compare(fc.constantFrom('meta.created', 'meta.lastModified', `${CARE}:hiredAt`), ['eq', 'ne', 'gt', 'ge', 'lt', 'le'], instants),
      compare(fc.constantFrom('meta.created', 'meta.lastModified'), ['co', 'sw', 'ew'], fc.constantFrom('2011', '2010-0', 'Z', '00.000Z')),
      fc.tuple(fc.constantFrom('title', 'name', 'emails', 'nickName', 'displayName', `${ENTERPRISE}:manager`, 'phoneNumbers', 'tags', 'groups'), fc.constantFrom('pr', 'eq null', 'ne null')).map(([path, test]) => `${path} ${test}`),
      fc.tuple(emailTest, fc.option(emailTest, { nil: undefined }), fc.constantFrom('and', 'or')).map(([a, b, op]) => `emails[${b === undefined ? a : `${a} ${op} not (${b})`}]`),
      compare(fc.constantFrom('groups.value', 'groups.display', 'groups'), ['eq', 'ne', 'co', 'sw'], fc.constantFrom('g1', 'G2', 'ward', 'nurses')),
      fc.constantFrom('groups[value eq "g1" or display sw "Ward"]', 'tags[value eq "NURSE"]')
    )
    const filter = fc.letrec<{ node: string }>(tie => ({
      node: fc.oneof({ maxDepth: 3, depthIdentifier: 'filter' },
        leaf,
        fc.tuple(tie('node'), tie('node'), fc.constantFrom('and', 'or')).map(([a, b, op]) => `(${a}) ${op} (${b})`),
        tie('node').map(inner => `not (${inner})`))
    })).node
    let checked = 0
    await fc.assert(fc.asyncProperty(filter, async text => {
      const parsed = parseFilter(text)
      const actual = await selectIds(filterToSql(parsed, context))
      checked++
      if (JSON.stringify(actual) !== JSON.stringify(expectedIds(parsed))) throw new Error(`SQL and evaluator differ on ${text}: ${actual.length} vs ${expectedIds(parsed).length}`)
    }), { numRuns: 150 })
    t.equal(checked >= 150, true, `${checked} random filters agree`)
  })

  t.test('sortToSql orders as RFC 7644 §3.4.2.3 says', async t => {
    type Key = string | number | boolean | undefined
    const primaryOrFirst = (list: unknown): Json | undefined => Array.isArray(list) ? list.find(element => element?.primary === true) ?? list[0] : undefined
    const lower = (value: unknown): Key => typeof value === 'string' ? value.toLowerCase() : undefined
    const time = (value: unknown): Key => typeof value === 'string' ? parseDateTime(value) : undefined
    const cases: Array<[string, (user: Json) => Key]> = [
      ['userName', user => lower(user.userName)],
      ['name.familyName', user => lower(user.name?.familyName)],
      ['displayName', user => lower(user.displayName)],
      ['externalId', user => user.externalId],
      ['emails', user => lower(primaryOrFirst(user.emails)?.value)],
      ['emails.type', user => lower(primaryOrFirst(user.emails)?.type)],
      [`${CARE}:tags`, user => lower(user[CARE]?.tags?.[0])],
      ['meta.created', user => time(user.meta.created)],
      ['meta.lastModified', user => time(user.meta.lastModified)],
      ['loginCount', user => user[CARE]?.loginCount],
      [`${ENTERPRISE}:manager.value`, user => user[ENTERPRISE]?.manager?.value],
      ['active', user => user.active]
    ]
    for (const [sortBy, key] of cases) {
      for (const order of ['ascending', 'descending'] as const) {
        const sign = order === 'ascending' ? 1 : -1
        const expected = users.map(user => ({ id: user.id, key: key(user.representation) })).sort((a, b) => {
          // Missing values last when ascending, first when descending; then by id, always ascending.
          if (a.key !== b.key) {
            if (a.key === undefined || b.key === undefined) return (a.key === undefined ? 1 : -1) * sign
            return (a.key < b.key ? -1 : 1) * sign
          }
          return a.id < b.id ? -1 : 1
        }).map(entry => entry.id)
        t.same(await selectIds({ sql: 'true', params: [] }, `${sortToSql(sortBy, order, context)}, u.id::text`), expected, `${sortBy} ${order}`)
      }
    }
    const filtered = filterToSql(parseFilter('title pr'), context)
    t.ok((await selectIds(filtered, sortToSql('title', undefined, context))).length > 0, 'filter and sort together')
  })
})
