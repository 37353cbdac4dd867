import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { filterQuery, GROUP_SCHEMA, scimClient } from '../helpers/scim-client.js'

t.test('Groups: members, nesting, User.groups (RFC 7643 §4.2, §4.1.2)', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const ann = await scim.createUser('ann@example.com', { displayName: 'Ann' })
  const bob = await scim.createUser('bob@example.com')

  const nurses = await scim.createGroup('Nurses', [ann.id])
  t.match(nurses, { schemas: [GROUP_SCHEMA], displayName: 'Nurses', meta: { resourceType: 'Group' } })
  t.same(nurses.members, [{ value: ann.id, $ref: `http://carescim.test/scim/v2/clinic/Users/${ann.id}`, type: 'User', display: 'Ann' }])

  const staff = await scim.createGroup('Staff', [nurses.id, bob.id])
  t.equal((staff.members as unknown[]).length, 2)
  t.same((staff.members as Array<{ value: string, type: string }>).find(m => m.value === nurses.id)?.type, 'Group', 'nested group member')

  const annGroups = (await scim.get(`/Users/${ann.id}`)).body.groups
  t.same(annGroups.map((g: { display: string, type: string }) => [g.display, g.type]).sort(), [['Nurses', 'direct'], ['Staff', 'indirect']], 'direct and indirect groups')
  t.equal(annGroups[0].$ref.startsWith('http://carescim.test/scim/v2/clinic/Groups/'), true)

  const cycle = await scim.patch(`/Groups/${nurses.id}`, [{ op: 'add', path: 'members', value: [{ value: staff.id }] }])
  t.equal(cycle.status, 400, 'a cycle is refused')
  t.match(cycle.body.detail, 'cycle')
  const self = await scim.patch(`/Groups/${nurses.id}`, [{ op: 'add', path: 'members', value: [{ value: nurses.id }] }])
  t.equal(self.status, 400, 'a group cannot contain itself')

  const unknown = await scim.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: '00000000-0000-4000-8000-000000000000' }] })
  t.equal(unknown.status, 400)
  t.match(unknown.body.detail, 'no User or Group with id "00000000-0000-4000-8000-000000000000"')

  const excluded = await scim.get(`/Groups/${staff.id}?excludedAttributes=members`)
  t.notOk('members' in excluded.body, 'members can be excluded')
  t.equal(excluded.body.displayName, 'Staff')

  t.equal((await scim.delete(`/Users/${ann.id}`)).status, 204)
  t.same((await scim.get(`/Groups/${nurses.id}`)).body.members, undefined, 'a deleted user leaves its groups')
  t.equal((await scim.delete(`/Groups/${nurses.id}`)).status, 204)
  t.same((await scim.get(`/Groups/${staff.id}`)).body.members.map((m: { value: string }) => m.value), [bob.id], 'a deleted group leaves its parent groups')
})

t.test('member PATCH: every shape IdPs send; 204 unless attributes are asked for', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const users = await Promise.all(['a', 'b', 'c', 'd'].map(async n => await scim.createUser(`${n}@example.com`)))
  const [a, b, c, d] = users.map(u => u.id) as [string, string, string, string]
  const group = await scim.createGroup('Ward 3', [a, b, c])
  const members = async () => ((await scim.get(`/Groups/${group.id}`)).body.members ?? []).map((m: { value: string }) => m.value).sort()

  const removeByFilter = await scim.patch(`/Groups/${group.id}`, [{ op: 'remove', path: `members[value eq "${a}"]` }])
  t.equal(removeByFilter.status, 204)
  t.match(removeByFilter.headers.etag, /^W\/"\d+"$/)
  t.same(await members(), [b, c].sort())

  const entraRemove = await scim.patch(`/Groups/${group.id}`, [{ op: 'Remove', path: 'members', value: [{ value: b }] }])
  t.equal(entraRemove.status, 204)
  t.same(await members(), [c], "Entra's remove shape removes only the listed members")

  const add = await scim.patch(`/Groups/${group.id}?attributes=members`, [{ op: 'Add', path: 'members', value: [{ value: d }, { value: a }] }])
  t.equal(add.status, 200, 'with attributes= the resource comes back')
  t.same(add.body.members.map((m: { value: string }) => m.value).sort(), [a, c, d].sort())

  const rename = await scim.patch(`/Groups/${group.id}`, [{ op: 'replace', value: { displayName: 'Ward 3 (north)' } }])
  t.equal(rename.status, 204)
  t.equal((await scim.get(`/Groups/${group.id}`)).body.displayName, 'Ward 3 (north)')
  t.same(await members(), [a, c, d].sort(), 'a rename leaves members alone')

  const replaceAll = await scim.patch(`/Groups/${group.id}`, [{ op: 'replace', path: 'members', value: [{ value: b }] }])
  t.equal(replaceAll.status, 204)
  t.same(await members(), [b])

  const removeAll = await scim.patch(`/Groups/${group.id}`, [{ op: 'remove', path: 'members' }])
  t.equal(removeAll.status, 204)
  t.same(await members(), [])

  const before = (await scim.get(`/Groups/${group.id}`)).body.meta.version
  const atomic = await scim.patch(`/Groups/${group.id}`, [
    { op: 'add', path: 'members', value: [{ value: a }] },
    { op: 'replace', path: 'displayName', value: null }
  ])
  t.equal(atomic.status, 400, 'removing the required displayName fails the whole PATCH')
  t.same(await members(), [], 'the member add in the same PATCH did not happen')
  t.equal((await scim.get(`/Groups/${group.id}`)).body.meta.version, before)
})

t.test('concurrent member adds to one group all land (no lost updates)', async t => {
  const { app, runtime, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const group = await scim.createGroup('Everyone')
  const users = []
  for (let i = 0; i < 50; i++) users.push(await scim.createUser(`user${i}@example.com`))
  const responses = await Promise.all(users.map(async user =>
    await scim.patch(`/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: user.id }] }])))
  t.same(responses.map(r => r.status), users.map(() => 204), 'all 50 succeed')
  const members = (await scim.get(`/Groups/${group.id}`)).body.members
  t.equal(members.length, 50, 'all 50 members are there')
  t.equal((await scim.get(`/Groups/${group.id}`)).body.meta.version, 'W/"51"', 'each add bumped the version once')
  // Adds that arrive together share one statement (group commit), yet each is its own change.
  t.same(responses.map(r => r.headers.etag).sort(), users.map((_, i) => `W/"${i + 2}"`).sort(), 'each PATCH answers with its own version')
  const tenantId = (await runtime.tenants.listTenants()).find(known => known.slug === 'clinic')!.id
  const audited = await runtime.auditLog.query(tenantId, { targetId: group.id, action: 'group.members-changed', limit: 100 })
  t.same(audited.map(event => (event.changes as { members: { added: string[] } }).members.added).flat().sort(), users.map(user => user.id).sort(),
    'one audit event per PATCH, naming its own member')
  t.equal(new Set(audited.map(event => event.requestId)).size, 50, 'each with its own request id')
  // The member changes of one group queue up in the process: one that fails does not hold up the next.
  const mixed = await Promise.all(users.slice(0, 6).map(async (user, i) => await scim.patch(`/Groups/${group.id}`, [
    { op: 'remove', path: 'members', value: [{ value: user.id }] },
    ...(i % 2 === 0 ? [] : [{ op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] }])])))
  t.same(mixed.map(r => r.status), [204, 400, 204, 400, 204, 400], 'the unknown member fails its own PATCH only')
  t.equal((await scim.get(`/Groups/${group.id}`)).body.members.length, 47, 'the three valid removals landed')

  const user = users[0]!
  const patches = await Promise.all(Array.from({ length: 10 }, async (_, i) =>
    await scim.patch(`/Users/${user.id}`, [{ op: 'add', path: 'phoneNumbers', value: [{ value: `+31 20 555 00${i}`, type: 'work' }] }])))
  t.same(patches.map(r => r.status), Array(10).fill(200))
  t.equal((await scim.get(`/Users/${user.id}`)).body.phoneNumbers.length, 10, 'no lost update on a user either')
})

t.test('group filters', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const u = await scim.createUser('u@example.com')
  await scim.createGroup('Cardiology', [u.id])
  await scim.createGroup('Oncology')
  const byName = await scim.get(`/Groups?${filterQuery('displayName eq "cardiology"')}&excludedAttributes=members`)
  t.same(byName.body.Resources.map((g: { displayName: string }) => g.displayName), ['Cardiology'], 'displayName is caseExact false')
  const byMember = await scim.get(`/Groups?${filterQuery(`members[value eq "${u.id}"]`)}`)
  t.same(byMember.body.Resources.map((g: { displayName: string }) => g.displayName), ['Cardiology'])
  const userByGroup = await scim.get(`/Users?${filterQuery(`groups.display eq "Cardiology"`)}`)
  t.equal(userByGroup.body.totalResults, 1)
})
