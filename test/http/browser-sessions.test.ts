// What the console relies on, through the app without a browser (issue #7): cookie sessions and CSRF,
// field-level errors, the healthcare identifiers in the admin API, provider edits, group members, page languages.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { CLI_CONTEXT } from '../../src/domain/lifecycle/change-context.js'
import { bearer, login, PASSWORD, startLifecycleApp, tenantWithAdministrator } from '../helpers/accounts.js'

const ctx = await startLifecycleApp(t, { PUBLIC_URL: 'https://carescim.test' })
const { app, runtime } = ctx
const administrator = await tenantWithAdministrator(ctx, 'clinic')
const { scimToken } = administrator
let { adminToken } = administrator
const api = '/api/v1/tenants/clinic'

/** What a browser holds after opening a console page: the CSRF cookie and the page's token. */
async function openPage (app: FastifyInstance, url = '/console/clinic/sign-in') {
  const page = await app.inject({ method: 'GET', url })
  const token = page.body.match(/<meta name="csrf-token" content="([^"]+)">/)![1]!
  const cookies = page.cookies.map(c => `${c.name}=${c.value}`)
  return { page, token, cookies }
}

t.test('a browser signs in with the page\'s CSRF token; the session cookie is HttpOnly, SameSite=Lax, Secure under https', async t => {
  const { page, token, cookies } = await openPage(app)
  t.match(page.headers['content-security-policy'], /default-src 'none';script-src 'self';style-src 'self'/)
  t.equal(page.headers['cache-control'], 'no-store')
  const body = { tenant: 'clinic', email: 'admin@clinic.test', password: PASSWORD }
  t.equal((await app.inject({ method: 'POST', url: '/auth/session', payload: body })).statusCode, 403, 'no token, no session (login CSRF)')
  t.equal((await app.inject({ method: 'POST', url: '/auth/session', payload: body, headers: { cookie: cookies.join('; '), 'x-csrf-token': 'forged' } })).statusCode, 403)
  const signedIn = await app.inject({ method: 'POST', url: '/auth/session', payload: body, headers: { cookie: cookies.join('; '), 'x-csrf-token': token } })
  t.equal(signedIn.statusCode, 204)
  const session = signedIn.cookies.find(c => c.name === 'carescim_session')!
  t.match(session, { httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
  const jar = [...cookies, `carescim_session=${session.value}`].join('; ')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', headers: { cookie: jar, 'x-csrf-token': token } })).statusCode, 401, 'a cookie is never turned into a bearer token')

  const who = await app.inject({ method: 'GET', url: `${api}/session`, headers: { cookie: jar } })
  t.match(who.json(), { email: 'admin@clinic.test', tenant: { slug: 'clinic' }, roles: ['user-admin'] })
  t.ok(who.json().permissions.includes('accounts.write'))

  const create = { email: 'eve@clinic.test', givenName: 'Eve', familyName: 'Jansen', roles: ['practitioner'] }
  t.equal((await app.inject({ method: 'POST', url: `${api}/accounts`, payload: create, headers: { cookie: jar } })).statusCode, 403, 'a cookie session needs the token to change anything')
  t.equal((await app.inject({ method: 'POST', url: `${api}/accounts`, payload: create, headers: { cookie: jar, 'x-csrf-token': token } })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: `${api}/accounts/check-email`, payload: { email: 'x@clinic.test' }, headers: bearer(adminToken) })).statusCode, 200, 'a bearer-token client carries no cookie and needs no token')

  // A session past half its life is renewed on the way out: a console in use stays signed in.
  const claims = app.jwt.decode<Record<string, unknown>>(session.value)!
  const aged = app.jwt.sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 10 * 60, exp: undefined, aud: undefined } as never)
  const renewed = await app.inject({ method: 'GET', url: `${api}/session`, headers: { cookie: `carescim_session=${aged}` } })
  t.equal(renewed.statusCode, 200)
  const fresh = renewed.cookies.find(c => c.name === 'carescim_session')
  t.ok(fresh !== undefined && fresh.value !== aged, 'an aged cookie session comes back renewed')
  t.equal(app.jwt.decode<{ sat: number }>(fresh!.value)!.sat, claims.sat, 'keeping its sign-in time: renewals never push the 12-hour end')
  const young = await app.inject({ method: 'GET', url: `${api}/session`, headers: { cookie: `carescim_session=${session.value}` } })
  t.equal(young.cookies.length, 0, 'a young one is left as it is')
  t.equal((await app.inject({ method: 'GET', url: `${api}/session`, headers: bearer(adminToken) })).cookies.length, 0, 'a bearer token never gets a cookie')

  const signedOut = await app.inject({ method: 'DELETE', url: '/auth/session', headers: { cookie: jar, 'x-csrf-token': token } })
  t.equal(signedOut.statusCode, 204)
  t.equal(signedOut.cookies.find(c => c.name === 'carescim_session')?.value, '', 'sign-out clears the cookie')
  t.equal((await app.inject({ method: 'GET', url: `${api}/session`, headers: { cookie: jar } })).statusCode, 401, 'and the session ends: a copy of the cookie is worth nothing')
  t.equal((await app.inject({ method: 'GET', url: `${api}/session`, headers: bearer(adminToken) })).statusCode, 401, 'as do the other sessions of that membership (sessions have no id of their own)')
  adminToken = (await login(app, 'clinic', 'admin@clinic.test')).token!
})

t.test('sign-in options: password and/or the staff IdP\'s button', async t => {
  t.same((await app.inject({ method: 'GET', url: '/auth/sign-in-options/clinic' })).json(), { tenant: 'clinic', displayName: 'clinic', password: true, provider: null })
  t.equal((await app.inject({ method: 'GET', url: '/auth/sign-in-options/nowhere' })).statusCode, 404)
  const tenant = (await runtime.tenants.findBySlug('clinic'))!
  await runtime.identityProviders.add(tenant, { displayName: 'Ziekenhuis Entra', issuer: 'https://login.example.test/tenant/v2.0', clientId: 'c', clientSecret: 's', purpose: 'staff-sign-in' }, CLI_CONTEXT)
  t.match((await app.inject({ method: 'GET', url: '/auth/sign-in-options/clinic' })).json().provider, { name: 'Ziekenhuis Entra', startUrl: '/auth/sso/clinic/start' })
})

t.test('the admin API names the field an error concerns; healthcare identifiers are edited and validated there', async t => {
  const created = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken), payload: { email: 'fay@clinic.test', givenName: 'Fay', familyName: 'Smit', roles: ['practitioner'], healthcare: { agbCode: '01234567', discipline: 'nurse' } } })
  t.equal(created.statusCode, 201)
  t.match(created.json().healthcare, { agbCode: '01234567', discipline: 'nurse', registrationNumber: /^CS-/ })
  t.match(created.json().registrationNumber, /^CS-\d{9}-\d$/)
  const id = created.json().id

  const bad = await app.inject({ method: 'PATCH', url: `${api}/accounts/${id}`, headers: bearer(adminToken), payload: { healthcare: { bigNumber: '12345' } } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { field: 'healthcare.bigNumber', message: /^BIG number/ })
  t.notMatch(bad.json().message, /urn:/, 'no schema URN in a message meant for a form')

  const missing = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken), payload: { email: 'gus@clinic.test', givenName: 'Gus', familyName: 'Smit', roles: [] } })
  t.match(missing.json(), { statusCode: 400, field: 'roles' })
  const typed = await app.inject({ method: 'PATCH', url: `${api}/accounts/${id}`, headers: bearer(adminToken), payload: { givenName: 'x'.repeat(300) } })
  t.match(typed.json(), { statusCode: 400, field: 'givenName' }, 'schema errors name their field too')
  const taken = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken), payload: { email: 'hal@clinic.test', givenName: 'Hal', familyName: 'Smit', roles: ['practitioner'], healthcare: { agbCode: '01234567' } } })
  t.match(taken.json(), { statusCode: 409, field: 'healthcare.agbCode' }, 'a platform-unique identifier already taken')

  const cleared = await app.inject({ method: 'PATCH', url: `${api}/accounts/${id}`, headers: bearer(adminToken), payload: { healthcare: { discipline: '', initials: 'F.' } } })
  t.equal(cleared.statusCode, 200)
  t.same([cleared.json().healthcare.discipline, cleared.json().healthcare.initials, cleared.json().healthcare.agbCode], [undefined, 'F.', '01234567'], "'' clears a field, others stay")
  const blanked = await app.inject({ method: 'PATCH', url: `${api}/accounts/${id}`, headers: bearer(adminToken), payload: { displayName: 'Fay', title: '', phone: '' } })
  t.match(blanked.json(), { displayName: 'Fay', title: null, phone: null }, "an optional field sent as '' is removed, not stored empty")
  t.match((await app.inject({ method: 'PATCH', url: `${api}/accounts/${id}`, headers: bearer(adminToken), payload: { familyName: ' ' } })).json(), { statusCode: 400, field: 'familyName' })
  const scim = await app.inject({ method: 'GET', url: `/scim/v2/clinic/Users/${id}`, headers: bearer(scimToken) })
  t.equal(scim.json()['urn:carescim:scim:schemas:extension:healthcare:1.0:User'].initials, 'F.', 'SCIM sees the same data')
  t.notOk('title' in scim.json() || 'phoneNumbers' in scim.json(), 'and no empty strings')
})

t.test('identity providers: an edit keeps the secret unless a new one is given; it is never shown', async t => {
  const added = await app.inject({ method: 'POST', url: `${api}/idps`, headers: bearer(adminToken), payload: { issuer: 'https://eid.example.test', clientId: 'c', clientSecret: 'first-secret', purpose: 'patient-enrolment', nationalIdKind: 'bsn' } })
  t.equal(added.statusCode, 403, 'a user administrator does not manage providers')
  const tenant = (await runtime.tenants.findBySlug('clinic'))!
  const { id } = await runtime.identityProviders.add(tenant, { issuer: 'https://eid.example.test', clientId: 'c', clientSecret: 'first-secret', purpose: 'patient-enrolment', nationalIdKind: 'bsn' }, CLI_CONTEXT)
  const renamed = await runtime.identityProviders.update(tenant, id, { displayName: 'DigiD', policy: 'auto' }, CLI_CONTEXT)
  t.match(renamed, { displayName: 'DigiD', policy: 'auto', nationalIdKind: 'bsn' })
  t.notOk('clientSecret' in renamed || 'clientSecretSealed' in renamed)
  t.equal((await runtime.identityProviders.byId(tenant, id))!.settings.clientSecret, 'first-secret')
  await runtime.identityProviders.update(tenant, id, { clientSecret: 'second-secret' }, CLI_CONTEXT)
  t.equal((await runtime.identityProviders.byId(tenant, id))!.settings.clientSecret, 'second-secret')
  const refused = async (changes: Parameters<typeof runtime.identityProviders.update>[2]) => await runtime.identityProviders.update(tenant, id, changes, CLI_CONTEXT).catch((error: unknown) => error)
  t.match(await refused({ issuer: 'https://elsewhere.example.test' }), { field: 'clientSecret' }, 'a new issuer needs its own secret: the old one is never sent to another server')
  t.match(await refused({ clientId: 'other' }), { field: 'clientSecret' }, 'so does a new client id')
  t.match(await refused({ issuer: 'ftp://nope', clientSecret: 'x' }), { field: 'issuer' }, 'a bad issuer names its field')
  const staff = await runtime.identityProviders.update(tenant, id, { purpose: 'staff-sign-in' }, CLI_CONTEXT)
  t.equal(staff.scopes, 'openid profile email', 'scopes that were defaulted follow the purpose')
  const audit = await app.inject({ method: 'GET', url: `${api}/audit?action=idp.changed`, headers: bearer(adminToken) })
  t.ok(audit.json().items.some((e: { changes: { provider: { to: { clientSecret: string } } } }) => e.changes.provider.to.clientSecret === '[sealed, new]'), 'a new secret shows in the audit log (never its value)')
})

t.test("a group's members, by name", async t => {
  const users = await app.inject({ method: 'GET', url: `${api}/accounts?search=fay`, headers: bearer(adminToken) })
  const fay = users.json().items[0].id
  const group = await app.inject({ method: 'POST', url: '/scim/v2/clinic/Groups', headers: { ...bearer(scimToken), 'content-type': 'application/scim+json' }, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Nurses', members: [{ value: fay }] } })
  t.equal(group.statusCode, 201)
  const listed = await app.inject({ method: 'GET', url: `${api}/groups`, headers: bearer(adminToken) })
  t.match(listed.json().items.find((g: { displayName: string }) => g.displayName === 'Nurses'), { memberCount: 1 })
  const members = await app.inject({ method: 'GET', url: `${api}/groups/${group.json().id}/members`, headers: bearer(adminToken) })
  t.same(members.json(), { items: [{ id: fay, type: 'User', display: 'Fay Smit' }], total: 1 })
  t.equal((await app.inject({ method: 'GET', url: `${api}/groups/00000000-0000-4000-8000-000000000000/members`, headers: bearer(adminToken) })).statusCode, 404)
})

t.test("the pages at the end of a browser flow speak the reader's language", async t => {
  const dutch = await app.inject({ method: 'GET', url: '/enroll/nowhere/start', headers: { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' } })
  t.equal(dutch.statusCode, 404)
  t.match(dutch.body, /<html lang="nl">/)
  t.notMatch(dutch.body, /Sign-in not available/)
  const finnish = await app.inject({ method: 'GET', url: '/enroll/nowhere/start', headers: { 'accept-language': 'fi' } })
  t.match(finnish.body, /<html lang="fi">/)
  const other = await app.inject({ method: 'GET', url: '/enroll/nowhere/start', headers: { 'accept-language': 'ja' } })
  t.match(other.body, /Sign-in not available/, 'English when none of ours is asked for')
})
