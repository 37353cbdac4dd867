// Delegated administration (issue #5): permissions, the last user administrator, quotas, audit rows,
// group grants, accounts in several tenants.
import t from 'tap'
import { activate, bearer, createByOperator, login, startLifecycleApp, tenantWithAdministrator } from '../helpers/accounts.js'

const ctx = await startLifecycleApp(t)
const { app, runtime } = ctx
const { adminId, adminEmail, scimToken, ...first } = await tenantWithAdministrator(ctx, 'practice')
let adminToken = first.adminToken
const api = '/api/v1/tenants/practice'
// Reassigned when the administrator signs in again (after being deactivated and reactivated).
let asAdmin = bearer(adminToken)

async function newMember (email: string, roles: string[], token = adminToken) {
  const response = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(token), payload: { email, givenName: 'Test', familyName: email.split('@')[0], roles } })
  return response
}

/** An activated, signed-in member with these roles. */
async function signedInMember (email: string, roles: string[]) {
  const created = await newMember(email, roles)
  const [mail] = await ctx.mailsTo(email)
  await activate(app, mail!)
  return { id: created.json().id as string, token: (await login(app, 'practice', email)).token! }
}

t.test('permissions: a front-desk user cannot create accounts or read the audit log', async t => {
  const frontDesk = await signedInMember('desk@practice.test', ['front-desk'])
  const create = await newMember('someone@practice.test', ['patient'], frontDesk.token)
  t.equal(create.statusCode, 403)
  t.match(create.json().message, /accounts\.write/)
  t.equal((await app.inject({ method: 'GET', url: `${api}/audit`, headers: bearer(frontDesk.token) })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts` })).statusCode, 401, 'no session, no admin API')
  await ctx.tenant('elsewhere')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/tenants/elsewhere/accounts', headers: asAdmin })).statusCode, 403, 'a session of one tenant is no good on another')
})

t.test('a user administrator hands on user administration, but cannot grant owner', async t => {
  const colleague = await signedInMember('cover@practice.test', ['practitioner'])
  const owner = await app.inject({ method: 'PATCH', url: `${api}/accounts/${colleague.id}`, headers: asAdmin, payload: { roles: ['practitioner', 'owner'] } })
  t.equal(owner.statusCode, 403)
  t.match(owner.json().message, /owner.*(tenant\.manage|idps\.manage|roles\.manage)/)
  const cover = await app.inject({ method: 'PATCH', url: `${api}/accounts/${colleague.id}`, headers: asAdmin, payload: { roles: ['practitioner', 'user-admin'] } })
  t.equal(cover.statusCode, 200, cover.body)
  t.same(cover.json().roles, ['practitioner', 'user-admin'])
  const now = await app.inject({ method: 'GET', url: `${api}/accounts?role=user-admin`, headers: bearer(colleague.token) })
  t.equal(now.statusCode, 200, 'the new role counts from the next request, in the same session')
  t.equal(now.json().total, 2)
  const unknown = await app.inject({ method: 'PATCH', url: `${api}/accounts/${colleague.id}`, headers: asAdmin, payload: { roles: ['wizard'] } })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json().message, /Unknown role/)
  const email = await app.inject({ method: 'PATCH', url: `${api}/accounts/${colleague.id}`, headers: asAdmin, payload: { email: 'new@practice.test' } })
  t.equal(email.statusCode, 400, 'the email never changes')
  // Back to one administrator for the next test.
  await app.inject({ method: 'PATCH', url: `${api}/accounts/${colleague.id}`, headers: asAdmin, payload: { roles: ['practitioner'] } })
})

t.test('the last active user administrator cannot be removed, from any side', async t => {
  const drop = await app.inject({ method: 'PATCH', url: `${api}/accounts/${adminId}`, headers: asAdmin, payload: { roles: ['practitioner'] } })
  t.equal(drop.statusCode, 409)
  t.match(drop.json().message, /last active user administrator/)
  const scim = await app.inject({
    method: 'PATCH', url: `/scim/v2/practice/Users/${adminId}`, headers: { ...bearer(scimToken), 'content-type': 'application/scim+json' },
    payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }
  })
  t.equal(scim.statusCode, 409, 'nor by the identity provider')
  t.equal((await app.inject({ method: 'DELETE', url: `/scim/v2/practice/Users/${adminId}`, headers: bearer(scimToken) })).statusCode, 409)
  const other = await signedInMember('second-admin@practice.test', ['user-admin'])
  const deactivate = await app.inject({ method: 'POST', url: `${api}/accounts/${adminId}/deactivate`, headers: bearer(other.token) })
  t.equal(deactivate.statusCode, 200, 'with another active administrator it is fine')
  t.equal((await app.inject({ method: 'POST', url: `${api}/accounts/${adminId}/reactivate`, headers: bearer(other.token) })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts`, headers: asAdmin })).statusCode, 401, 'the deactivated session stays ended')
  // The activation mail comes among the notifications the administrator receives.
  const activation = (await ctx.mailsTo(adminEmail)).find(m => /\/activate\?token=/.test(m.text ?? ''))
  t.ok(activation, 'reactivated: a new activation mail')
  t.equal(await activate(app, activation!), 204)
  adminToken = (await login(app, 'practice', adminEmail)).token!
  asAdmin = bearer(adminToken)
})

t.test('groups carry roles: members hold them at once and lose them at once', async t => {
  const member = await signedInMember('grouped@practice.test', ['patient'])
  const scim = { ...bearer(scimToken), 'content-type': 'application/scim+json' }
  const group = await app.inject({ method: 'POST', url: '/scim/v2/practice/Groups', headers: scim, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Planning', members: [{ value: member.id }] } })
  const groupId = group.json().id as string
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts`, headers: bearer(member.token) })).statusCode, 403)
  const grant = await app.inject({ method: 'PUT', url: `${api}/groups/${groupId}/grants`, headers: asAdmin, payload: { roles: ['admin-staff'], features: ['reports'] } })
  t.equal(grant.statusCode, 204, grant.body)
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts`, headers: bearer(member.token) })).statusCode, 200, 'granted through the group')
  const row = await app.inject({ method: 'GET', url: `${api}/accounts?search=grouped`, headers: asAdmin })
  t.match(row.json().items[0], { roles: ['admin-staff', 'patient'], features: ['reports'] })
  await app.inject({
    method: 'PATCH', url: `/scim/v2/practice/Groups/${groupId}`, headers: scim,
    payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: `members[value eq "${member.id}"]` }] }
  })
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts`, headers: bearer(member.token) })).statusCode, 403, 'removed from the group: the right is gone')
  const audited = (await app.inject({ method: 'GET', url: `${api}/audit?targetId=${groupId}`, headers: asAdmin })).json().items
  t.same(audited.map((e: { action: string }) => e.action), ['group.members-changed', 'group.grants-changed', 'group.created'], 'SCIM group changes are audited too')
  t.same(audited[0].changes, { members: { added: [], removed: [member.id] } })
  t.match(audited[0], { source: 'scim', actor: { type: 'scim-token' } })
  const owner = await app.inject({ method: 'PUT', url: `${api}/groups/${groupId}/grants`, headers: asAdmin, payload: { roles: ['owner'], features: [] } })
  t.equal(owner.statusCode, 403, 'no granting through a group what one may not grant directly')
})

t.test('the last user administrator through a group cannot be removed through the group either', async t => {
  const clinic = await tenantWithAdministrator(ctx, 'guarded')
  const clinicApi = '/api/v1/tenants/guarded'
  const scim = { ...bearer(clinic.scimToken), 'content-type': 'application/scim+json' }
  const patchOp = (Operations: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations })
  // A second user administrator, through a group nested in the group that grants the role.
  const created = await app.inject({ method: 'POST', url: `${clinicApi}/accounts`, headers: bearer(clinic.adminToken), payload: { email: 'head@guarded.test', givenName: 'Hanna', familyName: 'Head', roles: ['practitioner'] } })
  const headId = created.json().id as string
  t.equal(await activate(app, (await ctx.mailsTo('head@guarded.test'))[0]!), 204)
  const head = bearer((await login(app, 'guarded', 'head@guarded.test')).token!)
  const group = async (displayName: string, members: string[]) => (await app.inject({
    method: 'POST', url: '/scim/v2/guarded/Groups', headers: scim,
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, members: members.map(value => ({ value })) }
  })).json().id as string
  const team = await group('Management team', [headId])
  const administrators = await group('Administrators', [team])
  t.equal((await app.inject({ method: 'PUT', url: `${clinicApi}/groups/${administrators}/grants`, headers: bearer(clinic.adminToken), payload: { roles: ['user-admin'], features: [] } })).statusCode, 204)
  // The first administrator steps down: the head is now the only one, through two groups.
  const stepDown = await app.inject({ method: 'PATCH', url: `${clinicApi}/accounts/${clinic.adminId}`, headers: bearer(clinic.adminToken), payload: { roles: ['practitioner'] } })
  t.equal(stepDown.statusCode, 200, stepDown.body)

  const teamVersion = (await app.inject({ method: 'GET', url: `/scim/v2/guarded/Groups/${team}`, headers: scim })).headers.etag as string
  const refusals = {
    'removing the head from the nested group': await app.inject({ method: 'PATCH', url: `/scim/v2/guarded/Groups/${team}`, headers: scim, payload: patchOp([{ op: 'remove', path: `members[value eq "${headId}"]` }]) }),
    'the same with If-Match': await app.inject({ method: 'PATCH', url: `/scim/v2/guarded/Groups/${team}`, headers: { ...scim, 'if-match': teamVersion }, payload: patchOp([{ op: 'remove', path: `members[value eq "${headId}"]` }]) }),
    'removing the nested group from the granting one': await app.inject({ method: 'PATCH', url: `/scim/v2/guarded/Groups/${administrators}`, headers: scim, payload: patchOp([{ op: 'remove', path: 'members' }]) }),
    'replacing the granting group\'s members': await app.inject({ method: 'PUT', url: `/scim/v2/guarded/Groups/${administrators}`, headers: scim, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Administrators', members: [] } }),
    'deleting the nested group': await app.inject({ method: 'DELETE', url: `/scim/v2/guarded/Groups/${team}`, headers: scim }),
    'taking the role from the group\'s grants': await app.inject({ method: 'PUT', url: `${clinicApi}/groups/${administrators}/grants`, headers: head, payload: { roles: [], features: [] } })
  }
  for (const [change, response] of Object.entries(refusals)) {
    t.equal(response.statusCode, 409, change)
    t.match(response.body, /without an active user administrator/, change)
  }
  const members = async (id: string) => (await app.inject({ method: 'GET', url: `/scim/v2/guarded/Groups/${id}`, headers: scim })).json().members?.map((m: { value: string }) => m.value)
  t.same(await members(team), [headId], 'nothing was changed')
  t.same(await members(administrators), [team], 'nothing was changed')
  t.equal((await app.inject({ method: 'GET', url: `${clinicApi}/accounts`, headers: head })).statusCode, 200, 'the head still administers')

  // With the first administrator back, the same removal goes through.
  t.equal((await app.inject({ method: 'PATCH', url: `${clinicApi}/accounts/${clinic.adminId}`, headers: head, payload: { roles: ['user-admin'] } })).statusCode, 200)
  const removed = await app.inject({ method: 'PATCH', url: `/scim/v2/guarded/Groups/${team}`, headers: scim, payload: patchOp([{ op: 'remove', path: `members[value eq "${headId}"]` }]) })
  t.equal(removed.statusCode, 204, removed.body)
  t.same(await members(team), undefined, 'removed')
  const [audited] = (await app.inject({ method: 'GET', url: `${clinicApi}/audit?targetId=${team}`, headers: bearer(clinic.adminToken) })).json().items
  t.same(audited.changes, { members: { added: [], removed: [headId] } }, 'the audit row names the member removed, as on the one-statement path')
  const replace = async (memberIds: string[]) => await app.inject({
    method: 'PUT', url: `/scim/v2/guarded/Groups/${team}`, headers: scim,
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Management team', members: memberIds.map(value => ({ value })) }
  })
  t.equal((await replace([clinic.adminId])).statusCode, 200)
  t.equal((await replace([clinic.adminId, headId])).statusCode, 200)
  const [replaced] = (await app.inject({ method: 'GET', url: `${clinicApi}/audit?targetId=${team}`, headers: bearer(clinic.adminToken) })).json().items
  t.same(replaced.changes, { members: { added: [headId], removed: [] } }, 'a PUT that keeps a member does not list it as removed and added')
})

t.test('an account in several tenants: attached, not duplicated; personal data shared', async t => {
  const other = await tenantWithAdministrator(ctx, 'hospital')
  const check = await app.inject({ method: 'POST', url: '/api/v1/tenants/hospital/accounts/check-email', headers: bearer(other.adminToken), payload: { email: 'desk@practice.test' } })
  t.same(check.json(), { email: 'desk@practice.test', status: 'exists' })
  const invalid = await app.inject({ method: 'POST', url: '/api/v1/tenants/hospital/accounts/check-email', headers: bearer(other.adminToken), payload: { email: 'not-an-email' } })
  t.equal(invalid.statusCode, 400)
  const attached = await app.inject({ method: 'POST', url: '/api/v1/tenants/hospital/accounts', headers: bearer(other.adminToken), payload: { email: 'desk@practice.test', givenName: 'Other', familyName: 'Name', roles: ['planner'] } })
  t.equal(attached.statusCode, 201)
  t.match(attached.json(), { givenName: 'Test', familyName: 'desk', status: 'created' }, "the account's own personal data, not a copy")
  const again = await app.inject({ method: 'POST', url: '/api/v1/tenants/hospital/accounts', headers: bearer(other.adminToken), payload: { email: 'desk@practice.test', givenName: 'A', familyName: 'B', roles: ['planner'] } })
  t.equal(again.statusCode, 409)
  const inPractice = (await app.inject({ method: 'GET', url: `${api}/accounts?search=desk@practice.test`, headers: asAdmin })).json().items[0]
  await app.inject({ method: 'PATCH', url: `/api/v1/tenants/hospital/accounts/${attached.json().id as string}`, headers: bearer(other.adminToken), payload: { familyName: 'Desk-Renamed' } })
  const renamed = await app.inject({ method: 'GET', url: `${api}/accounts/${inPractice.id as string}`, headers: asAdmin })
  t.equal(renamed.json().familyName, 'Desk-Renamed', 'an edit in one tenant shows in the other')
  t.equal(renamed.json().status, 'active', 'each tenant has its own status')
  const hidden = await app.inject({ method: 'GET', url: `/api/v1/tenants/hospital/accounts/${adminId}`, headers: bearer(other.adminToken) })
  t.equal(hidden.statusCode, 404, "another tenant's member stays invisible")
})

t.test('daily quotas: 429 with Retry-After past the limit, for the admin API and SCIM, audited', async t => {
  const tenant = (await runtime.tenants.findBySlug('practice'))!
  const used = (await app.inject({ method: 'GET', url: `${api}/audit?action=user.created&limit=1000`, headers: asAdmin })).json().items.length
  await runtime.tenants.configure('practice', { ...tenant.settings, quotas: { create: used + 1 } })
  t.equal((await newMember('within@practice.test', ['patient'])).statusCode, 201)
  const over = await newMember('over@practice.test', ['patient'])
  t.equal(over.statusCode, 429)
  t.match(over.json().message, /daily quota of \d+ "create"/)
  const retryAfter = Number(over.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 86400, 'Retry-After: seconds until the next UTC day')
  const scim = await app.inject({
    method: 'POST', url: '/scim/v2/practice/Users', headers: { ...bearer(scimToken), 'content-type': 'application/scim+json' },
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'over-scim@practice.test' }
  })
  t.equal(scim.statusCode, 429, 'SCIM writes count too')
  t.equal(scim.json().status, '429')
  t.ok(scim.headers['retry-after'])
  const emails = (await app.inject({ method: 'GET', url: `${api}/accounts?limit=500`, headers: asAdmin })).json().items.map((i: { email: string }) => i.email)
  t.notOk(emails.includes('over@practice.test') || emails.includes('over-scim@practice.test'), 'nothing was created')
  const audited = await app.inject({ method: 'GET', url: `${api}/audit?action=quota.exceeded`, headers: asAdmin })
  t.equal(audited.json().items.length, 2)
  t.same(new Set(audited.json().items.map((e: { source: string }) => e.source)), new Set(['admin', 'scim']))
  await runtime.tenants.configure('practice', tenant.settings)
})

t.test('the audit log: a row per change with actor, source, request id; no secrets; NDJSON export', async t => {
  const scimUser = await app.inject({
    method: 'POST', url: '/scim/v2/practice/Users', headers: { ...bearer(scimToken), 'content-type': 'application/scim+json' },
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'audited@practice.test' }
  })
  t.equal(scimUser.statusCode, 201)
  const events = (await app.inject({ method: 'GET', url: `${api}/audit?limit=1000`, headers: asAdmin })).json().items as Array<Record<string, any>>
  const actions = new Set(events.map(e => e.action))
  for (const action of ['user.created', 'user.activated', 'user.updated', 'user.deactivated', 'user.reactivated', 'session.created', 'group.grants-changed']) {
    t.ok(actions.has(action), `${action} is audited`)
  }
  const deactivation = events.find(e => e.action === 'user.deactivated' && e.source === 'admin')!
  t.match(deactivation, { actor: { type: 'account' }, target: { type: 'user' }, changes: { active: { from: true, to: false } } })
  t.match(deactivation.requestId, /^[0-9a-f-]{36}$/)
  t.ok(deactivation.clientIp)
  const activation = events.find(e => e.action === 'user.activated')!
  t.same(activation.changes.password, { changed: true }, 'a password change is recorded without its value')
  t.notMatch(JSON.stringify(events), /correct horse|scrypt\$/, 'no password or hash anywhere in the log')
  const scimCreate = events.find(e => e.action === 'user.created' && e.source === 'scim')
  t.match(scimCreate, { actor: { type: 'scim-token' } })

  const page = await app.inject({ method: 'GET', url: `${api}/audit?limit=2`, headers: asAdmin })
  const next = await app.inject({ method: 'GET', url: `${api}/audit?limit=2&before=${page.json().nextBefore as number}`, headers: asAdmin })
  t.ok(next.json().items[0].id < page.json().items[1].id + 1, 'keyset paging goes back in time')
  const exported = await app.inject({ method: 'GET', url: `${api}/audit/export?source=admin`, headers: asAdmin })
  t.match(exported.headers['content-type'], /^application\/x-ndjson/)
  const lines = exported.body.trim().split('\n').map(line => JSON.parse(line))
  t.equal(lines.length, events.filter(e => e.source === 'admin').length)
  t.ok(lines.every(line => line.source === 'admin'))

  const tamper = runtime.database.orm.em.fork().getConnection().execute('update audit_event set action = \'x\'')
  await t.rejects(tamper, /append-only/, 'the table refuses updates')
})

t.test('the accounts table: search, filter, sort, page', async t => {
  const all = await app.inject({ method: 'GET', url: `${api}/accounts?limit=500`, headers: asAdmin })
  const total = all.json().total as number
  t.equal(all.json().items.length, total)
  const page = await app.inject({ method: 'GET', url: `${api}/accounts?limit=2&offset=1&sort=email`, headers: asAdmin })
  const emails = all.json().items.map((i: { email: string }) => i.email).sort((a: string, b: string) => a.localeCompare(b))
  t.same(page.json().items.map((i: { email: string }) => i.email), emails.slice(1, 3))
  const inactive = await app.inject({ method: 'GET', url: `${api}/accounts?status=created`, headers: asAdmin })
  t.ok(inactive.json().items.every((i: { status: string }) => i.status === 'created'))
  const byId = await app.inject({ method: 'GET', url: `${api}/accounts?search=${adminId}`, headers: asAdmin })
  t.equal(byId.json().items[0].id, adminId)
  const bad = await app.inject({ method: 'GET', url: `${api}/accounts?sort=password`, headers: asAdmin })
  t.equal(bad.statusCode, 400)
})

t.test('a SCIM-created member whose address another account holds joins that account on activation', async t => {
  const created = await app.inject({
    method: 'POST', url: '/scim/v2/hospital/Users', headers: { ...bearer((await runtime.tenants.rotateToken('hospital')).token), 'content-type': 'application/scim+json' },
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'grouped-hospital', emails: [{ value: 'grouped@practice.test', primary: true }], phoneNumbers: [{ value: '+31 20 555 0101' }] }
  })
  t.equal(created.statusCode, 201)
  const [mail] = await ctx.mailsTo('grouped@practice.test')
  t.ok(mail, 'the activation goes to the address the IdP sent')
  t.equal(await activate(app, mail!, 'joined accounts passphrase'), 204)
  t.equal((await login(app, 'practice', 'grouped@practice.test', 'joined accounts passphrase')).status, 200, 'one account, one password')
  t.equal((await login(app, 'hospital', 'grouped@practice.test', 'joined accounts passphrase')).status, 200, 'now a member of both')
})

t.test('the operator bootstrap refuses bad input clearly', async t => {
  await t.rejects(createByOperator(runtime, 'practice', 'x@practice.test', ['nope']), /Unknown role/)
  await t.rejects(createByOperator(runtime, 'practice', 'not-an-email', ['patient']), /not a valid email/)
})

t.test('org units: access to a unit covers its sub-units; the role catalogue is the tenant\'s own', async t => {
  await createByOperator(runtime, 'practice', 'owner@practice.test', ['owner'])
  const [ownerMail] = (await ctx.mailsTo('owner@practice.test'))
  await activate(app, ownerMail!)
  const asOwner = bearer((await login(app, 'practice', 'owner@practice.test')).token!)

  const unit = async (name: string, parentId?: string) => (await app.inject({ method: 'POST', url: `${api}/org-units`, headers: asOwner, payload: { name, ...(parentId === undefined ? {} : { parentId }) } })).json().id as string
  const cardiology = await unit('Cardiology')
  const ward = await unit('Ward 3', cardiology)
  const surgery = await unit('Surgery')
  t.equal((await app.inject({ method: 'POST', url: `${api}/org-units`, headers: asAdmin, payload: { name: 'x' } })).statusCode, 403, 'the org structure is the owner\'s (tenant.manage)')
  t.equal((await app.inject({ method: 'POST', url: `${api}/org-units`, headers: asOwner, payload: { name: 'x', parentId: adminId } })).statusCode, 400, 'a parent must be a unit of the tenant')

  const place = async (email: string, orgUnits: string[], roles = ['practitioner']) => await app.inject({ method: 'POST', url: `${api}/accounts`, headers: asOwner, payload: { email, givenName: 'U', familyName: email, roles, orgUnits } })
  t.equal((await place('ward@practice.test', [ward])).statusCode, 201)
  const surgeon = (await place('surgeon@practice.test', [surgery])).json().id as string
  const unitAdmin = await place('unit-admin@practice.test', [cardiology], ['user-admin'])
  const [mail] = await ctx.mailsTo('unit-admin@practice.test')
  await activate(app, mail!)
  const asUnitAdmin = bearer((await login(app, 'practice', 'unit-admin@practice.test')).token!)
  t.equal(unitAdmin.statusCode, 201)

  const seen = (await app.inject({ method: 'GET', url: `${api}/accounts`, headers: asUnitAdmin })).json().items.map((i: { email: string }) => i.email).sort()
  t.same(seen, ['unit-admin@practice.test', 'ward@practice.test'], 'the unit and its sub-unit, nothing else')
  t.equal((await app.inject({ method: 'GET', url: `${api}/accounts/${surgeon}`, headers: asUnitAdmin })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `${api}/accounts/${surgeon}/deactivate`, headers: asUnitAdmin })).statusCode, 404)
  const outside = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: asUnitAdmin, payload: { email: 'new@practice.test', givenName: 'N', familyName: 'N', roles: ['planner'], orgUnits: [surgery] } })
  t.equal(outside.statusCode, 403)
  const byUnit = await app.inject({ method: 'GET', url: `${api}/accounts?orgUnit=${cardiology}`, headers: asOwner })
  t.equal(byUnit.json().total, 2)

  const nurse = await app.inject({ method: 'PUT', url: `${api}/roles/nurse`, headers: asOwner, payload: { displayName: 'Nurse', permissions: ['records.read'] } })
  t.equal(nurse.statusCode, 204, nurse.body)
  const roles = (await app.inject({ method: 'GET', url: `${api}/roles`, headers: asAdmin })).json()
  t.ok(roles.roles.some((r: { key: string }) => r.key === 'nurse'))
  t.ok(roles.features.includes('e-consultation'))
  t.equal((await app.inject({ method: 'PUT', url: `${api}/roles/boss`, headers: asAdmin, payload: { displayName: 'Boss', permissions: ['tenant.manage'] } })).statusCode, 403)
  await app.inject({ method: 'PATCH', url: `${api}/accounts/${surgeon}`, headers: asOwner, payload: { roles: ['nurse'] } })
  t.equal((await app.inject({ method: 'DELETE', url: `${api}/roles/nurse`, headers: asOwner })).statusCode, 409, 'a role still held stays')
  const [notice] = (await ctx.mailsTo(adminEmail)).filter(m => /nurse/.test(m.text ?? ''))
  t.ok(notice, 'user administrators hear of catalogue changes')
})
