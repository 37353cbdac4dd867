// A User is read as stored (membership.user_row, account.user_row): every change it depends on, made
// through the User or elsewhere (its groups, their names and nesting), shows in the next read.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { filterQuery, scimClient, type ScimClient } from '../helpers/scim-client.js'
import { reader } from '../../src/persistence/sql.js'

const { app, runtime, tenant } = await startTestApp(t)
const scim = scimClient(app, 'clinic', await tenant('clinic'))

/** The user's groups as [display, type], by GET by id and by a userName lookup (both must agree). */
async function groupsOf (client: ScimClient, user: { id: string, userName: string }): Promise<Array<[string, string]>> {
  const byId = (await client.get(`/Users/${user.id}`)).body
  const byName = (await client.get(`/Users?${filterQuery(`userName eq "${user.userName}"`)}`)).body.Resources[0]
  t.same(byName.groups, byId.groups, `${user.userName}: the lookup shows what GET shows`)
  return ((byId.groups ?? []) as Array<{ display: string, type: string }>).map(g => [g.display, g.type])
}

t.test('groups: joined, nested afterwards, renamed, unnested, deleted', async t => {
  const ann = await scim.createUser('ann@example.com')
  const user = { id: ann.id, userName: 'ann@example.com' }
  const ward = await scim.createGroup('Ward 3', [ann.id])
  const hospital = await scim.createGroup('Hospital')
  t.same(await groupsOf(scim, user), [['Ward 3', 'direct']])

  t.equal((await scim.patch(`/Groups/${hospital.id}`, [{ op: 'add', path: 'members', value: [{ value: ward.id }] }])).status, 204)
  t.same(await groupsOf(scim, user), [['Hospital', 'indirect'], ['Ward 3', 'direct']], 'a group nested later shows as indirect')

  t.equal((await scim.patch(`/Groups/${hospital.id}`, [{ op: 'replace', path: 'displayName', value: 'St. Mary' }])).status, 204)
  t.same(await groupsOf(scim, user), [['St. Mary', 'indirect'], ['Ward 3', 'direct']], 'a renamed parent group')
  t.equal((await scim.patch(`/Groups/${ward.id}`, [{ op: 'replace', path: 'displayName', value: 'WARD 3' }])).status, 204)
  t.same(await groupsOf(scim, user), [['St. Mary', 'indirect'], ['WARD 3', 'direct']], 'a change of case only')

  t.equal((await scim.patch(`/Groups/${hospital.id}`, [{ op: 'remove', path: `members[value eq "${ward.id}"]` }])).status, 204)
  t.same(await groupsOf(scim, user), [['WARD 3', 'direct']], 'unnested')

  const put = await scim.put(`/Groups/${hospital.id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'St. Mary', members: [{ value: ward.id }] })
  t.equal(put.status, 200)
  t.same(await groupsOf(scim, user), [['St. Mary', 'indirect'], ['WARD 3', 'direct']], 'nested again by a PUT')

  t.equal((await scim.delete(`/Groups/${ward.id}`)).status, 204)
  t.same(await groupsOf(scim, user), [], 'a deleted group leaves, and the groups above it with it')
})

t.test('a user deleted from its groups, and a group deleting its members', async t => {
  const bob = await scim.createUser('bob@example.com')
  const cas = await scim.createUser('cas@example.com')
  const team = await scim.createGroup('Team', [bob.id, cas.id])
  t.equal((await scim.patch(`/Groups/${team.id}`, [{ op: 'remove', path: 'members' }])).status, 204)
  t.same(await groupsOf(scim, { id: bob.id, userName: 'bob@example.com' }), [])
  t.same(await groupsOf(scim, { id: cas.id, userName: 'cas@example.com' }), [])
})

t.test('another tenant\'s groups never show', async t => {
  const other = scimClient(app, 'other', await tenant('other'))
  const dan = await other.createUser('dan@example.com')
  await scim.createGroup('Clinic only')
  await other.createGroup('Other staff', [dan.id])
  t.same(await groupsOf(other, { id: dan.id, userName: 'dan@example.com' }), [['Other staff', 'direct']])
})

t.test('every stored part equals the part written afresh', async t => {
  // After all the changes above: writing each part again (what the triggers do on a change) changes nothing.
  const sql = reader(runtime.database.orm)
  const stored = async () => await sql.query<{ id: string, row: string, groups: string | null }>(
    'select m.id, m.user_row::text as row, ug.groups::text as groups from membership m left join user_groups ug on ug.member_id = m.id order by m.id')
  const before = await stored()
  await sql.query('update membership set user_row = null')
  await sql.query('delete from user_groups')
  await sql.query('select user_groups_refresh(tenant_id, id) from membership')
  t.ok(before.length >= 4)
  t.ok(before.some(user => user.groups !== null), 'some users are in groups')
  t.same(await stored(), before)
})
