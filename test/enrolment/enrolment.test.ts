// Patient self-enrolment through a national eID over OIDC, and staff sign-in through the tenant's IdP
// (issue #6): a real OpenID Provider in-process, the browser-less code flow with a cookie jar.
import t from 'tap'
import { operatorSession } from '../../src/domain/accounts/account-administration.js'
import { CLI_CONTEXT } from '../../src/domain/lifecycle/change-context.js'
import { bearer, startLifecycleApp, tenantWithAdministrator } from '../helpers/accounts.js'
import { TestBrowser } from '../helpers/browser.js'
import { LOA, startOidcProvider } from '../helpers/oidc-provider.js'

const ctx = await startLifecycleApp(t)
const { app, runtime } = ctx
const origin = 'http://carescim.test'
const op = await startOidcProvider(t, {
  clients: [{ clientId: 'carescim', clientSecret: 'broker-secret', redirectUris: [`${origin}/enroll/callback`] }],
  accounts: {
    jan: { bsn: '999999990', given_name: 'Jan', family_name: 'Jansen', birthdate: '1980-01-31', email: 'jan@patient.test', email_verified: true },
    fenna: { bsn: '111222333', given_name: 'Fenna', family_name: 'de Boer', birthdate: '1990-05-05', email: 'fenna@patient.test', email_verified: true },
    noid: { given_name: 'No', family_name: 'Number' },
    quiet: { bsn: '123456782', given_name: 'Quinn', family_name: 'Stil' },
    quieter: { bsn: '100000009', given_name: 'Rosa', family_name: 'Zwijg' },
    staff: { email: 'doctor@clinic.test', email_verified: true, given_name: 'Doc' },
    stranger: { email: 'stranger@clinic.test', email_verified: true }
  }
})

const clinic = await tenantWithAdministrator(ctx, 'auto-clinic')
const review = await tenantWithAdministrator(ctx, 'review-clinic')
const tenantOf = async (slug: string) => (await runtime.tenants.findBySlug(slug))!
await runtime.identityProviders.add(await tenantOf('auto-clinic'), {
  issuer: op.issuer, clientId: 'carescim', clientSecret: 'broker-secret', purpose: 'patient-enrolment', policy: 'auto', autoCreate: true,
  nationalIdKind: 'bsn', acrValues: [LOA.substantial, LOA.high], defaultFeatures: ['e-booking']
}, CLI_CONTEXT)
await runtime.identityProviders.add(await tenantOf('review-clinic'), {
  issuer: op.issuer, clientId: 'carescim', clientSecret: 'broker-secret', purpose: 'patient-enrolment', policy: 'review', nationalIdKind: 'bsn'
}, CLI_CONTEXT)

function browser (): TestBrowser {
  return new TestBrowser({ appOrigin: origin, inject: async request => await app.inject(request) })
}

async function signUp (slug: string, account: string, acr: string = LOA.high, through = browser()) {
  op.setNextLogin({ accountId: account, acr })
  const page = await through.get(`${origin}/enroll/${slug}/start`)
  return { page, browser: through }
}

const csrfTokenIn = (html: string) => html.match(/<meta name="csrf-token" content="([^"]+)">/)![1]!

const count = async (sql: string) => Number((await runtime.database.orm.em.fork().getConnection().execute<Array<{ count: string }>>(sql))[0]!.count)

t.test('auto policy: a new patient becomes an active member at once, signed in; SCIM never shows patients', async t => {
  const { page, browser: jan } = await signUp('auto-clinic', 'jan')
  t.equal(page.status, 200, page.body)
  t.match(page.body, /signed in/i)
  t.ok(jan.cookie(`${origin}/`, 'carescim_session'), 'the session is left in an HTTP-only cookie')
  const me = await jan.get(`${origin}/scim/v2/auto-clinic/Me`)
  t.equal(me.status, 200, me.body)
  const user = JSON.parse(me.body)
  t.match(user, { name: { givenName: 'Jan', familyName: 'Jansen' }, roles: [{ value: 'patient' }], entitlements: [{ value: 'e-booking' }], active: true })
  t.notMatch(me.body, /999999990/, 'the national identifier is never returned')
  const scim = await app.inject({ method: 'GET', url: '/scim/v2/auto-clinic/Users', headers: bearer(clinic.scimToken) })
  t.notMatch(scim.body, /Jansen/, 'patients are not SCIM Users')
  t.equal(await count(`select count(*) from national_identity where value_encrypted like '%999999990%' or hash like '%999999990%'`), 0, 'stored as a keyed hash and a sealed value only')
  t.equal(await count(`select count(*) from audit_event where changes::text like '%999999990%'`), 0, 'and never in the audit log')
})

t.test('auto policy: a known patient signs in again to the same membership', async t => {
  const before = await count(`select count(*) from membership where kind = 'patient'`)
  const { page } = await signUp('auto-clinic', 'jan')
  t.equal(page.status, 200)
  t.equal(await count(`select count(*) from membership where kind = 'patient'`), before, 'no second membership')
})

t.test('review policy: queued once, approved with features, mailed; then the patient signs in', async t => {
  const first = await signUp('review-clinic', 'fenna')
  t.equal(first.page.status, 202)
  t.match(first.page.body, /Waiting for approval/)
  t.equal((await signUp('review-clinic', 'fenna')).page.status, 202)
  const list = await app.inject({ method: 'GET', url: '/api/v1/tenants/review-clinic/login-requests?status=pending', headers: bearer(review.adminToken) })
  t.equal(list.statusCode, 200)
  t.equal(list.json().total, 1, 'a second sign-up while one is pending makes no second request')
  const request = list.json().items[0]
  t.match(request, { status: 'pending', givenName: 'Fenna', familyName: 'de Boer', birthdate: '1990-05-05', email: 'fenna@patient.test', acr: LOA.high })
  t.ok(request.createdAt)
  t.notOk('nationalIdHash' in request || 'nationalIdSealed' in request, 'the admin never sees the national identifier')

  const frontDeskRefused = await app.inject({ method: 'POST', url: `/api/v1/tenants/review-clinic/login-requests/${request.id as string}/approve`, headers: bearer(clinic.adminToken), payload: {} })
  t.equal(frontDeskRefused.statusCode, 403, "another tenant's admin cannot decide")

  const approved = await app.inject({ method: 'POST', url: `/api/v1/tenants/review-clinic/login-requests/${request.id as string}/approve`, headers: bearer(review.adminToken), payload: { features: ['e-consultation'] } })
  t.equal(approved.statusCode, 200, approved.body)
  t.match(approved.json(), { status: 'approved', features: ['e-consultation'] })
  const [mail] = await ctx.mailsTo('fenna@patient.test')
  t.ok(mail, 'the patient is told')
  t.match(mail!.text, /\/enroll\/review-clinic\/start/)
  t.match(mail!.text, /Fenna/)
  const again = await app.inject({ method: 'POST', url: `/api/v1/tenants/review-clinic/login-requests/${request.id as string}/reject`, headers: bearer(review.adminToken), payload: { reason: 'x' } })
  t.equal(again.statusCode, 409, 'deciding a decided request is a conflict')

  const signIn = await signUp('review-clinic', 'fenna')
  t.equal(signIn.page.status, 200, 'an approved patient signs in with the eID')
  const me = JSON.parse((await signIn.browser.get(`${origin}/scim/v2/review-clinic/Me`)).body)
  t.same(me.entitlements, [{ value: 'e-consultation' }])
  const audit = await app.inject({ method: 'GET', url: '/api/v1/tenants/review-clinic/audit?targetId=' + (request.id as string), headers: bearer(review.adminToken) })
  t.same(audit.json().items.map((e: { action: string }) => e.action), ['login-request.approved', 'login-request.created'])
})

t.test('review policy: a patient of another clinic is linked to the same account; a rejection is mailed', async t => {
  const accounts = await count('select count(*) from account')
  t.equal((await signUp('review-clinic', 'jan')).page.status, 202)
  const pending = (await app.inject({ method: 'GET', url: '/api/v1/tenants/review-clinic/login-requests?status=pending', headers: bearer(review.adminToken) })).json().items
  const jan = pending.find((r: { givenName: string }) => r.givenName === 'Jan')
  t.ok(jan.matchedAccountId, 'the reviewer sees that this person has an account already')
  const rejected = await app.inject({ method: 'POST', url: `/api/v1/tenants/review-clinic/login-requests/${jan.id as string}/reject`, headers: bearer(review.adminToken), payload: { reason: 'Not a patient of this practice' } })
  t.equal(rejected.statusCode, 200)
  const [mail] = await ctx.mailsTo('jan@patient.test')
  t.match(mail!.text, /Not a patient of this practice/)
  t.match(mail!.subject, /review-clinic/)

  t.equal((await signUp('review-clinic', 'jan')).page.status, 202, 'after a rejection one may ask again')
  const next = (await app.inject({ method: 'GET', url: '/api/v1/tenants/review-clinic/login-requests?status=pending', headers: bearer(review.adminToken) })).json().items[0]
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/tenants/review-clinic/login-requests/${next.id as string}/approve`, headers: bearer(review.adminToken), payload: {} })).statusCode, 200)
  t.equal(await count('select count(*) from account'), accounts, 'one person, one account')
  t.equal(await count(`select count(*) from membership m join national_identity n on n.account_id = m.account_id where m.kind = 'patient'`), 3, 'Jan in two clinics, Fenna in one')
})

t.test('refusals: acr too low, no national identifier, state tampered, callback replayed', async t => {
  const members = await count('select count(*) from membership')
  const low = await signUp('auto-clinic', 'fenna', LOA.low)
  t.equal(low.page.status, 403)
  t.match(low.page.body, /higher level of assurance/)
  const noId = await signUp('auto-clinic', 'noid')
  t.equal(noId.page.status, 403)
  t.match(noId.page.body, /national identifier/)

  op.setNextLogin({ accountId: 'fenna', acr: LOA.high })
  const tampered = browser()
  const callback = new URL(await tampered.followUntil(`${origin}/enroll/auto-clinic/start`, `${origin}/enroll/callback`))
  callback.searchParams.set('state', 'forged')
  const forged = await tampered.get(callback.href)
  t.equal(forged.status, 400)
  t.match(forged.body, /could not be verified/)

  const replay = browser()
  const genuine = await replay.followUntil(`${origin}/enroll/auto-clinic/start`, `${origin}/enroll/callback`)
  t.equal((await replay.get(genuine)).status, 200)
  const replayed = await replay.get(genuine)
  t.equal(replayed.status, 400, 'a replayed callback is refused')
  t.match(replayed.body, /expired or was already used/)
  t.equal(await count('select count(*) from membership'), members + 1, 'only the genuine sign-up made a membership')
})

t.test("the provider's signing key rotated: sign-in still works", async t => {
  await op.rotateKeys()
  const { page } = await signUp('auto-clinic', 'jan')
  t.equal(page.status, 200, page.body)
})

t.test('the provider down: a clear page, nothing half-created', async t => {
  const members = await count('select count(*) from membership')
  const requests = await count('select count(*) from login_request')
  const midway = browser()
  op.setNextLogin({ accountId: 'fenna', acr: LOA.high })
  const callback = await midway.followUntil(`${origin}/enroll/review-clinic/start`, `${origin}/enroll/callback`)
  await op.down()
  t.teardown(async () => { await op.up() })
  const broken = await midway.get(callback)
  t.equal(broken.status, 503)
  t.match(broken.body, /cannot be reached/)
  t.equal(await count('select count(*) from membership'), members)
  t.equal(await count('select count(*) from login_request'), requests)
  await op.up()
})

t.test('staff sign-in through the hospital IdP: matched, unmatched, inactive; no account created', async t => {
  const tenant = await tenantOf('auto-clinic')
  await runtime.identityProviders.add(tenant, { issuer: op.issuer, clientId: 'carescim', clientSecret: 'broker-secret', purpose: 'staff-sign-in' }, CLI_CONTEXT)
  const doctor = await runtime.administration.create(operatorSession(tenant, CLI_CONTEXT), { email: 'doctor@clinic.test', givenName: 'Doc', familyName: 'Tor', roles: ['practitioner'] })
  await runtime.database.orm.em.fork().getConnection().execute(`update membership set status = 'active' where id = '${doctor.id}'`)
  const accounts = await count('select count(*) from account')

  op.setNextLogin({ accountId: 'staff', acr: LOA.substantial })
  const staff = browser()
  const signedIn = await staff.get(`${origin}/auth/sso/auto-clinic/start`)
  t.equal(signedIn.status, 200, signedIn.body)
  t.equal(JSON.parse((await staff.get(`${origin}/scim/v2/auto-clinic/Me`)).body).id, doctor.id)

  op.setNextLogin({ accountId: 'stranger', acr: LOA.substantial })
  const stranger = await browser().get(`${origin}/auth/sso/auto-clinic/start`)
  t.equal(stranger.status, 403)
  t.equal(await count('select count(*) from account'), accounts, 'sign-in creates no account')

  await app.inject({ method: 'POST', url: `/api/v1/tenants/auto-clinic/accounts/${doctor.id}/deactivate`, headers: bearer(clinic.adminToken) })
  op.setNextLogin({ accountId: 'staff', acr: LOA.substantial })
  t.equal((await browser().get(`${origin}/auth/sso/auto-clinic/start`)).status, 403, 'an inactive membership is refused')
  const refusals = await app.inject({ method: 'GET', url: '/api/v1/tenants/auto-clinic/audit?action=session.refused', headers: bearer(clinic.adminToken) })
  t.equal(refusals.json().items.length, 2, 'refusals are audited')
})

t.test('identity providers through the admin API: the secret is never shown; an owner-only permission', async t => {
  const listed = await app.inject({ method: 'GET', url: '/api/v1/tenants/auto-clinic/idps', headers: bearer(clinic.adminToken) })
  t.equal(listed.statusCode, 403, 'a user administrator does not manage identity providers')
  const tenant = await tenantOf('auto-clinic')
  const providers = await runtime.identityProviders.list(tenant)
  t.notMatch(JSON.stringify(providers), /broker-secret/)
  t.equal(await count(`select count(*) from identity_provider where client_secret_encrypted like '%broker-secret%'`), 0, 'sealed at rest')
  await t.rejects(runtime.identityProviders.add(tenant, { issuer: 'http://idp.example.com', clientId: 'x', clientSecret: 'y', purpose: 'staff-sign-in' }, CLI_CONTEXT), /https/)
  await t.rejects(runtime.identityProviders.add(tenant, { issuer: 'https://idp.example.com', clientId: 'x', clientSecret: 'y', purpose: 'patient-enrolment' }, CLI_CONTEXT), /national identifier's kind/)
})

t.test('staff-made patients: created from an email with features, activation, password reset, rights removed, membership ended and signed up again', async t => {
  const api = '/api/v1/tenants/auto-clinic/accounts'
  const created = await app.inject({ method: 'POST', url: api, headers: bearer(clinic.adminToken), payload: { email: 'piet@patient.test', givenName: 'Piet', familyName: 'Post', roles: ['patient'], features: ['e-booking', 'messaging'], kind: 'patient' } })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { kind: 'patient', status: 'created', features: ['e-booking', 'messaging'] })
  const id = created.json().id as string
  const [activation] = await ctx.mailsTo('piet@patient.test')
  t.equal(await activateWith(activation!), 204)
  t.equal((await app.inject({ method: 'GET', url: `/scim/v2/auto-clinic/Users/${id}`, headers: bearer(clinic.scimToken) })).statusCode, 404, 'not a SCIM User')
  t.equal((await app.inject({ method: 'GET', url: `${api}?kind=patient&search=piet`, headers: bearer(clinic.adminToken) })).json().total, 1)

  t.equal((await app.inject({ method: 'POST', url: `${api}/${id}/send-password-reset`, headers: bearer(clinic.adminToken) })).statusCode, 202)
  const [reset] = await ctx.mailsTo('piet@patient.test')
  t.ok(reset, 'a reset link')
  const removed = await app.inject({ method: 'PATCH', url: `${api}/${id}`, headers: bearer(clinic.adminToken), payload: { features: [] } })
  t.same(removed.json().features, [], 'rights removed, the account kept')
  t.equal(removed.json().status, 'active')

  // Jan, enrolled by eID: his membership ends; he may sign up again and gets the same account.
  const jan = (await app.inject({ method: 'GET', url: `${api}?kind=patient&search=jan@patient.test`, headers: bearer(clinic.adminToken) })).json().items[0]
  t.equal((await app.inject({ method: 'DELETE', url: `${api}/${jan.id as string}`, headers: bearer(clinic.adminToken) })).statusCode, 204)
  const accounts = await count('select count(*) from account')
  const { page } = await signUp('auto-clinic', 'jan')
  t.equal(page.status, 200, 'signed up again')
  t.equal(await count('select count(*) from account'), accounts, 'on the same account')
})

async function activateWith (mail: { text?: string }): Promise<number> {
  const token = new URL((mail.text ?? '').match(/https?:\/\/\S+\/activate\?token=\S+/)![0]).searchParams.get('token')
  return (await app.inject({ method: 'POST', url: '/auth/activate', payload: { token, password: 'a long patient passphrase' } })).statusCode
}

t.test('no email from the eID: the patient gives one, and a link confirms it (new member and pending request)', async t => {
  const { page, browser: quinn } = await signUp('auto-clinic', 'quiet')
  t.equal(page.status, 200)
  t.match(page.body, /id="contact"/, 'the page asks for an address')
  // What the page's script sends: the address, with the page's CSRF token.
  const give = async (through: TestBrowser, form: { body: string }, email: string, csrf = csrfTokenIn(form.body)) => await app.inject({
    method: 'POST', url: '/enroll/email', headers: { cookie: through.cookieHeader(`${origin}/enroll/email`), 'content-type': 'application/json', 'x-csrf-token': csrf }, payload: { email }
  })
  t.equal((await give(quinn, page, 'quinn@patient.test', 'forged')).statusCode, 403, 'not without the page\'s CSRF token')
  t.equal((await give(quinn, page, 'not-an-address')).statusCode, 400)
  t.equal((await give(quinn, page, 'quinn@patient.test')).statusCode, 202)
  const [mail] = await ctx.mailsTo('quinn@patient.test')
  t.ok(mail, 'a confirmation link is mailed')
  const link = (mail!.text ?? '').match(/https?:\/\/\S+\/enroll\/verify-email\?token=\S+/)![0]
  const search = await app.inject({ method: 'GET', url: '/api/v1/tenants/auto-clinic/accounts?search=quinn@patient.test', headers: bearer(clinic.adminToken) })
  t.equal(search.json().total, 0, 'nothing is stored before the link is opened')
  const confirmed = await app.inject({ method: 'GET', url: new URL(link).pathname + new URL(link).search })
  t.equal(confirmed.statusCode, 200)
  const found = await app.inject({ method: 'GET', url: '/api/v1/tenants/auto-clinic/accounts?search=quinn@patient.test', headers: bearer(clinic.adminToken) })
  t.match(found.json().items[0], { email: 'quinn@patient.test', familyName: 'Stil' })
  // A character in the middle: the last one of base64url may carry unused bits, so changing it may change nothing.
  const token = new URL(link).searchParams.get('token')!
  const forgedToken = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11)
  const forged = await app.inject({ method: 'GET', url: '/enroll/verify-email?token=' + encodeURIComponent(forgedToken) })
  t.equal(forged.statusCode, 400, 'a forged link is refused')
  t.equal((await app.inject({ method: 'POST', url: '/enroll/email', headers: { 'content-type': 'application/json' }, payload: { email: 'x@y.test' } })).statusCode, 400, 'not without the enrolment cookie')

  const pending = await signUp('review-clinic', 'quieter')
  t.equal(pending.page.status, 202)
  t.equal((await give(pending.browser, pending.page, 'rosa@patient.test')).statusCode, 202)
  const [rosaMail] = await ctx.mailsTo('rosa@patient.test')
  const rosaLink = (rosaMail!.text ?? '').match(/https?:\/\/\S+\/enroll\/verify-email\?token=\S+/)![0]
  t.equal((await app.inject({ method: 'GET', url: new URL(rosaLink).pathname + new URL(rosaLink).search })).statusCode, 200)
  const requests = (await app.inject({ method: 'GET', url: '/api/v1/tenants/review-clinic/login-requests?status=pending', headers: bearer(review.adminToken) })).json().items
  t.equal(requests.find((r: { givenName: string }) => r.givenName === 'Rosa').email, 'rosa@patient.test', 'the reviewer sees the confirmed address')
})

t.test('an SSO tenant: staff get a welcome mail (no password), and their first sign-in through the IdP activates them', async t => {
  const sso = await tenantWithAdministrator(ctx, 'sso-clinic')
  const tenant = await tenantOf('sso-clinic')
  await runtime.tenants.configure('sso-clinic', { ...tenant.settings, signIn: 'sso' })
  await runtime.identityProviders.add(await tenantOf('sso-clinic'), { issuer: op.issuer, clientId: 'carescim', clientSecret: 'broker-secret', purpose: 'staff-sign-in' }, CLI_CONTEXT)
  const created = await app.inject({
    method: 'POST', url: '/scim/v2/sso-clinic/Users', headers: { ...bearer(sso.scimToken), 'content-type': 'application/scim+json' },
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'doctor@clinic.test', emails: [{ value: 'doctor@clinic.test', primary: true }] }
  })
  t.equal(created.statusCode, 201)
  // The same address got an activation mail from the other clinic earlier: this clinic's mail is the last.
  const welcome = (await ctx.mailsTo('doctor@clinic.test')).at(-1)
  t.match(welcome?.subject, /Welcome to sso-clinic/, 'a welcome mail')
  t.notMatch(welcome!.text, /\/activate\?token=/, 'with no password link')
  op.setNextLogin({ accountId: 'staff', acr: LOA.substantial })
  const staff = browser()
  t.equal((await staff.get(`${origin}/auth/sso/sso-clinic/start`)).status, 200)
  const row = await app.inject({ method: 'GET', url: `/api/v1/tenants/sso-clinic/accounts/${created.json().id as string}`, headers: bearer(sso.adminToken) })
  t.equal(row.json().status, 'active', 'activated by the first sign-in')
  const password = await app.inject({ method: 'POST', url: '/auth/login', payload: { tenant: 'sso-clinic', email: sso.adminEmail, password: 'correct horse battery staple' } })
  t.equal(password.statusCode, 401, 'no password sign-in in an SSO tenant')
  t.match(password.json().message, /\/auth\/sso\/sso-clinic\/start/)
})
