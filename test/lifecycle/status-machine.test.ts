// The status machine end to end (issue #5): create → mail → activate via the link → login → deactivate →
// login refused and old session refused → reactivate → new mail; through the admin API and through SCIM.
import t from 'tap'
import { activate, bearer, login, PASSWORD, startLifecycleApp, tenantWithAdministrator, tokenOf } from '../helpers/accounts.js'
import { linkIn } from '../helpers/smtp.js'

const ctx = await startLifecycleApp(t)
const { app } = ctx
const { adminToken, adminEmail, scimToken } = await tenantWithAdministrator(ctx, 'clinic')
const api = '/api/v1/tenants/clinic'

t.test('admin API: create → activation mail → activate → login → deactivate → refused → reactivate → new mail', async t => {
  const created = await app.inject({
    method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken),
    payload: { email: 'bob@clinic.test', givenName: 'Bob', familyName: 'Jansen', roles: ['practitioner'], preferredLanguage: 'nl-NL' }
  })
  t.equal(created.statusCode, 201, created.body)
  const bob = created.json()
  t.match(bob, { email: 'bob@clinic.test', status: 'created', roles: ['practitioner'], givenName: 'Bob' })
  t.equal(created.headers.location, `${api}/accounts/${bob.id}`)

  const [activation] = await ctx.mailsTo('bob@clinic.test')
  t.ok(activation, 'the activation mail arrived over SMTP')
  t.match(activation!.subject, /clinic/i)
  const link = linkIn(activation!, 'http://carescim.test/activate?token=')
  t.match(activation!.html, new RegExp(`href="${link.replace(/[.?]/g, '\\$&').replaceAll('&', '&amp;')}"`), 'the HTML part links the same page')
  t.match(activation!.text, /24/, 'the mail says how long the link is valid')
  t.match(activation!.text, /wachtwoord/i, 'in the account\'s language (nl)')

  const page = await app.inject({ method: 'GET', url: new URL(link).pathname + new URL(link).search })
  t.equal(page.statusCode, 200, 'the link opens the page that sets the password')
  t.match(page.headers['content-security-policy'], /script-src 'self'/, 'under a strict Content-Security-Policy')
  t.notMatch(page.body, /<script>|<style>/, 'no inline script or style')
  t.match(page.body, /<script type="module" src="\/console\/assets\/app.js">/, 'the console renders it')
  t.equal(new URL(link).searchParams.get('tenant'), 'clinic', 'the link names the organisation, for its sign-in page')
  const view = await app.inject({ method: 'GET', url: '/console/assets/views/auth.js' })
  t.match(view.body, /\/auth\/activate/, 'its view posts to /auth/activate')
  t.match(view.headers['content-type'], /javascript/)
  t.equal((await app.inject({ method: 'GET', url: '/console/assets/constructor' })).statusCode, 404)

  const [notice] = await ctx.mailsTo(adminEmail)
  t.ok(notice, 'the user administrators are told')
  t.match(notice!.text, /Bob Jansen/)

  t.equal((await login(app, 'clinic', 'bob@clinic.test')).status, 401, 'no sign-in before activation')
  const weak = await app.inject({ method: 'POST', url: '/auth/activate', payload: { token: tokenOf(link), password: 'short' } })
  t.equal(weak.statusCode, 400)
  t.match(weak.json().message, /at least 12 characters/)
  t.equal(await activate(app, activation!), 204)
  t.equal(await activate(app, activation!), 400, 'the link is single-use')

  const signedIn = await login(app, 'clinic', 'bob@clinic.test')
  t.equal(signedIn.status, 200)
  const me = await app.inject({ method: 'GET', url: '/scim/v2/clinic/Me', headers: bearer(signedIn.token!) })
  t.equal(me.statusCode, 200, me.body)
  t.match(me.json(), { id: bob.id, userName: 'bob@clinic.test', active: true })
  t.equal(me.headers.location, `http://carescim.test/scim/v2/clinic/Users/${bob.id}`)
  const row = await app.inject({ method: 'GET', url: `${api}/accounts/${bob.id}`, headers: bearer(adminToken) })
  t.equal(row.json().status, 'active')
  t.ok(row.json().lastActivityAt, 'last activity is recorded')

  const deactivated = await app.inject({ method: 'POST', url: `${api}/accounts/${bob.id}/deactivate`, headers: bearer(adminToken) })
  t.equal(deactivated.statusCode, 200)
  t.equal(deactivated.json().status, 'inactive')
  t.equal((await login(app, 'clinic', 'bob@clinic.test')).status, 401, 'an inactive membership cannot sign in')
  const old = await app.inject({ method: 'GET', url: '/scim/v2/clinic/Me', headers: bearer(signedIn.token!) })
  t.equal(old.statusCode, 401, 'the earlier session stops working at once')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', headers: bearer(signedIn.token!) })).statusCode, 401, 'and cannot be refreshed')

  const again = await app.inject({ method: 'POST', url: `${api}/accounts/${bob.id}/deactivate`, headers: bearer(adminToken) })
  t.equal(again.statusCode, 409, 'a transition outside the machine is a conflict')
  t.match(again.json().message, /already inactive/)

  const reactivated = await app.inject({ method: 'POST', url: `${api}/accounts/${bob.id}/reactivate`, headers: bearer(adminToken) })
  t.equal(reactivated.json().status, 'created', 'reactivation waits for a new activation')
  const [second] = await ctx.mailsTo('bob@clinic.test')
  t.ok(second, 'a new activation mail')
  t.not(linkIn(second!, '/activate'), link)
  t.equal(await activate(app, second!, 'another long passphrase'), 204)
  t.equal((await login(app, 'clinic', 'bob@clinic.test', 'another long passphrase')).status, 200)
  t.equal((await login(app, 'clinic', 'bob@clinic.test', PASSWORD)).status, 401, 'the old password is gone')
})

t.test('SCIM: a provisioned user gets the activation mail; active=false deactivates, active=true reactivates with a new mail', async t => {
  const scim = { ...bearer(scimToken), 'content-type': 'application/scim+json' }
  const created = await app.inject({
    method: 'POST', url: '/scim/v2/clinic/Users', headers: scim,
    payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'carla@clinic.test', name: { givenName: 'Carla', familyName: 'Smit' }, emails: [{ value: 'carla@clinic.test', type: 'work', primary: true }] }
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id
  const [mail] = await ctx.mailsTo('carla@clinic.test')
  t.ok(mail, 'SCIM-provisioned staff of a password tenant get the activation mail')
  t.equal(await activate(app, mail!), 204)
  const session = await login(app, 'clinic', 'carla@clinic.test')
  t.equal(session.status, 200)

  const patch = (active: unknown) => app.inject({
    method: 'PATCH', url: `/scim/v2/clinic/Users/${id}`, headers: scim,
    payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: active }] }
  })
  t.equal((await patch(false)).json().active, false)
  t.equal((await app.inject({ method: 'GET', url: '/scim/v2/clinic/Me', headers: bearer(session.token!) })).statusCode, 401, 'SCIM deactivation ends the session')
  t.equal((await login(app, 'clinic', 'carla@clinic.test')).status, 401)
  t.equal((await patch(false)).statusCode, 200, 'an IdP repeating active=false changes nothing')
  t.same(await ctx.mailsTo('carla@clinic.test'), [])

  t.equal((await patch(true)).json().active, true)
  const [again] = await ctx.mailsTo('carla@clinic.test')
  t.ok(again, 'reactivation sends a new activation mail')
  const status = await app.inject({ method: 'GET', url: `${api}/accounts/${id}`, headers: bearer(adminToken) })
  t.equal(status.json().status, 'created')
})

t.test('forgot password: 202 whatever the address; a reset mail only for a member', async t => {
  await ctx.mailsTo(adminEmail) // the notifications of the tests before
  const unknown = await app.inject({ method: 'POST', url: '/auth/forgot', payload: { tenant: 'clinic', email: 'nobody@clinic.test' } })
  t.equal(unknown.statusCode, 202)
  const wrongTenant = await app.inject({ method: 'POST', url: '/auth/forgot', payload: { tenant: 'nowhere', email: adminEmail } })
  t.equal(wrongTenant.statusCode, 202)
  t.same(await ctx.mailsTo('nobody@clinic.test'), [])
  t.same(await ctx.mailsTo(adminEmail), [])

  const known = await app.inject({ method: 'POST', url: '/auth/forgot', payload: { tenant: 'clinic', email: adminEmail.toUpperCase() } })
  t.equal(known.statusCode, 202)
  const [reset] = await ctx.mailsTo(adminEmail)
  t.ok(reset, 'a reset mail')
  t.equal(await activate(app, reset!, 'a brand new passphrase'), 204)
  t.equal((await login(app, 'clinic', adminEmail, 'a brand new passphrase')).status, 200)
})

t.test('an expired link is refused; an admin re-sends one', async t => {
  const created = await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken), payload: { email: 'dana@clinic.test', givenName: 'Dana', familyName: 'Bakker', roles: ['planner'] } })
  t.equal(created.statusCode, 201, created.body)
  const [mail] = await ctx.mailsTo('dana@clinic.test')
  await ctx.runtime.database.orm.em.fork().getConnection().execute(`update one_time_token set expires_at = now() - interval '1 second' where membership_id = '${created.json().id as string}'`)
  const expired = await app.inject({ method: 'POST', url: '/auth/activate', payload: { token: tokenOf(linkIn(mail!, '/activate')), password: PASSWORD } })
  t.equal(expired.statusCode, 400)
  t.match(expired.json().message, /expired/)
  const resent = await app.inject({ method: 'POST', url: `${api}/accounts/${created.json().id as string}/resend-activation`, headers: bearer(adminToken) })
  t.equal(resent.statusCode, 202)
  const [fresh] = await ctx.mailsTo('dana@clinic.test')
  t.equal(await activate(app, fresh!), 204)
  const resendActive = await app.inject({ method: 'POST', url: `${api}/accounts/${created.json().id as string}/resend-activation`, headers: bearer(adminToken) })
  t.equal(resendActive.statusCode, 409, 'an active account needs no activation mail')
})

t.test('guessing passwords: after 10 wrong ones sign-in pauses, with the same answer; a reset link ends the pause', async t => {
  const eve = 'eve@clinic.test'
  await app.inject({ method: 'POST', url: `${api}/accounts`, headers: bearer(adminToken), payload: { email: eve, givenName: 'Eve', familyName: 'Visser', roles: ['planner'] } })
  t.equal(await activate(app, (await ctx.mailsTo(eve))[0]!), 204)
  for (let i = 0; i < 10; i++) t.equal((await login(app, 'clinic', eve, `wrong guess number ${i}`)).status, 401)
  const paused = await app.inject({ method: 'POST', url: '/auth/login', payload: { tenant: 'clinic', email: eve, password: PASSWORD } })
  t.equal(paused.statusCode, 401, 'even the right password waits')
  const unknown = await app.inject({ method: 'POST', url: '/auth/login', payload: { tenant: 'clinic', email: 'nobody@clinic.test', password: 'whatever it is' } })
  t.equal(paused.json().message, unknown.json().message, 'the same answer as for an unknown address')

  t.equal((await app.inject({ method: 'POST', url: '/auth/forgot', payload: { tenant: 'clinic', email: eve } })).statusCode, 202)
  t.equal((await app.inject({ method: 'POST', url: '/auth/forgot', payload: { tenant: 'clinic', email: eve } })).statusCode, 202)
  const resets = await ctx.mailsTo(eve)
  t.equal(resets.length, 1, 'one link a minute, however often it is asked for')
  t.equal(await activate(app, resets[0]!, 'the passphrase after the pause'), 204)
  t.equal((await login(app, 'clinic', eve, 'the passphrase after the pause')).status, 200)
})
