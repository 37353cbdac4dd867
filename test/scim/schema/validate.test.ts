import t, { type Test } from 'tap'
import { ScimError } from '../../../src/scim/errors.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'
import { SCHEMA_URN } from '../../../src/scim/schema/types.js'
import { checkImmutable, prepareWrite } from '../../../src/scim/schema/validate.js'

const registry = SchemaRegistry.fromDirectory(new URL('../../../scim-schemas/', import.meta.url))
const ENTERPRISE = SCHEMA_URN.enterpriseUser
const user = (extra: Record<string, unknown> = {}) => ({ schemas: [SCHEMA_URN.user], userName: 'bjensen', ...extra })
const create = (body: unknown, type = 'User') => prepareWrite(registry, type, body, 'create')

/** Asserts the exact SCIM error (RFC 7644 §3.12) that `fn` throws. */
function rejects (t: Test, fn: () => unknown, scimType: string, detail: string | RegExp, name?: string): void {
  try {
    fn()
    t.fail(`expected ${scimType}: ${String(detail)}`)
  } catch (err) {
    t.type(err, ScimError)
    t.match(err, { status: 400, scimType, message: detail }, name ?? `${scimType}: ${String(detail)}`)
  }
}

t.test('a complete RFC 7643 §8.2 style User comes back normalised', async t => {
  const body = {
    schemas: [SCHEMA_URN.user, ENTERPRISE],
    id: 'client-chosen',
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
    addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', country: 'US', primary: true }],
    phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
    x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
    active: true,
    groups: [{ value: 'e9e30dba', display: 'Tour Guides' }],
    meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z' },
    [ENTERPRISE]: { employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } }
  }
  t.strictSame(create(body), {
    schemas: [SCHEMA_URN.user, ENTERPRISE],
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
    active: true,
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
    phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
    addresses: [{ streetAddress: '100 Universal City Plaza', country: 'US', type: 'work', primary: true }],
    x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
    [ENTERPRISE]: { employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } }
  }, 'readOnly id, meta, groups and manager.displayName are dropped')
  t.strictSame(Object.keys(create(body)).slice(0, 3), ['schemas', 'externalId', 'userName'], 'schemas first, then definition order')
})

t.test('schemas (RFC 7644 §3.3)', async t => {
  rejects(t, () => create({ userName: 'x' }), 'invalidSyntax', '"schemas" must be an array of schema URIs including "urn:ietf:params:scim:schemas:core:2.0:User"')
  rejects(t, () => create({ schemas: 'x', userName: 'x' }), 'invalidSyntax', /"schemas" must be an array/)
  rejects(t, () => create({ schemas: [ENTERPRISE], userName: 'x' }), 'invalidSyntax', `"schemas" must include "${SCHEMA_URN.user}"`)
  rejects(t, () => create({ schemas: [SCHEMA_URN.user, 'urn:example:custom'], userName: 'x' }), 'invalidSyntax', 'Schema "urn:example:custom" is not a schema of resource type User')
  rejects(t, () => create({ schemas: [SCHEMA_URN.group], displayName: 'x', [ENTERPRISE]: {} }, 'Group'), 'invalidSyntax', `Unknown attribute "${ENTERPRISE}"`, 'Group has no enterprise extension')
  t.strictSame(create({ schemas: [ENTERPRISE.toUpperCase(), SCHEMA_URN.user.toLowerCase()], userName: 'x' }).schemas, [SCHEMA_URN.user, ENTERPRISE], 'URNs canonicalised, core first')
  t.strictSame(create(user({ [ENTERPRISE]: { department: 'Cardiology' } })).schemas, [SCHEMA_URN.user, ENTERPRISE], 'an extension sent without its URN in schemas is accepted and listed')
  t.strictSame(create(user({ [ENTERPRISE.toLowerCase()]: { Department: 'Cardiology' } }))[ENTERPRISE], { department: 'Cardiology' }, 'extension key and names canonicalised')
  rejects(t, () => create(user({ [ENTERPRISE]: 'Cardiology' })), 'invalidValue', /must be a JSON object/)
  rejects(t, () => create([user()]), 'invalidSyntax', /must be a JSON object/)
})

t.test('names are canonicalised at every level; unknown names are errors', async t => {
  t.strictSame(create({ SCHEMAS: [SCHEMA_URN.user], USERNAME: 'x', Name: { GivenName: 'B' }, EMAILS: [{ VALUE: 'a@b', Type: 'work' }] }), {
    schemas: [SCHEMA_URN.user], userName: 'x', name: { givenName: 'B' }, emails: [{ value: 'a@b', type: 'work' }]
  })
  rejects(t, () => create(user({ favouriteColour: 'blue' })), 'invalidSyntax', 'Unknown attribute "favouriteColour"')
  rejects(t, () => create(user({ name: { givenName: 'B', petName: 'x' } })), 'invalidSyntax', 'Unknown attribute "name.petName"')
  rejects(t, () => create(user({ emails: [{ value: 'a', label: 'x' }] })), 'invalidSyntax', 'Unknown attribute "emails[0].label"')
  rejects(t, () => create(user({ [ENTERPRISE]: { badge: '1' } })), 'invalidSyntax', `Unknown attribute "${ENTERPRISE}:badge"`)
  rejects(t, () => create(user({ username: 'y' })), 'invalidSyntax', 'Attribute "username" is given twice (names are case-insensitive)')
})

t.test('null and [] mean unassigned (RFC 7643 §2.5); "" is a value', async t => {
  t.strictSame(create(user({ displayName: null, emails: [], name: { givenName: null }, title: '' })), { schemas: [SCHEMA_URN.user], userName: 'bjensen', title: '' })
  t.strictSame(create(user({ emails: [{ primary: null }, { value: 'a@b' }] })).emails, [{ value: 'a@b' }], 'an element left empty is dropped')
  t.strictSame(create(user({ [ENTERPRISE]: { manager: { displayName: 'only read-only' } } })), user(), 'an extension left empty is dropped, and not added to schemas')
  t.notOk(ENTERPRISE in create(user({ [ENTERPRISE]: null })))
})

t.test('booleans: Entra ID\'s "True" / "False" strings are coerced', async t => {
  t.equal(create(user({ active: 'True' })).active, true)
  t.equal(create(user({ active: 'FALSE' })).active, false)
  t.strictSame(create(user({ emails: [{ value: 'a', primary: 'true' }] })).emails, [{ value: 'a', primary: true }])
  rejects(t, () => create(user({ active: 'yes' })), 'invalidValue', 'Attribute "active" must be a boolean')
  rejects(t, () => create(user({ active: 1 })), 'invalidValue', 'Attribute "active" must be a boolean')
})

t.test('types are checked against the schema definitions (RFC 7643 §2.3)', async t => {
  rejects(t, () => create(user({ userName: 42 })), 'invalidValue', 'Attribute "userName" must be a non-empty string')
  rejects(t, () => create(user({ displayName: { x: 1 } })), 'invalidValue', 'Attribute "displayName" must be a string')
  rejects(t, () => create(user({ name: 'Barbara' })), 'invalidValue', 'Attribute "name" must be a complex (JSON object)')
  rejects(t, () => create(user({ emails: { value: 'a@b' } })), 'invalidValue', 'Attribute "emails" must be an array of complex (JSON object) values', 'a lone object for a multi-valued attribute is not wrapped')
  rejects(t, () => create(user({ emails: ['a@b'] })), 'invalidValue', 'Attribute "emails[0]" must be a complex (JSON object)')
  rejects(t, () => create(user({ emails: [{ value: 'a', primary: 2 }] })), 'invalidValue', 'Attribute "emails[0].primary" must be a boolean')
  rejects(t, () => create(user({ x509Certificates: [{ value: 'not base64!' }] })), 'invalidValue', 'Attribute "x509Certificates[0].value" must be a binary (base64 string)')
  rejects(t, () => create(user({ profileUrl: true })), 'invalidValue', 'Attribute "profileUrl" must be a reference (URI string)')
  rejects(t, () => create(user({ [ENTERPRISE]: { employeeNumber: 701984 } })), 'invalidValue', `Attribute "${ENTERPRISE}:employeeNumber" must be a string`)
  rejects(t, () => create(user({ [ENTERPRISE]: { manager: { value: 7 } } })), 'invalidValue', `Attribute "${ENTERPRISE}:manager.value" must be a string`)
})

t.test('canonicalValues are a SHOULD: other type values are accepted', async t => {
  t.strictSame(create(user({ emails: [{ value: 'a', type: 'clinic' }] })).emails, [{ value: 'a', type: 'clinic' }])
})

t.test('required attributes', async t => {
  rejects(t, () => create({ schemas: [SCHEMA_URN.user], displayName: 'x' }), 'invalidValue', 'Attribute "userName" is required')
  rejects(t, () => create(user({ userName: '' })), 'invalidValue', 'Attribute "userName" must be a non-empty string', 'RFC 7643 §4.1.1: non-empty')
  rejects(t, () => create(user({ userName: null })), 'invalidValue', 'Attribute "userName" is required')
  rejects(t, () => create({ schemas: [SCHEMA_URN.group], members: [] }, 'Group'), 'invalidValue', 'Attribute "displayName" is required', 'erratum 5368')
  t.strictSame(create({ schemas: [SCHEMA_URN.group], displayName: 'Ward 3', members: [{ value: 'u1', type: 'User' }] }, 'Group'), {
    schemas: [SCHEMA_URN.group], displayName: 'Ward 3', members: [{ value: 'u1', type: 'User' }]
  })
  t.ok(prepareWrite(registry, 'User', user(), 'replace'), 'replace applies the same rules')
  rejects(t, () => prepareWrite(registry, 'User', { schemas: [SCHEMA_URN.user] }, 'replace'), 'invalidValue', 'Attribute "userName" is required')
})

t.test('a required schema extension must be present', async t => {
  const required = SchemaRegistry.fromObjects({
    schemas: registry.schemas().map(schema => ({ name: `${schema.name}.json`, content: schema })),
    resourceTypes: registry.resourceTypes().map(rt => rt.name === 'User' ? { ...rt, schemaExtensions: [{ schema: ENTERPRISE, required: true }] } : rt),
    serviceProviderConfig: registry.serviceProviderConfig()
  })
  rejects(t, () => prepareWrite(required, 'User', user(), 'create'), 'invalidValue', `The schema extension "${ENTERPRISE}" is required for this resource type`)
  t.ok(prepareWrite(required, 'User', user({ [ENTERPRISE]: { division: 'ICU' } }), 'create'))
})

t.test('at most one primary: true per multi-valued attribute (RFC 7643 §2.4)', async t => {
  rejects(t, () => create(user({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: 'True' }] })), 'invalidValue', 'Attribute "emails": the primary value "true" must appear no more than once (RFC 7643 §2.4)')
  t.ok(create(user({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: false }], phoneNumbers: [{ value: '1', primary: true }] })))
})

t.test('checkImmutable(): an immutable value, once set, cannot change on PUT (RFC 7644 §3.5.1)', async t => {
  const custom = SchemaRegistry.fromObjects({
    schemas: [...registry.schemas().map(schema => ({ name: `${schema.name}.json`, content: schema })), {
      name: 'Badge.json',
      content: {
        schemas: [SCHEMA_URN.schema],
        id: 'urn:example:badge:1.0:User',
        name: 'Badge',
        attributes: [
          { name: 'badgeId', type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'immutable', returned: 'default', uniqueness: 'none' },
          {
            name: 'card', type: 'complex', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
            subAttributes: [{ name: 'serial', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'immutable', returned: 'default', uniqueness: 'none' }]
          }
        ],
        meta: { resourceType: 'Schema', location: '/Schemas/urn:example:badge:1.0:User' }
      }
    }],
    resourceTypes: registry.resourceTypes().map(rt => rt.name === 'User' ? { ...rt, schemaExtensions: [{ schema: 'urn:example:badge:1.0:User', required: false }] } : rt),
    serviceProviderConfig: registry.serviceProviderConfig()
  })
  const BADGE = 'urn:example:badge:1.0:User'
  const stored = prepareWrite(custom, 'User', user({ [BADGE]: { badgeId: 'AB-1', card: { serial: 'S1' } } }), 'create')
  const put = (ext: unknown) => prepareWrite(custom, 'User', user({ [BADGE]: ext }), 'replace')

  t.doesNotThrow(() => checkImmutable(custom, 'User', stored, put({ badgeId: 'AB-1', card: { serial: 'S1' } })), 'same values')
  t.doesNotThrow(() => checkImmutable(custom, 'User', stored, put({ badgeId: 'ab-1', card: { serial: 'S1' } })), 'caseExact false: a case change is no change')
  t.doesNotThrow(() => checkImmutable(custom, 'User', prepareWrite(custom, 'User', user(), 'create'), put({ badgeId: 'AB-1' })), 'MAY be set by a PUT when unset')
  rejects(t, () => checkImmutable(custom, 'User', stored, put({ badgeId: 'AB-2', card: { serial: 'S1' } })), 'mutability', `Attribute "${BADGE}:badgeId" is immutable: once set it cannot be changed or removed (RFC 7644 §3.5.1)`)
  rejects(t, () => checkImmutable(custom, 'User', stored, put({ card: { serial: 'S1' } })), 'mutability', /badgeId" is immutable/, 'removing is changing')
  rejects(t, () => checkImmutable(custom, 'User', stored, put({ badgeId: 'AB-1', card: { serial: 's1' } })), 'mutability', `Attribute "${BADGE}:card.serial" is immutable: once set it cannot be changed or removed (RFC 7644 §3.5.1)`, 'caseExact true')
})

t.test('checkImmutable(): Group members may be replaced although their sub-attributes are immutable', async t => {
  const group = (members: unknown[]) => prepareWrite(registry, 'Group', { schemas: [SCHEMA_URN.group], displayName: 'Ward 3', members }, 'replace')
  t.doesNotThrow(() => checkImmutable(registry, 'Group', group([{ value: 'u1' }]), group([{ value: 'u2' }])))
})
