/**
 * scim-schemas/ against RFC 7643 §8.7.1 ("Resource Schema Representation"), with its verified errata.
 * The expectations below are transcribed from the RFC text; each erratum applied is named.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-8.7.1
 * @see https://www.rfc-editor.org/errata/rfc7643
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { SCHEMA_URN, type AttributeDefinition } from '../../../src/scim/schema/types.js'

const folder = new URL('../../../scim-schemas/', import.meta.url)
const load = (name: string) => JSON.parse(readFileSync(new URL(name, folder), 'utf8'))
const files = { User: load('User.json'), Group: load('Group.json'), EnterpriseUser: load('EnterpriseUser.json') }
const CHARACTERISTICS = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'] as const

function find (schema: { attributes: AttributeDefinition[] }, path: string): AttributeDefinition {
  const [name, sub] = path.split('.')
  const attribute = schema.attributes.find(a => a.name === name)!
  return sub === undefined ? attribute : attribute.subAttributes!.find(s => s.name === sub)!
}

t.test('every attribute and sub-attribute has every characteristic filled (RFC 7643 §2.2, §7)', async t => {
  for (const [file, schema] of Object.entries(files)) {
    const walk = (attributes: AttributeDefinition[], parent: string) => {
      for (const attribute of attributes) {
        const label = `${file}: ${parent}${attribute.name}`
        for (const key of CHARACTERISTICS) t.ok(attribute[key] !== undefined && attribute[key] !== '', `${label} has ${key}`)
        if (attribute.type === 'reference') t.ok(attribute.referenceTypes?.length, `${label} has referenceTypes`)
        if (attribute.subAttributes !== undefined) walk(attribute.subAttributes, `${attribute.name}.`)
      }
    }
    walk(schema.attributes, '')
  }
})

t.test('each file is a Schema resource with a relative location', async t => {
  for (const [name, id, description] of [['User', SCHEMA_URN.user, 'User Account'], ['Group', SCHEMA_URN.group, 'Group'], ['EnterpriseUser', SCHEMA_URN.enterpriseUser, 'Enterprise User']] as const) {
    t.match(files[name], { schemas: [SCHEMA_URN.schema], id, name, description, meta: { resourceType: 'Schema', location: `/Schemas/${id}` } })
  }
})

t.test('attribute names and order, as in RFC 7643 §8.7.1', async t => {
  const names = (schema: { attributes: AttributeDefinition[] }) => schema.attributes.map(a => a.subAttributes === undefined ? a.name : `${a.name}(${a.subAttributes.map(s => s.name).join(',')})`)
  t.strictSame(names(files.User), [
    'userName', 'name(formatted,familyName,givenName,middleName,honorificPrefix,honorificSuffix)', 'displayName', 'nickName', 'profileUrl', 'title',
    'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails(value,display,type,primary)',
    'phoneNumbers(value,display,type,primary)', 'ims(value,display,type,primary)', 'photos(value,display,type,primary)',
    // "primary" is not in the RFC's addresses schema: see the next test.
    'addresses(formatted,streetAddress,locality,region,postalCode,country,type,primary)', 'groups(value,$ref,display,type)',
    'entitlements(value,display,type,primary)', 'roles(value,display,type,primary)', 'x509Certificates(value,display,type,primary)'
  ])
  // members.display is CareSCIM's addition: a default sub-attribute per RFC 7643 §2.4, absent from §8.7.1,
  // sent by IdPs and the RFC's own §3.5.2.1 example; readOnly (docs/conformance.md).
  t.strictSame(names(files.Group), ['displayName', 'members(value,$ref,type,display)'])
  t.strictSame(names(files.EnterpriseUser), ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager(value,$ref,displayName)'])
})

t.test('characteristics transcribed from RFC 7643 §8.7.1', async t => {
  const rfc: Array<[keyof typeof files, string, Partial<AttributeDefinition>]> = [
    ['User', 'userName', { type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' }],
    ['User', 'name', { type: 'complex', multiValued: false, required: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' }],
    ['User', 'profileUrl', { type: 'reference', referenceTypes: ['external'], caseExact: false }],
    ['User', 'active', { type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' }],
    ['User', 'password', { type: 'string', caseExact: false, mutability: 'writeOnly', returned: 'never', uniqueness: 'none' }],
    ['User', 'emails', { type: 'complex', multiValued: true, required: false, mutability: 'readWrite', returned: 'default' }],
    ['User', 'emails.type', { canonicalValues: ['work', 'home', 'other'], caseExact: false }],
    ['User', 'phoneNumbers.type', { canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] }],
    ['User', 'ims.type', { canonicalValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'] }],
    ['User', 'photos.value', { type: 'reference', referenceTypes: ['external'], caseExact: false }],
    ['User', 'photos.type', { canonicalValues: ['photo', 'thumbnail'] }],
    ['User', 'addresses.type', { canonicalValues: ['work', 'home', 'other'] }],
    ['User', 'groups', { multiValued: true, mutability: 'readOnly', returned: 'default' }],
    ['User', 'groups.value', { type: 'string', caseExact: false, mutability: 'readOnly' }],
    // Erratum 8471 (verified): groups.$ref refers to Groups only; the RFC text says ["User", "Group"].
    ['User', 'groups.$ref', { type: 'reference', referenceTypes: ['Group'], caseExact: false, mutability: 'readOnly' }],
    ['User', 'groups.type', { canonicalValues: ['direct', 'indirect'], mutability: 'readOnly' }],
    ['User', 'roles.type', { canonicalValues: [] }],
    ['User', 'x509Certificates.value', { type: 'binary', caseExact: false, mutability: 'readWrite' }],
    ['User', 'x509Certificates.type', { canonicalValues: [] }],
    // Erratum 5368 (verified): "REQUIRED." in the description, "required": false in the RFC text.
    ['Group', 'displayName', { type: 'string', required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' }],
    ['Group', 'members', { type: 'complex', multiValued: true, required: false, mutability: 'readWrite', returned: 'default' }],
    ['Group', 'members.value', { type: 'string', caseExact: false, mutability: 'immutable' }],
    ['Group', 'members.$ref', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'immutable' }],
    ['Group', 'members.type', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }],
    ['EnterpriseUser', 'employeeNumber', { type: 'string', caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' }],
    ['EnterpriseUser', 'manager', { type: 'complex', multiValued: false, required: false, mutability: 'readWrite' }],
    // Erratum 8472 (verified): manager.value is an id, and ids are case-exact (RFC 7643 §3.1).
    // "REQUIRED." stays in the description with "required": false: erratum 8359 is only held for update.
    ['EnterpriseUser', 'manager.value', { type: 'string', required: false, caseExact: true, mutability: 'readWrite' }],
    ['EnterpriseUser', 'manager.$ref', { type: 'reference', referenceTypes: ['User'], required: false, caseExact: false }],
    ['EnterpriseUser', 'manager.displayName', { type: 'string', required: false, mutability: 'readOnly' }]
  ]
  for (const [file, path, expected] of rfc) t.match(find(files[file], path), expected, `${file} ${path}`)
  t.equal(find(files.User, 'userName').description, "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.  Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users.  REQUIRED.")
})

t.test('the one departure from RFC 7643 §8.7.1 that is not an erratum: addresses.primary', async t => {
  // The RFC's own full User examples (§8.2, §8.3, kept by verified errata 5990 and 5991) send
  // addresses[].primary, and §2.4 makes "primary" a default sub-attribute of multi-valued
  // attributes; without it, the RFC's example User would be rejected as unknown attribute.
  t.match(find(files.User, 'addresses.primary'), { type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' })
})

t.test('ResourceTypes.json (RFC 7643 §6, §8.6) and ServiceProviderConfig.json (§5)', async t => {
  t.match(load('ResourceTypes.json'), [
    { schemas: [SCHEMA_URN.resourceType], id: 'User', name: 'User', endpoint: '/Users', schema: SCHEMA_URN.user, schemaExtensions: [{ schema: SCHEMA_URN.enterpriseUser, required: false }], meta: { resourceType: 'ResourceType', location: '/ResourceTypes/User' } },
    { schemas: [SCHEMA_URN.resourceType], id: 'Group', name: 'Group', endpoint: '/Groups', schema: SCHEMA_URN.group, meta: { resourceType: 'ResourceType', location: '/ResourceTypes/Group' } }
  ])
  const config = load('ServiceProviderConfig.json')
  t.strictSame(config.authenticationSchemes, [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authentication scheme using the OAuth Bearer Token Standard', specUri: 'https://www.rfc-editor.org/info/rfc6750', primary: true }])
  t.notOk('documentationUri' in config)
})
