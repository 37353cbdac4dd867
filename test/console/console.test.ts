// The admin console and account pages in a real browser (issue #7): Debian's Chromium driven by
// playwright-core against the app listening on a real port, mail over a real SMTP server, and patient
// enrolment through the in-process OpenID Provider. Each main page is screenshotted and checked by axe-core.
import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CLI_CONTEXT } from '../../src/domain/lifecycle/change-context.js'
import { activate, createByOperator, PASSWORD, startLifecycleApp } from '../helpers/accounts.js'
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium.js'
import { LOA, startOidcProvider } from '../helpers/oidc-provider.js'
import { linkIn } from '../helpers/smtp.js'

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

// PUBLIC_URL is where the browser finds the app: links in mails and the OIDC redirect point there.
const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const ctx = await startLifecycleApp(t, { PUBLIC_URL: origin })
const { app, runtime } = ctx
await app.listen({ port, host: '127.0.0.1' })

const op = await startOidcProvider(t, {
  clients: [{ clientId: 'carescim', clientSecret: 'broker-secret', redirectUris: [`${origin}/enroll/callback`] }],
  accounts: { sanne: { bsn: '999999990', given_name: 'Sanne', family_name: 'Visser', birthdate: '1985-03-14', email: 'sanne@patient.test', email_verified: true } }
})

// The tenant's owner, made as the operator does (`carescim account create`) and activated by mail.
await ctx.tenant('clinic')
const tenant = (await runtime.tenants.findBySlug('clinic'))!
await createByOperator(runtime, 'clinic', 'owner@clinic.test', ['owner'], { givenName: 'Olga', familyName: 'Eigenaar' })
if (await activate(app, (await ctx.mailsTo('owner@clinic.test'))[0]!) !== 204) throw new Error('owner activation failed')
await runtime.identityProviders.add(tenant, {
  displayName: 'DigiD', issuer: op.issuer, clientId: 'carescim', clientSecret: 'broker-secret', purpose: 'patient-enrolment',
  policy: 'review', nationalIdKind: 'bsn', acrValues: [LOA.substantial, LOA.high]
}, CLI_CONTEXT)

const browser: Browser = await launchChromium(t)

async function newPage (locale = 'en-GB'): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ locale })
  t.teardown(async () => { await context.close() })
  const page = await context.newPage()
  page.on('dialog', dialog => { void dialog.accept() })
  return { context, page }
}

/** A screenshot for people, and axe-core's verdict for the test. */
async function look (t: Test, page: Page, name: string): Promise<void> {
  await screenshot(page, name)
  t.same(await seriousAccessibilityViolations(page), [], `${name}: no serious accessibility violation`)
}

async function signIn (page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${origin}/console/clinic/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

const admin = await newPage()

t.test('the admin signs in, creates an account, sees it as created; its activation link sets a password and the new user signs in', async t => {
  const { page } = admin
  await page.goto(`${origin}/console`)
  await page.getByLabel(/short name/).fill('clinic')
  await look(t, page, 'choose-organisation')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { name: 'Sign in to clinic' }).waitFor()
  await page.goto(`${origin}/console/clinic/forgot`)
  await page.getByRole('heading', { name: 'Forgot your password' }).waitFor()
  await look(t, page, 'forgot-password')
  await page.goto(`${origin}/console/clinic/sign-in`)
  await page.getByLabel('Password').waitFor()
  await look(t, page, 'sign-in')
  await signIn(page, 'owner@clinic.test')
  await page.getByRole('heading', { name: 'Accounts' }).waitFor()
  await page.locator('tr', { hasText: 'owner@clinic.test' }).waitFor()
  t.pass('the accounts table lists the owner')

  await page.getByRole('link', { name: 'Add account' }).click()
  await page.getByLabel('Email').fill('not an address')
  await page.getByRole('button', { name: 'Check address' }).click()
  t.match(await page.locator('#field-email-error').innerText(), /not a valid email address/, 'the API error shows next to the field')
  await page.getByLabel('Email').fill('bob@clinic.test')
  await page.getByRole('button', { name: 'Check address' }).click()
  await page.getByLabel('Given name').fill('Bob')
  await page.getByLabel('Family name').fill('Jansen')
  await page.getByLabel('Practitioner').check()
  await look(t, page, 'account-new')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByText('Bob Jansen was created').waitFor()
  t.match(await page.locator('tr', { hasText: 'owner@clinic.test' }).innerText(), new RegExp(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date())), 'last activity in the browser\'s locale (en-GB)')
  const row = page.locator('tr', { hasText: 'bob@clinic.test' })
  t.match(await row.innerText(), /Created, not yet activated/, 'the new account shows as created')
  await look(t, page, 'accounts')

  // The account arrives late (a busy server): what is typed is not overwritten by it, and the save has its roles.
  const slowAccount = /\/api\/v1\/tenants\/clinic\/accounts\/[0-9a-f-]{36}$/
  await page.route(slowAccount, async route => {
    if (route.request().method() === 'GET') await new Promise(resolve => setTimeout(resolve, 1000))
    await route.continue()
  })
  await row.getByRole('group').or(row.locator('summary')).first().click()
  await row.getByRole('link', { name: 'Edit' }).click()
  await page.getByLabel('AGB code').fill('1234')
  await page.getByRole('button', { name: 'Save' }).click()
  const agbError = page.locator('#field-healthcare-agbCode-error')
  await agbError.waitFor()
  t.ok(await page.getByRole('heading', { name: 'Edit Bob Jansen' }).isVisible(), 'the form is titled with the name')
  t.match(await agbError.innerText(), /^AGB code/, 'a healthcare identifier\'s validation message shows under its field')
  t.equal(await page.getByLabel('AGB code').getAttribute('aria-invalid'), 'true')
  t.equal(await page.getByLabel('AGB code').inputValue(), '1234', 'what was typed is still there')
  await page.unroute(slowAccount)
  await look(t, page, 'account-edit')

  const [mail] = await ctx.mailsTo('bob@clinic.test')
  const link = linkIn(mail!, `${origin}/activate`)
  const bob = await newPage()
  await bob.page.goto(link)
  await bob.page.getByText('At least 12 characters').waitFor()
  await look(t, bob.page, 'activate')
  await bob.page.locator('#field-password').fill('bobs long passphrase')
  await bob.page.getByLabel('Repeat the new password').fill('bobs long passphrase')
  await bob.page.getByRole('button', { name: 'Save password' }).click()
  await bob.page.getByText('Your password is set').waitFor()
  await bob.page.getByRole('link', { name: 'Sign in' }).click()
  await bob.page.getByLabel('Email address').fill('bob@clinic.test')
  await bob.page.getByLabel('Password').fill('bobs long passphrase')
  await bob.page.getByRole('button', { name: 'Sign in' }).click()
  await bob.page.getByRole('heading', { name: 'My account' }).waitFor()
  t.match(await bob.page.locator('main').innerText(), /Signed in as Bob Jansen/)
  await look(t, bob.page, 'my-account')
  const cookie = (await bob.context.cookies()).find(c => c.name === 'carescim_session')
  t.match(cookie, { httpOnly: true, sameSite: 'Lax', secure: false }, 'the session cookie is HTTP-only and SameSite=Lax (Secure only under https)')

  await page.goto(`${origin}/console/clinic/accounts`)
  const bobRow = page.locator('tr', { hasText: 'bob@clinic.test' })
  await bobRow.getByText('Active').waitFor()
  t.pass('the admin sees Bob active')

  t.test('the admin deactivates him: his open page is signed out at its next action', async t => {
    await bobRow.locator('summary').click()
    await bobRow.getByRole('button', { name: 'Deactivate' }).click()
    await page.getByText('Bob Jansen is deactivated.').waitFor()
    await bobRow.getByText('Inactive').waitFor()
    await bob.page.getByRole('link', { name: 'My account' }).click()
    await bob.page.getByText('Your session has ended').waitFor()
    t.match(bob.page.url(), /\/console\/clinic\/sign-in/)
  })
})

t.test('a patient enrols with the eID under the review policy; the admin approves in the console; the patient signs in', async t => {
  const patient = await newPage('da-DK')
  op.setNextLogin({ accountId: 'sanne', acr: LOA.high })
  await patient.page.goto(`${origin}/enroll/clinic/start`)
  await patient.page.getByRole('heading', { name: 'Afventer godkendelse' }).waitFor()
  t.equal(await patient.page.getAttribute('html', 'lang'), 'da', 'the result page is in the patient\'s language')
  await look(t, patient.page, 'enrolment-pending')

  const { page } = admin
  await page.goto(`${origin}/console/clinic/accounts`)
  const badge = page.locator('nav .badge')
  await badge.waitFor()
  t.equal(await badge.innerText(), '1 pending', 'the navigation shows the pending count')
  await page.getByRole('link', { name: /Login requests/ }).click()
  const request = page.getByRole('article', { name: 'Sanne Visser' })
  t.match(await request.innerText(), /BSN, verified \(not shown\)/)
  t.notMatch(await page.content(), /999999990/, 'never the national identifier in clear')
  await look(t, page, 'login-requests')
  await request.getByLabel('e-consultation').check()
  await request.getByRole('button', { name: 'Approve' }).click()
  await page.getByText('Sanne Visser is approved').waitFor()
  await badge.waitFor({ state: 'detached' })
  t.pass('no badge once nothing is pending')

  op.setNextLogin({ accountId: 'sanne', acr: LOA.high })
  await patient.page.goto(`${origin}/enroll/clinic/start`)
  await patient.page.getByRole('heading', { name: 'Velkommen' }).waitFor()
  await look(t, patient.page, 'enrolment-signed-in')
  await patient.page.getByRole('link', { name: 'Gå til din konto' }).click()
  await patient.page.getByRole('heading', { name: 'Min konto' }).waitFor()
  t.match(await patient.page.locator('main').innerText(), /Sanne Visser/)
  t.match(await patient.page.locator('main').innerText(), /e-consultation/, 'with the feature granted')
})

t.test('roles and groups, the audit log, identity providers; the language switch', async t => {
  const { page } = admin
  await page.getByRole('link', { name: 'Roles and groups' }).click()
  await page.getByRole('cell', { name: 'user-admin' }).waitFor()
  await look(t, page, 'roles-and-groups')

  await page.getByRole('link', { name: 'Audit log' }).click()
  await page.getByRole('cell', { name: 'user.created' }).first().waitFor()
  await look(t, page, 'audit-log')
  const exported = await page.request.get(`${origin}/api/v1/tenants/clinic/audit/export`)
  t.equal(exported.status(), 200)
  t.ok(exported.text().then(body => body.split('\n').filter(Boolean).every(line => JSON.parse(line).action !== undefined)), 'the export is NDJSON')

  await page.getByRole('link', { name: 'Identity providers' }).click()
  const digid = page.locator('tr', { hasText: 'DigiD' })
  await digid.waitFor()
  t.notMatch(await page.content(), /broker-secret/, 'the client secret is never shown')
  await digid.getByRole('button', { name: 'Edit' }).click()
  await page.getByLabel('Name on the sign-in button').fill('DigiD (test)')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Saved.').waitFor()
  await page.locator('tbody').getByText('DigiD (test)').waitFor()
  t.equal((await runtime.identityProviders.forPurpose(tenant, 'patient-enrolment'))!.settings.clientSecret, 'broker-secret', 'an edit without a secret keeps the secret')
  await look(t, page, 'identity-providers')

  await page.getByLabel('Language').selectOption('nl')
  await page.getByRole('link', { name: 'Gebruikers' }).click()
  await page.getByRole('heading', { name: 'Gebruikers' }).waitFor()
  await page.locator('tr', { hasText: 'owner@clinic.test' }).getByText('Actief').waitFor()
  t.pass('statuses in Dutch')
  await look(t, page, 'accounts-nl')
})

t.test('CSRF: a cookie session cannot change anything without the page\'s token', async t => {
  const cookies = (await admin.context.cookies()).map(c => `${c.name}=${c.value}`).join('; ')
  const forged = await fetch(`${origin}/api/v1/tenants/clinic/accounts`, {
    method: 'POST', headers: { cookie: cookies, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'mallory@clinic.test', givenName: 'M', familyName: 'X', roles: ['owner'] })
  })
  t.equal(forged.status, 403)
  const found = await admin.page.request.get(`${origin}/api/v1/tenants/clinic/accounts?search=mallory`)
  t.equal((await found.json()).total, 0, 'nothing was created')
})
