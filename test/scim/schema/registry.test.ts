import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { defaultSchemaDirectory, SchemaRegistry } from '../../../src/scim/schema/registry.js'
import { SCHEMA_URN } from '../../../src/scim/schema/types.js'

const folder = new URL('../../../scim-schemas/', import.meta.url)
const registry = SchemaRegistry.fromDirectory(folder)
const ENTERPRISE = SCHEMA_URN.enterpriseUser

/** A copy of scim-schemas/ to break or extend, removed after the test. */
function scratchFolder (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-schemas-'))
  cpSync(fileURLToPath(folder), dir, { recursive: true })
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const json = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'))
const save = (dir: string, name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value))

t.test('defaultSchemaDirectory() is scim-schemas/ at the package root', async t => {
  t.equal(defaultSchemaDirectory(), fileURLToPath(folder))
  t.ok(SchemaRegistry.fromDirectory().schema(SCHEMA_URN.user))
})

const HEALTHCARE = 'urn:carescim:scim:schemas:extension:healthcare:1.0:User'

t.test('discovery documents, as served (RFC 7643 §5, §6, §7)', async t => {
  t.strictSame(registry.schemas().map(s => s.id), [SCHEMA_URN.user, ENTERPRISE, HEALTHCARE, SCHEMA_URN.group], 'core schema, then its extensions, per resource type')
  for (const schema of registry.schemas()) {
    t.strictSame(schema.schemas, [SCHEMA_URN.schema])
    t.equal(schema.meta.location, `/Schemas/${schema.id}`, 'location relative: the HTTP layer prefixes the base URL')
  }
  t.equal(registry.schema('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER')?.name, 'User', 'schema ids match case-insensitively')
  t.equal(registry.schema('urn:nope'), undefined)

  t.strictSame(registry.resourceTypes().map(rt => [rt.name, rt.endpoint, rt.meta.location]), [['User', '/Users', '/ResourceTypes/User'], ['Group', '/Groups', '/ResourceTypes/Group']])
  t.strictSame(registry.resourceType('user').schemaExtensions, [{ schema: ENTERPRISE, required: false }, { schema: HEALTHCARE, required: false }])
  t.throws(() => registry.resourceType('Device'), /Unknown SCIM resource type: Device/)

  const config = registry.serviceProviderConfig()
  t.match(config, {
    schemas: [SCHEMA_URN.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{ type: 'oauthbearertoken', specUri: 'https://www.rfc-editor.org/info/rfc6750', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: '/ServiceProviderConfig' }
  })
  t.notOk('documentationUri' in config)
})

t.test('served documents are frozen: no request can change them for the next', async t => {
  t.throws(() => { (registry.schemas()[0]!.attributes as unknown[]).pop() }, TypeError)
  t.throws(() => { (registry.serviceProviderConfig().patch as { supported: boolean }).supported = false }, TypeError)
})

t.test('resolve(): names are case-insensitive, canonical names come back (RFC 7643 §2.1)', async t => {
  const userName = registry.resolve('User', { attribute: 'USERNAME' })
  t.strictSame({ ...userName, attribute: userName?.attribute.name }, { schema: SCHEMA_URN.user, extension: false, attribute: 'userName' })
  const given = registry.resolve('user', { attribute: 'Name', subAttribute: 'GIVENNAME' })
  t.equal(given?.attribute.name, 'name')
  t.equal(given?.subAttribute?.name, 'givenName')
  t.equal(registry.resolve('User', { attribute: 'emails', subAttribute: 'value' })?.attribute.multiValued, true)
})

t.test('resolve(): the common attributes of RFC 7643 §3.1 resolve for every resource type', async t => {
  for (const type of ['User', 'Group']) {
    const id = registry.resolve(type, { attribute: 'id' })
    t.match(id, { schema: registry.resourceType(type).schema, extension: false, attribute: { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' } })
    t.match(registry.resolve(type, { attribute: 'externalid' }), { attribute: { name: 'externalId', caseExact: true, mutability: 'readWrite' } })
    t.match(registry.resolve(type, { attribute: 'meta', subAttribute: 'lastModified' }), { attribute: { mutability: 'readOnly' }, subAttribute: { type: 'dateTime', mutability: 'readOnly' } })
    for (const sub of ['resourceType', 'created', 'location', 'version']) t.ok(registry.resolve(type, { attribute: 'meta', subAttribute: sub }), `meta.${sub}`)
  }
})

t.test('resolve(): URNs select the core schema or one of the resource type\'s extensions', async t => {
  t.equal(registry.resolve('User', { uri: SCHEMA_URN.user, attribute: 'userName' })?.attribute.name, 'userName')
  t.equal(registry.resolve('User', { uri: SCHEMA_URN.user.toUpperCase(), attribute: 'name', subAttribute: 'familyName' })?.subAttribute?.name, 'familyName')
  const manager = registry.resolve('User', { uri: ENTERPRISE, attribute: 'manager', subAttribute: 'value' })
  t.match(manager, { schema: ENTERPRISE, extension: true, attribute: { name: 'manager' }, subAttribute: { name: 'value', caseExact: true } })
  t.equal(registry.resolve('User', { uri: ENTERPRISE, attribute: 'userName' }), undefined, 'a core attribute is not in the extension')
  t.equal(registry.resolve('User', { uri: SCHEMA_URN.group, attribute: 'displayName' }), undefined, 'another resource type\'s schema')
  t.equal(registry.resolve('Group', { uri: ENTERPRISE, attribute: 'employeeNumber' }), undefined, 'Group has no enterprise extension')
})

t.test('resolve(): unqualified names fall back to the extensions', async t => {
  t.match(registry.resolve('User', { attribute: 'employeeNumber' }), { schema: ENTERPRISE, extension: true, attribute: { name: 'employeeNumber' } })
  t.equal(registry.resolve('Group', { attribute: 'employeeNumber' }), undefined)
})

t.test('resolve(): what does not resolve', async t => {
  t.equal(registry.resolve('User', { attribute: 'nickname', subAttribute: 'x' }), undefined, 'a sub-attribute of a simple attribute')
  t.equal(registry.resolve('User', { attribute: 'name', subAttribute: 'nope' }), undefined)
  t.equal(registry.resolve('User', { attribute: 'nope' }), undefined)
  t.equal(registry.resolve('User', { uri: 'urn:example:unknown', attribute: 'userName' }), undefined)
  t.throws(() => registry.resolve('Device', { attribute: 'id' }), /Unknown SCIM resource type/)
})

t.test('resolve(): core wins over extensions; a name in two extensions is ambiguous', async t => {
  const dir = scratchFolder(t)
  const extension = (id: string, names: string[]) => ({
    schemas: [SCHEMA_URN.schema],
    id,
    name: id.split(':').at(-2),
    attributes: names.map(name => ({ name, type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' })),
    meta: { resourceType: 'Schema', location: `/Schemas/${id}` }
  })
  save(dir, 'A.json', extension('urn:example:a:1.0:User', ['badge', 'displayName', 'ward']))
  save(dir, 'B.json', extension('urn:example:b:1.0:User', ['BADGE']))
  const types = json(dir, 'ResourceTypes.json')
  types[0].schemaExtensions.push({ schema: 'urn:example:a:1.0:User', required: false }, { schema: 'urn:example:b:1.0:User', required: false })
  save(dir, 'ResourceTypes.json', types)

  const extended = SchemaRegistry.fromDirectory(dir)
  t.strictSame(extended.schemas().map(s => s.id).slice(0, 5), [SCHEMA_URN.user, ENTERPRISE, HEALTHCARE, 'urn:example:a:1.0:User', 'urn:example:b:1.0:User'], 'every file in the folder is loaded')
  t.equal(extended.resolve('User', { attribute: 'displayName' })?.schema, SCHEMA_URN.user)
  t.equal(extended.resolve('User', { uri: 'urn:example:a:1.0:user', attribute: 'displayName' })?.schema, 'urn:example:a:1.0:User')
  t.equal(extended.resolve('User', { attribute: 'ward' })?.schema, 'urn:example:a:1.0:User')
  t.equal(extended.resolve('User', { attribute: 'badge' }), undefined)
  t.equal(extended.resolve('User', { uri: 'urn:example:b:1.0:User', attribute: 'badge' })?.attribute.name, 'BADGE')
})

t.test('fromDirectory() refuses malformed files, naming the file and the problem', async t => {
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['bad JSON', dir => writeFileSync(join(dir, 'User.json'), '{'), /User\.json: .*JSON/],
    ['missing characteristic', dir => {
      const user = json(dir, 'User.json')
      delete user.attributes[0].mutability
      save(dir, 'User.json', user)
    }, /User\.json: .*must have required property 'mutability'/],
    ['complex sub-attribute', dir => {
      const group = json(dir, 'Group.json')
      group.attributes[1].subAttributes[0] = { ...structuredClone(group.attributes[1]), name: 'nested' }
      save(dir, 'Group.json', group)
    }, /Group\.json: attribute "members\.nested": a sub-attribute cannot be complex/],
    ['duplicate name', dir => {
      const group = json(dir, 'Group.json')
      group.attributes.push({ ...group.attributes[0], name: 'DISPLAYNAME' })
      save(dir, 'Group.json', group)
    }, /defined twice/],
    ['unknown schema in a resource type', dir => {
      const types = json(dir, 'ResourceTypes.json')
      types[1].schemaExtensions = [{ schema: 'urn:example:missing', required: false }]
      save(dir, 'ResourceTypes.json', types)
    }, /ResourceTypes\.json \(Group\): schema urn:example:missing has no file/],
    ['no ResourceTypes.json', dir => rmSync(join(dir, 'ResourceTypes.json')), /ResourceTypes\.json is missing/],
    ['a core schema redefining id', dir => {
      const group = json(dir, 'Group.json')
      group.attributes.push({ ...group.attributes[0], name: 'id' })
      save(dir, 'Group.json', group)
    }, /attribute "id" is defined twice/],
    ['wrong location', dir => {
      const group = json(dir, 'Group.json')
      group.meta.location = '/v2/Schemas/x'
      save(dir, 'Group.json', group)
    }, /Group\.json: meta\.location must be/]
  ]
  for (const [name, breakIt, message] of cases) {
    const dir = scratchFolder(t)
    breakIt(dir)
    t.throws(() => SchemaRegistry.fromDirectory(dir), message, name)
  }
})
