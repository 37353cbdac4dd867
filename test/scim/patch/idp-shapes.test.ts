// PATCH requests as Microsoft Entra ID and Okta send them (shapes from their provisioning docs).
import t from 'tap'
import { applyPatch, parsePatchRequest, splitMemberOperations } from '../../../src/scim/patch/index.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'

const registry = SchemaRegistry.fromDirectory()
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const request = (...operations: unknown[]) => parsePatchRequest({ schemas: [PATCH_OP], Operations: operations })
const patchUser = (resource: Record<string, unknown>, ...operations: unknown[]) => applyPatch(registry, 'User', resource, request(...operations))
const patchGroup = (resource: Record<string, unknown>, ...operations: unknown[]) => applyPatch(registry, 'Group', resource, request(...operations))

const user = () => ({
  schemas: [CORE],
  id: '5171a35d82074e068ce2',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  name: { givenName: 'Given', familyName: 'Family' },
  emails: [{ value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com', type: 'work', primary: true }],
  active: true
})
const group = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: '40734ae655284ad3abcc',
  displayName: 'Group1DisplayName',
  members: [{ value: 'a2c3b1c3-1111-4c2a-8a0e-8e3c0e6a1a11' }, { value: 'f648f8d5ea4e4cd38e9c' }]
})

t.test('Microsoft Entra ID', async t => {
  t.test('update user: filtered email and a sub-attribute, capitalised ops', async t => {
    const { resource } = patchUser(user(),
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' }
    )
    t.strictSame(resource.emails, [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }])
    t.strictSame(resource.name, { givenName: 'Given', familyName: 'updatedFamilyName' })
  })

  t.test('disable user with the string "False" (pre-aadOptscim062020 behaviour)', async t => {
    t.equal(patchUser(user(), { op: 'Replace', path: 'active', value: 'False' }).resource.active, false)
    t.equal(patchUser({ ...user(), active: false }, { op: 'Replace', path: 'active', value: 'True' }).resource.active, true)
  })

  t.test('disable user with a boolean (aadOptscim062020)', async t => {
    t.equal(patchUser(user(), { op: 'replace', path: 'active', value: false }).resource.active, false)
  })

  t.test('no-path value with dotted and URN-qualified keys (aadOptscim062020)', async t => {
    const { resource } = patchUser(user(), {
      op: 'replace',
      value: {
        displayName: 'Kasia Wiśniewska',
        'name.givenName': 'Kasia',
        'name.familyName': 'Wiśniewska',
        [`${ENTERPRISE}:employeeNumber`]: '42',
        [`${ENTERPRISE}:manager`]: 'f54d5e9f-0e35-4bd4-a6a2-59e8d1c13f51',
        'emails[type eq "work"].value': 'kasia@example.com',
        active: 'True'
      }
    })
    t.equal(resource.displayName, 'Kasia Wiśniewska')
    t.strictSame(resource.name, { givenName: 'Kasia', familyName: 'Wiśniewska' })
    t.strictSame(resource.emails, [{ value: 'kasia@example.com', type: 'work', primary: true }])
    t.strictSame(resource[ENTERPRISE], { employeeNumber: '42', manager: { value: 'f54d5e9f-0e35-4bd4-a6a2-59e8d1c13f51' } })
    t.strictSame(resource.schemas, [CORE, ENTERPRISE])
  })

  t.test('manager as a bare id, then removed', async t => {
    const added = patchUser(user(), { op: 'Add', path: `${ENTERPRISE}:manager`, value: '45619541-95de-4d5e-9872-571b5d2c5577' }).resource
    t.strictSame(added[ENTERPRISE], { manager: { value: '45619541-95de-4d5e-9872-571b5d2c5577' } })
    const removed = patchUser(added, { op: 'Remove', path: `${ENTERPRISE}:manager`, value: [{ value: '45619541-95de-4d5e-9872-571b5d2c5577' }] }).resource
    t.strictSame(removed, user())
  })

  t.test('add to a filtered value the user does not have yet creates it', async t => {
    const { emails: _, ...noEmails } = user()
    const { resource } = patchUser(noEmails,
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'new@example.com' },
      { op: 'Add', path: 'addresses[type eq "work"].formatted', value: 'Columbus' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+48 600 000 000' }
    )
    t.strictSame(resource.emails, [{ type: 'work', value: 'new@example.com' }])
    t.strictSame(resource.addresses, [{ type: 'work', formatted: 'Columbus' }])
    t.strictSame(resource.phoneNumbers, [{ type: 'mobile', value: '+48 600 000 000' }])
  })

  t.test('group: add members, with "$ref": null', async t => {
    const { resource } = patchGroup(group(), { op: 'Add', path: 'members', value: [{ $ref: null, value: 'new-member' }] })
    t.strictSame(resource.members, [...group().members, { value: 'new-member' }])
  })

  t.test('group: remove members listed in the value removes only those', async t => {
    const operation = { op: 'Remove', path: 'members', value: [{ $ref: null, value: 'a2c3b1c3-1111-4c2a-8a0e-8e3c0e6a1a11' }] }
    t.strictSame(patchGroup(group(), operation).resource.members, [{ value: 'f648f8d5ea4e4cd38e9c' }])
    t.strictSame(splitMemberOperations(request(operation)).memberChanges, [{ kind: 'remove', ids: ['a2c3b1c3-1111-4c2a-8a0e-8e3c0e6a1a11'] }])
  })

  t.test('group: remove a member by filter (aadOptscim062020)', async t => {
    const operation = { op: 'remove', path: 'members[value eq "f648f8d5ea4e4cd38e9c"]' }
    t.strictSame(patchGroup(group(), operation).resource.members, [{ value: 'a2c3b1c3-1111-4c2a-8a0e-8e3c0e6a1a11' }])
    t.strictSame(splitMemberOperations(request(operation)).memberChanges, [{ kind: 'remove', ids: ['f648f8d5ea4e4cd38e9c'] }])
  })

  t.test('group: rename', async t => {
    t.equal(patchGroup(group(), { op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }).resource.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName')
  })
})

t.test('Okta', async t => {
  t.test('deactivate user: no-path replace', async t => {
    const { resource, changed } = patchUser(user(), { op: 'replace', value: { active: false } })
    t.ok(changed)
    t.equal(resource.active, false)
  })

  t.test('update user: no-path replace of a complex attribute keeps other sub-attributes', async t => {
    const { resource } = patchUser(user(), { op: 'replace', value: { name: { givenName: 'Ann' }, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Nursing' } } })
    t.strictSame(resource.name, { givenName: 'Ann', familyName: 'Family' })
    t.strictSame(resource[ENTERPRISE], { department: 'Nursing' })
  })

  t.test('group rename echoes the readOnly id', async t => {
    const { resource, changed } = patchGroup(group(), { op: 'replace', value: { id: '40734ae655284ad3abcc', displayName: 'Test SCIMv2' } })
    t.ok(changed)
    t.equal(resource.displayName, 'Test SCIMv2')
    t.equal(resource.id, '40734ae655284ad3abcc')
  })

  t.test('group: add members with display, remove by filter', async t => {
    const operations = request(
      { op: 'add', path: 'members', value: [{ value: '00u1f96ECLNVOKVMUSEA', display: 'test.user@okta.local' }] },
      { op: 'remove', path: 'members[value eq "f648f8d5ea4e4cd38e9c"]' }
    )
    t.strictSame(applyPatch(registry, 'Group', group(), operations).resource.members, [
      { value: 'a2c3b1c3-1111-4c2a-8a0e-8e3c0e6a1a11' },
      { value: '00u1f96ECLNVOKVMUSEA' }
    ])
    t.strictSame(splitMemberOperations(operations).memberChanges, [
      { kind: 'add', ids: ['00u1f96ECLNVOKVMUSEA'] },
      { kind: 'remove', ids: ['f648f8d5ea4e4cd38e9c'] }
    ])
  })
})
