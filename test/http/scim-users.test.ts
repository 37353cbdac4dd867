import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { ENTERPRISE_SCHEMA, ERROR_SCHEMA, scimClient, USER_SCHEMA } from '../helpers/scim-client.js'

const barbara = {
  schemas: [USER_SCHEMA],
  userName: 'bjensen@example.com',
  externalId: 'entra-0001',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen III' },
  displayName: 'Babs Jensen',
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  title: 'Tour Guide',
  active: true
}

t.test('User resource lifecycle (RFC 7644 §3.3–3.6)', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))

  const created = await scim.post('/Users', { ...barbara, id: 'client-chosen', password: 't1meMachine!', meta: { version: 'W/"x"' } })
  t.equal(created.status, 201)
  const user = created.body
  t.match(user.id, /^[0-9a-f-]{36}$/, 'id assigned by the server, the client id ignored')
  t.equal(created.headers.location, `http://carescim.test/scim/v2/clinic/Users/${user.id}`)
  t.equal(created.headers.etag, user.meta.version)
  t.match(created.headers['content-type'], /^application\/scim\+json/)
  t.match(user, {
    schemas: [USER_SCHEMA],
    userName: 'bjensen@example.com',
    externalId: 'entra-0001',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    active: true,
    meta: { resourceType: 'User', location: created.headers.location, version: /^W\/".+"$/ }
  })
  t.ok(Date.parse(user.meta.created) > 0 && user.meta.created === user.meta.lastModified, 'meta.created and lastModified')
  t.notOk('password' in user, 'password never returned (returned: never)')

  const fetched = await scim.get(`/Users/${user.id}`)
  t.equal(fetched.status, 200)
  t.same(fetched.body, user, 'GET returns what POST returned')

  const replaced = await scim.put(`/Users/${user.id}`, { ...barbara, displayName: 'Barbara Jensen', title: undefined, meta: { created: '2000-01-01T00:00:00Z' } })
  t.equal(replaced.status, 200)
  t.equal(replaced.body.displayName, 'Barbara Jensen')
  t.notOk('title' in replaced.body, 'PUT replaces: an omitted attribute is cleared')
  t.equal(replaced.body.meta.created, user.meta.created, 'readOnly meta ignored on PUT')
  t.not(replaced.body.meta.version, user.meta.version, 'version changes')
  t.ok(replaced.body.meta.lastModified >= user.meta.lastModified)

  const patched = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'name.givenName', value: 'Barb' }])
  t.equal(patched.status, 200)
  t.equal(patched.body.name.givenName, 'Barb')
  t.equal(patched.body.name.familyName, 'Jensen')

  const deleted = await scim.delete(`/Users/${user.id}`)
  t.equal(deleted.status, 204)
  t.equal(deleted.body, undefined)
  const gone = await scim.get(`/Users/${user.id}`)
  t.equal(gone.status, 404)
  t.same(gone.body, { schemas: [ERROR_SCHEMA], status: '404', detail: `User ${user.id} not found` })
  t.equal((await scim.delete(`/Users/${user.id}`)).status, 404, 'a second DELETE is 404')
  t.equal((await scim.get('/Users/not-a-uuid')).status, 404, 'an id that is no uuid is simply not found')
})

t.test('attribute rules from the schemas', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  await scim.createUser('taken@example.com')

  const cases: Array<[string, unknown, number, string | undefined, RegExp]> = [
    ['duplicate userName, other case', { schemas: [USER_SCHEMA], userName: 'TAKEN@example.com' }, 409, 'uniqueness', /userName "TAKEN@example.com" is already in use/],
    ['missing userName', { schemas: [USER_SCHEMA], displayName: 'x' }, 400, 'invalidValue', /userName/],
    ['wrong type', { schemas: [USER_SCHEMA], userName: 'a@x.org', active: 'maybe' }, 400, 'invalidValue', /active/],
    ['unknown attribute', { schemas: [USER_SCHEMA], userName: 'b@x.org', favouriteColour: 'blue' }, 400, 'invalidSyntax', /favouriteColour/],
    ['unknown schema', { schemas: [USER_SCHEMA, 'urn:example:nope'], userName: 'c@x.org' }, 400, 'invalidSyntax', /urn:example:nope/],
    ['no schemas', { userName: 'd@x.org' }, 400, 'invalidSyntax', /schemas/],
    ['two primary emails', { schemas: [USER_SCHEMA], userName: 'e@x.org', emails: [{ value: 'a@x.org', primary: true }, { value: 'b@x.org', primary: true }] }, 400, 'invalidValue', /primary/]
  ]
  for (const [label, body, status, scimType, detail] of cases) {
    const response = await scim.post('/Users', body)
    t.equal(response.status, status, label)
    t.equal(response.body.scimType, scimType, `${label}: scimType`)
    t.match(response.body.detail, detail, `${label}: detail`)
    t.equal(response.body.status, String(status), `${label}: status as a string`)
  }

  const malformed = await scim.request('POST', '/Users', '{"schemas": [')
  t.equal(malformed.status, 400)
  t.same(malformed.body, { schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax', detail: 'The request body is not valid JSON.' })

  const caseInsensitive = await scim.post('/Users', { SCHEMAS: [USER_SCHEMA], USERNAME: 'case@x.org', Name: { GivenName: 'C' } })
  t.equal(caseInsensitive.status, 201, 'attribute names are case-insensitive (RFC 7643 §2.1)')
  t.equal(caseInsensitive.body.userName, 'case@x.org')
  t.same(caseInsensitive.body.name, { givenName: 'C' })

  const nullValues = await scim.post('/Users', { schemas: [USER_SCHEMA], userName: 'nulls@x.org', displayName: null, emails: [] })
  t.equal(nullValues.status, 201, 'null and [] mean unassigned (RFC 7643 §2.5)')
  t.notOk('displayName' in nullValues.body)
})

t.test('enterprise extension: manager is a User of the same tenant', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const other = scimClient(app, 'other', await tenant('other'))
  const boss = await scim.createUser('boss@example.com')
  const stranger = await other.createUser('stranger@example.com')

  const employee = await scim.post('/Users', {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    userName: 'employee@example.com',
    [ENTERPRISE_SCHEMA]: { employeeNumber: '701984', department: 'Cardiology', manager: { value: boss.id } }
  })
  t.equal(employee.status, 201)
  t.match(employee.body[ENTERPRISE_SCHEMA], { employeeNumber: '701984', department: 'Cardiology', manager: { value: boss.id } })
  t.ok(employee.body.schemas.includes(ENTERPRISE_SCHEMA))

  const foreign = await scim.patch(`/Users/${employee.body.id}`, [{ op: 'replace', path: `${ENTERPRISE_SCHEMA}:manager`, value: { value: stranger.id } }])
  t.equal(foreign.status, 400, "another tenant's user cannot be the manager")
  t.match(foreign.body.detail, `manager.value "${stranger.id}" is not a User of this tenant`)
  const after = await scim.get(`/Users/${employee.body.id}`)
  t.equal(after.body[ENTERPRISE_SCHEMA].manager.value, boss.id, 'the failed PATCH changed nothing')
  t.equal(after.body.meta.version, employee.body.meta.version)
})

t.test('tenants never see each other’s users', async t => {
  const { app, tenant } = await startTestApp(t)
  const a = scimClient(app, 'tenant-a', await tenant('tenant-a'))
  const b = scimClient(app, 'tenant-b', await tenant('tenant-b'))
  const alice = await a.createUser('alice@example.com', { emails: [{ value: 'alice@example.com', primary: true }] })

  t.equal((await b.get(`/Users/${alice.id}`)).status, 404)
  t.equal((await b.put(`/Users/${alice.id}`, { schemas: [USER_SCHEMA], userName: 'hijack' })).status, 404)
  t.equal((await b.patch(`/Users/${alice.id}`, [{ op: 'replace', path: 'displayName', value: 'x' }])).status, 404)
  t.equal((await b.delete(`/Users/${alice.id}`)).status, 404)
  const listed = await b.get('/Users')
  t.equal(listed.body.totalResults, 0)
  t.equal((await a.get(`/Users/${alice.id}`)).status, 200, 'still there for its own tenant')
  t.equal((await b.post('/Users', { schemas: [USER_SCHEMA], userName: 'alice@example.com' })).status, 201, 'userName is unique per tenant, not globally')
})

t.test('an IdP-sent email links nothing: no personal data crosses tenants', async t => {
  const { app, tenant } = await startTestApp(t)
  const a = scimClient(app, 'hospital', await tenant('hospital'))
  const b = scimClient(app, 'clinic', await tenant('clinic'))
  const email = 'dr.smit@example.nl'
  const inA = await a.createUser('dsmit', {
    emails: [{ value: email, type: 'work', primary: true }],
    name: { familyName: 'Smit' },
    phoneNumbers: [{ value: '+31 6 1234 5678', type: 'mobile' }],
    addresses: [{ streetAddress: 'Dorpsstraat 1', locality: 'Utrecht', type: 'home' }]
  })
  const inB = await b.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'd.smit@clinic', emails: [{ value: email.toUpperCase(), primary: true }], name: { givenName: 'Mallory' } })
  t.equal(inB.status, 201)
  t.notOk('phoneNumbers' in inB.body, "another tenant's phone number is not revealed")
  t.notOk('addresses' in inB.body, "another tenant's address is not revealed")
  t.same(inB.body.name, { givenName: 'Mallory' })
  const stillA = (await a.get(`/Users/${inA.id}`)).body
  t.same(stillA.name, { familyName: 'Smit' }, "the other tenant's data is not overwritten")

  // The same primary email twice in one tenant is allowed: emails are not unique (RFC 7643 §4.1.2).
  const twin = await a.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'dsmit-2', emails: [{ value: email, primary: true }] })
  t.equal(twin.status, 201)
})

t.test('/Me needs a person’s session: the IdP\'s SCIM token is not one (401); writes are not offered (501)', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const response = await scim.get('/Me')
  t.equal(response.status, 401)
  t.equal(response.body.schemas[0], ERROR_SCHEMA)
  t.match(response.body.detail, /session/)
  const patch = await scim.patch('/Me', [{ op: 'replace', path: 'title', value: 'x' }])
  t.equal(patch.status, 501)
})

t.test('Entra ID shapes on POST and PUT; passwords written, never returned', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const boss = await scim.createUser('boss@example.com')

  // Microsoft's AppRoleAssignmentsComplex mapping and a bare-id manager.
  const created = await scim.post('/Users', {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    userName: 'roles@example.com',
    roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin', value: 'Admin' }],
    [ENTERPRISE_SCHEMA]: { manager: boss.id },
    password: 'first-Secret-1'
  })
  t.equal(created.status, 201)
  t.same(created.body.roles, [{ value: 'Admin', display: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: false }], 'displayName read as display')
  t.same(created.body[ENTERPRISE_SCHEMA].manager, { value: boss.id })

  const replaced = await scim.put(`/Users/${created.body.id}`, { schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA], userName: 'roles@example.com', [ENTERPRISE_SCHEMA]: { manager: boss.id } })
  t.equal(replaced.status, 200)
  t.same(replaced.body[ENTERPRISE_SCHEMA].manager, { value: boss.id })

  const password = await scim.patch(`/Users/${created.body.id}`, [{ op: 'replace', path: 'password', value: 'second-Secret-2' }])
  t.equal(password.status, 200, 'changePassword is supported (ServiceProviderConfig says so)')
  t.notOk('password' in password.body)
  t.not(password.body.meta.version, replaced.body.meta.version, 'a password change is a change')
})
