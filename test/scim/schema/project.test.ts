import t from 'tap'
import { compileProjection, parseAttributeList, project } from '../../../src/scim/schema/project.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'
import { SCHEMA_URN } from '../../../src/scim/schema/types.js'

const registry = SchemaRegistry.fromDirectory(new URL('../../../scim-schemas/', import.meta.url))
const ENTERPRISE = SCHEMA_URN.enterpriseUser
const meta = { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', location: 'https://example.com/v2/Users/2819c223', version: 'W/"3"' }

/** A stored User as the domain hands it over (canonical names). */
const stored = () => ({
  schemas: [SCHEMA_URN.user, ENTERPRISE],
  id: '2819c223',
  externalId: '701984',
  userName: 'bjensen',
  password: 'never-returned',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
  groups: [{ value: 'g1', display: 'Ward 3' }],
  nationalIdHash: 'must-not-leak',
  meta,
  [ENTERPRISE]: { employeeNumber: '701984', manager: { value: 'm1', displayName: 'John Smith' } }
})
const user = (options?: Parameters<typeof project>[3]) => project(registry, 'User', stored(), options)

t.test('parseAttributeList()', async t => {
  t.strictSame(parseAttributeList('userName, name.givenName,,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager '), ['userName', 'name.givenName', `${ENTERPRISE}:manager`])
  t.strictSame(parseAttributeList(''), [])
})

t.test('by default: default and always attributes; never ones and unknown keys are left out', async t => {
  const { password, nationalIdHash, ...expected } = stored()
  t.strictSame(user(), expected)
  t.notOk('password' in user(), 'returned "never" (RFC 7643 §4.1.1)')
  t.notOk('nationalIdHash' in user(), 'not in any schema: never output')
  t.strictSame(user().meta, meta, 'meta is returned by default')
})

t.test('attributes: only the named ones, plus the always-returned (RFC 7644 §3.4.2.5)', async t => {
  t.strictSame(user({ attributes: ['userName'] }), { schemas: [SCHEMA_URN.user], id: '2819c223', userName: 'bjensen' }, 'like the RFC 7644 §3.9 example; an extension with nothing left leaves schemas')
  t.strictSame(user({ attributes: ['NAME.GIVENNAME', 'emails.value'] }), {
    schemas: [SCHEMA_URN.user], id: '2819c223', name: { givenName: 'Barbara' }, emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }]
  }, 'sub-attributes, case-insensitively')
  t.strictSame(user({ attributes: ['name', 'name.givenName'] }).name, { familyName: 'Jensen', givenName: 'Barbara' }, 'the whole attribute wins over one of its sub-attributes')
  t.strictSame(user({ attributes: [`${ENTERPRISE}:manager`] }), {
    schemas: [SCHEMA_URN.user, ENTERPRISE], id: '2819c223', [ENTERPRISE]: { manager: { value: 'm1', displayName: 'John Smith' } }
  }, 'URN-qualified')
  t.strictSame(user({ attributes: [`${ENTERPRISE}:manager.value`, 'employeeNumber'] })[ENTERPRISE], { employeeNumber: '701984', manager: { value: 'm1' } }, 'URN-qualified sub-attribute; unqualified extension attribute')
  t.strictSame(user({ attributes: [ENTERPRISE.toLowerCase()] }), { schemas: [SCHEMA_URN.user, ENTERPRISE], id: '2819c223', [ENTERPRISE]: stored()[ENTERPRISE] }, 'a bare extension URN returns the whole extension')
  t.strictSame(user({ attributes: [`${SCHEMA_URN.user}:userName`, 'meta.lastModified'] }), { schemas: [SCHEMA_URN.user], id: '2819c223', userName: 'bjensen', meta: { lastModified: meta.lastModified } })
  t.strictSame(user({ attributes: ['password'] }), { schemas: [SCHEMA_URN.user], id: '2819c223' }, 'never is never, even when asked for')
  t.strictSame(user({ attributes: [] }), user(), 'an empty list is no list')
})

t.test('excludedAttributes: removes default ones, never the always-returned', async t => {
  const result = user({ excludedAttributes: ['emails', 'ID', 'schemas', 'name.familyName', 'meta'] })
  t.equal(result.id, '2819c223', 'returned "always" (RFC 7644 §3.9: SHALL have no effect)')
  t.ok(result.schemas)
  t.notOk('emails' in result)
  t.notOk('meta' in result)
  t.strictSame(result.name, { givenName: 'Barbara' })
  t.strictSame(user({ excludedAttributes: [ENTERPRISE] }).schemas, [SCHEMA_URN.user], 'excluding the extension drops it from schemas too')
  t.strictSame(user({ excludedAttributes: [`${ENTERPRISE}:manager.displayName`] })[ENTERPRISE], { employeeNumber: '701984', manager: { value: 'm1' } })
})

t.test('both parameters: the attributes selection, reduced by excludedAttributes', async t => {
  t.strictSame(user({ attributes: ['name', 'userName'], excludedAttributes: ['name.familyName'] }), { schemas: [SCHEMA_URN.user], id: '2819c223', userName: 'bjensen', name: { givenName: 'Barbara' } })
})

t.test('unknown names are ignored', async t => {
  t.strictSame(user({ attributes: ['userName', 'shoeSize', 'name.nope', 'urn:example:x:shoeSize', 'a.b.c', ''] }), { schemas: [SCHEMA_URN.user], id: '2819c223', userName: 'bjensen' })
  t.strictSame(user({ excludedAttributes: ['shoeSize'] }), user())
})

t.test('Groups: excludedAttributes=members, as Entra ID asks', async t => {
  const group = { schemas: [SCHEMA_URN.group], id: 'g1', displayName: 'Ward 3', members: [{ value: 'u1', type: 'User' }], meta: { ...meta, resourceType: 'Group' } }
  t.strictSame(project(registry, 'Group', group, { excludedAttributes: ['members'] }), { schemas: [SCHEMA_URN.group], id: 'g1', displayName: 'Ward 3', meta: group.meta })
  t.strictSame(project(registry, 'Group', group, { attributes: ['employeeNumber'] }), { schemas: [SCHEMA_URN.group], id: 'g1' }, 'another resource type\'s attribute does not resolve')
})

t.test('returned "request" and sub-attribute characteristics, from a custom schema', async t => {
  const custom = SchemaRegistry.fromObjects({
    schemas: [...registry.schemas().map(schema => ({ name: `${schema.name}.json`, content: schema })), {
      name: 'Clinic.json',
      content: {
        schemas: [SCHEMA_URN.schema],
        id: 'urn:example:clinic:1.0:User',
        name: 'Clinic',
        attributes: [
          { name: 'auditTrail', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readOnly', returned: 'request', uniqueness: 'none' },
          {
            name: 'license', type: 'complex', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
            subAttributes: [
              { name: 'number', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'always', uniqueness: 'none' },
              { name: 'pin', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'writeOnly', returned: 'never', uniqueness: 'none' },
              { name: 'notes', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'request', uniqueness: 'none' },
              { name: 'issuer', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' }
            ]
          }
        ],
        meta: { resourceType: 'Schema', location: '/Schemas/urn:example:clinic:1.0:User' }
      }
    }],
    resourceTypes: registry.resourceTypes().map(rt => rt.name === 'User' ? { ...rt, schemaExtensions: [{ schema: 'urn:example:clinic:1.0:User', required: false }] } : rt),
    serviceProviderConfig: registry.serviceProviderConfig()
  })
  const CLINIC = 'urn:example:clinic:1.0:User'
  const resource = { schemas: [SCHEMA_URN.user, CLINIC], id: 'u1', userName: 'b', [CLINIC]: { auditTrail: 'x', license: { number: 'N1', pin: '1234', notes: 'n', issuer: 'BIG' } } }
  const run = compileProjection(custom, 'User', {})
  t.strictSame(run(resource)[CLINIC], { license: { number: 'N1', issuer: 'BIG' } }, 'request and never left out by default')
  t.strictSame(project(custom, 'User', resource, { attributes: ['auditTrail', 'license.notes'] })[CLINIC], { auditTrail: 'x', license: { number: 'N1', notes: 'n' } }, 'request when named; an always sub-attribute comes with its parent')
  t.strictSame(project(custom, 'User', resource, { excludedAttributes: ['license.number', 'license.issuer'] })[CLINIC], { license: { number: 'N1' } }, 'an always sub-attribute cannot be excluded')
})
