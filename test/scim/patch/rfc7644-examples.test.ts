// The examples of RFC 7644 §3.5.2.1–§3.5.2.3, applied to small representations.
import t from 'tap'
import { applyPatch, parsePatchRequest } from '../../../src/scim/patch/index.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'

const registry = SchemaRegistry.fromDirectory()
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const patch = (resourceType: string, resource: Record<string, unknown>, ...operations: unknown[]) =>
  applyPatch(registry, resourceType, resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }))

const BABS = '2819c223-7f76-453a-919d-413861904646'
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210'
const group = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce',
  displayName: 'Tour Guides',
  members: [{ value: BABS, type: 'User' }, { value: '902c246b-6245-4190-8e05-00816be7344a', type: 'User' }]
})
const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: BABS,
  userName: 'bjensen',
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  addresses: [
    { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true },
    { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' }
  ]
})

t.test('Add Operation RFC7644 §3.5.2.1', async t => {
  t.test('add a member to a group', async t => {
    const { resource, changed } = patch('Group', group(), {
      op: 'add',
      path: 'members',
      value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }]
    })
    t.ok(changed)
    // "display" is a default sub-attribute (RFC 7643 §2.4) our Group schema does not declare: ignored.
    t.strictSame(resource.members, [...group().members, { $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }])
  })

  t.test('add without a path: the value holds attributes ("nickname" matched case-insensitively)', async t => {
    const { resource } = patch('User', user(), {
      op: 'add',
      value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' }
    })
    t.strictSame(resource.emails, [...user().emails, { value: 'babs@jensen.org', type: 'home' }])
    t.equal(resource.nickName, 'Babs')
  })

  t.test('a value already present changes nothing', async t => {
    const { resource, changed } = patch('User', user(), { op: 'add', path: 'emails', value: [{ value: 'bjensen@example.com', type: 'work', primary: true }] })
    t.notOk(changed)
    t.strictSame(resource, user())
  })
})

t.test('Remove Operation RFC7644 §3.5.2.2', async t => {
  t.test('remove a single member by filter', async t => {
    const { resource } = patch('Group', group(), { op: 'remove', path: `members[value eq "${BABS}"]` })
    t.strictSame(resource.members, [group().members[1]])
  })

  t.test('remove all members', async t => {
    const { resource, changed } = patch('Group', group(), { op: 'remove', path: 'members' })
    t.ok(changed)
    t.notOk('members' in resource, 'the attribute is unassigned')
  })

  t.test('remove the last matching value leaves the attribute unassigned', async t => {
    const { resource } = patch('User', user(), { op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' })
    t.notOk('emails' in resource)
  })

  t.test('remove an extension attribute by its fully qualified name', async t => {
    const withManager = { ...user(), schemas: [...user().schemas, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'], 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: JAMES } } }
    const { resource } = patch('User', withManager, { op: 'remove', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' })
    t.strictSame(resource, user(), 'the emptied extension and its schemas entry go too')
  })

  t.test('replace all members as remove + add in one request', async t => {
    const { resource } = patch('Group', group(),
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: BABS }, { value: JAMES }] }
    )
    t.strictSame(resource.members, [{ value: BABS }, { value: JAMES }])
  })
})

t.test('Replace Operation RFC7644 §3.5.2.3', async t => {
  t.test('replace all members', async t => {
    const { resource } = patch('Group', group(), {
      op: 'replace',
      path: 'members',
      value: [
        { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
        { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }
      ]
    })
    t.strictSame(resource.members, [
      { $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      { $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }
    ])
  })

  t.test("replace the user's work address", async t => {
    const work = { type: 'work', streetAddress: '911 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US', formatted: '911 Universal City Plaza\nHollywood, CA 91608 US', primary: true }
    const { resource } = patch('User', user(), { op: 'replace', path: 'addresses[type eq "work"]', value: work })
    t.strictSame(resource.addresses, [work, user().addresses[1]])
  })

  t.test('replace a sub-attribute of the matching values', async t => {
    const { resource } = patch('User', user(), { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' })
    t.strictSame(resource.addresses, [{ ...user().addresses[0], streetAddress: '1010 Broadway Ave' }, user().addresses[1]])
  })

  t.test('replace an email by filter', async t => {
    const { resource } = patch('User', user(), { op: 'replace', path: 'emails[type eq "work"].value', value: 'babs@example.com' })
    t.strictSame(resource.emails, [{ value: 'babs@example.com', type: 'work', primary: true }])
  })

  t.test('replace without a path: multi-valued attributes are replaced whole', async t => {
    const emails = [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }]
    const { resource } = patch('User', user(), { op: 'replace', value: { emails, nickname: 'Babs' } })
    t.strictSame(resource.emails, emails)
    t.equal(resource.nickName, 'Babs')
  })

  t.test('replace a sub-attribute of a complex attribute, keeping the others', async t => {
    const named = { ...user(), name: { givenName: 'Barbara', familyName: 'Jensen' } }
    const { resource } = patch('User', named, { op: 'replace', path: 'name', value: { givenName: 'Babs' } })
    t.strictSame(resource.name, { givenName: 'Babs', familyName: 'Jensen' })
  })

  t.test('replace of an absent attribute is an add', async t => {
    const { resource } = patch('User', user(), { op: 'replace', path: 'title', value: 'Tour Guide' })
    t.equal(resource.title, 'Tour Guide')
  })
})
