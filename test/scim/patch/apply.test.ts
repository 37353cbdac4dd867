// applyPatch semantics beyond the RFC's own examples: multi-valued rules, extensions, `changed`.
import t from 'tap'
import { applyPatch, parsePatchRequest } from '../../../src/scim/patch/index.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'

const registry = SchemaRegistry.fromDirectory()
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const patch = (resource: Record<string, unknown>, ...operations: unknown[]) =>
  applyPatch(registry, 'User', resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }))

const user = () => ({
  schemas: [CORE],
  id: 'u1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' }
  ],
  active: true
})

t.test('multi-valued attributes RFC7644 §3.5.2, RFC7643 §2.4', async t => {
  t.test('add appends and skips values already present', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }, { value: 'b@example.org', type: 'other' }] })
    t.strictSame(resource.emails, [...user().emails, { value: 'b@example.org', type: 'other' }])
  })

  t.test('add of a single element (not in an array) is wrapped', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'emails', value: { value: 'b@example.org', type: 'other' } })
    t.equal((resource.emails as unknown[]).length, 3)
  })

  t.test('add of an element with the same type and value merges into it', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home', display: 'Babs' }] })
    t.strictSame(resource.emails, [user().emails[0], { value: 'babs@jensen.org', type: 'home', display: 'Babs' }])
  })

  t.test('adding a primary value clears primary on the others', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'work', primary: true }] })
    t.strictSame(resource.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'new@example.com', type: 'work', primary: true }
    ])
  })

  t.test('setting primary through a filter clears it on the others', async t => {
    const { resource } = patch(user(), { op: 'replace', path: 'emails[type eq "home"].primary', value: true })
    t.strictSame(resource.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true }
    ])
  })

  t.test('a filter setting primary on two values is refused', async t => {
    t.throws(() => patch(user(), { op: 'replace', path: 'emails[value pr].primary', value: true }), { scimType: 'invalidValue', message: /only one value with "primary" true/ })
  })

  t.test('replace without a filter replaces the whole list', async t => {
    const { resource } = patch(user(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com' }] })
    t.strictSame(resource.emails, [{ value: 'only@example.com' }])
  })

  t.test('replace with a filter merges into the matching values only', async t => {
    const { resource } = patch(user(), { op: 'replace', path: 'emails[type eq "home"]', value: { display: 'Home' } })
    t.strictSame(resource.emails, [user().emails[0], { value: 'babs@jensen.org', type: 'home', display: 'Home' }])
  })

  t.test('replace with [] or null unassigns', async t => {
    t.notOk('emails' in patch(user(), { op: 'replace', path: 'emails', value: [] }).resource)
    t.notOk('emails' in patch(user(), { op: 'replace', path: 'emails', value: null }).resource)
  })

  t.test('remove a sub-attribute of the matching values', async t => {
    const { resource } = patch(user(), { op: 'remove', path: 'emails[type eq "work"].primary' })
    t.strictSame(resource.emails, [{ value: 'bjensen@example.com', type: 'work' }, user().emails[1]])
  })

  t.test('a sub-attribute path without a filter applies to every value', async t => {
    const { resource } = patch(user(), { op: 'remove', path: 'emails.type' })
    t.strictSame(resource.emails, [{ value: 'bjensen@example.com', primary: true }, { value: 'babs@jensen.org' }])
  })

  t.test('remove with a value list removes only the listed values', async t => {
    const { resource } = patch(user(), { op: 'remove', path: 'emails', value: [{ value: 'babs@jensen.org' }, { value: 'absent@example.com' }] })
    t.strictSame(resource.emails, [user().emails[0]])
  })

  t.test('remove with an empty value list removes nothing', async t => {
    const { resource, changed } = patch(user(), { op: 'remove', path: 'emails', value: [] })
    t.notOk(changed)
    t.strictSame(resource, user())
  })

  t.test('add to an eq filter that matches nothing creates the value', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'phoneNumbers[type eq "work" and primary eq true].value', value: '+1 555 0100' })
    t.strictSame(resource.phoneNumbers, [{ type: 'work', primary: true, value: '+1 555 0100' }])
  })
})

t.test('complex and simple attributes', async t => {
  t.test('add to a complex attribute sets the given sub-attributes', async t => {
    const { resource } = patch(user(), { op: 'add', path: 'name', value: { middleName: 'Jane', familyName: null } })
    t.strictSame(resource.name, { givenName: 'Barbara', middleName: 'Jane' })
  })

  t.test('sub-attribute path creates the complex value', async t => {
    const { resource } = patch({ ...user(), name: undefined }, { op: 'add', path: 'name.givenName', value: 'Babs' })
    t.strictSame(resource.name, { givenName: 'Babs' })
  })

  t.test('removing the last sub-attribute unassigns the complex attribute', async t => {
    const { resource } = patch(user(), { op: 'remove', path: 'name.givenName' }, { op: 'remove', path: 'name.familyName' })
    t.notOk('name' in resource)
  })

  t.test('attribute names are case-insensitive and written canonically', async t => {
    const { resource } = patch({ ...user(), DisplayName: 'old' }, { op: 'replace', path: 'DISPLAYNAME', value: 'Babs' }, { op: 'replace', path: 'Name.GivenName', value: 'B' })
    t.equal(resource.displayName, 'Babs')
    t.notOk('DisplayName' in resource)
    t.strictSame(resource.name, { givenName: 'B', familyName: 'Jensen' })
  })

  t.test('the core schema URN may prefix a path', async t => {
    const { resource } = patch(user(), { op: 'replace', path: `${CORE}:name.familyName`, value: 'J' })
    t.strictSame(resource.name, { givenName: 'Barbara', familyName: 'J' })
  })

  t.test('removing an absent attribute is not an error', async t => {
    const { resource, changed } = patch(user(), { op: 'remove', path: 'title' })
    t.notOk(changed)
    t.strictSame(resource, user())
  })

  t.test('immutable attributes may be added when they have no value', async t => {
    const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'G', members: [{ value: 'u1' }] }
    const { resource } = applyPatch(registry, 'Group', group, parsePatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members[value eq "u1"].type', value: 'User' }] }))
    t.strictSame(resource.members, [{ value: 'u1', type: 'User' }])
  })
})

t.test('schema extensions', async t => {
  t.test('an attribute by its fully qualified name adds the extension to schemas', async t => {
    const { resource } = patch(user(), { op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '701984' })
    t.strictSame(resource.schemas, [CORE, ENTERPRISE])
    t.strictSame(resource[ENTERPRISE], { employeeNumber: '701984' })
  })

  t.test('extension sub-attribute path', async t => {
    const { resource } = patch(user(), { op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'm1' })
    t.strictSame(resource[ENTERPRISE], { manager: { value: 'm1' } })
  })

  t.test('unique extension attribute names resolve without the URN', async t => {
    const { resource } = patch(user(), { op: 'replace', path: 'department', value: 'Tour Operations' })
    t.strictSame(resource[ENTERPRISE], { department: 'Tour Operations' })
  })

  t.test('the bare extension URN as path: add merges, remove drops it', async t => {
    const added = patch(user(), { op: 'add', path: ENTERPRISE, value: { employeeNumber: '1', department: 'X' } }).resource
    t.strictSame(added[ENTERPRISE], { employeeNumber: '1', department: 'X' })
    const replaced = patch(added, { op: 'replace', path: ENTERPRISE, value: { department: 'Y' } }).resource
    t.strictSame(replaced[ENTERPRISE], { employeeNumber: '1', department: 'Y' })
    const removed = patch(replaced, { op: 'remove', path: ENTERPRISE }).resource
    t.strictSame(removed, user())
  })

  t.test('an extension object in a no-path value', async t => {
    const { resource } = patch(user(), { op: 'add', value: { [ENTERPRISE]: { costCenter: '4130' }, schemas: ['ignored'] } })
    t.strictSame(resource.schemas, [CORE, ENTERPRISE])
    t.strictSame(resource[ENTERPRISE], { costCenter: '4130' })
  })

  t.test('the core schema URN as a key of a no-path value', async t => {
    const { resource } = patch(user(), { op: 'replace', value: { [CORE]: { displayName: 'Babs' } } })
    t.equal(resource.displayName, 'Babs')
  })
})

t.test('changed RFC7644 §3.5.2.1 ("no changes SHOULD be made")', async t => {
  const unchanged: Array<[string, unknown[]]> = [
    ['add an email already there', [{ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] }]],
    ['replace with the same value', [{ op: 'replace', path: 'name.givenName', value: 'Barbara' }]],
    ['replace active with "True"', [{ op: 'Replace', path: 'active', value: 'True' }]],
    ['replace then restore', [{ op: 'replace', path: 'userName', value: 'x' }, { op: 'replace', path: 'userName', value: 'bjensen' }]],
    ['write the readOnly id with its own value', [{ op: 'replace', value: { id: 'u1', userName: 'bjensen' } }]],
    ['remove an absent extension', [{ op: 'remove', path: ENTERPRISE }]]
  ]
  for (const [name, operations] of unchanged) {
    t.test(name, async t => {
      const { resource, changed } = patch(user(), ...operations)
      t.notOk(changed)
      t.strictSame(resource, user())
    })
  }
  t.test('a real change', async t => {
    t.ok(patch(user(), { op: 'replace', path: 'active', value: false }).changed)
  })
})
