// Several server processes on one PostgreSQL behave as one (issue #5): quotas counted in the database,
// the outbox claimed with FOR UPDATE SKIP LOCKED (no mail twice, none skipped), sessions revoked
// everywhere at once. Two app instances, each with its own runtime and pool, on the same database.
import t from 'tap'
import { buildApp } from '../../src/http/app.js'
import { openRuntime, servicesOf } from '../../src/runtime.js'
import { activate, bearer, createByOperator, login } from '../helpers/accounts.js'
import { freshDatabaseUrl, temporaryDirectory, testConfig } from '../helpers/database.js'
import { startSmtpServer } from '../helpers/smtp.js'

const databaseUrl = await freshDatabaseUrl(t)
if (databaseUrl === undefined) {
  // The embedded database belongs to one process by design; sharing it is what PostgreSQL is for.
  t.pass('skipped: two instances need a shared PostgreSQL (TEST_DATABASE_URL)')
} else {
  const smtp = await startSmtpServer(t)
  const config = testConfig({ DATABASE_URL: databaseUrl, DATA_DIR: temporaryDirectory(t), SMTP_URL: smtp.url })
  const instances = []
  for (let i = 0; i < 2; i++) {
    const runtime = await openRuntime(config)
    const app = await buildApp({ ...servicesOf(runtime), publicUrl: config.publicUrl, logLevel: false })
    t.teardown(async () => { await app.close(); await runtime.close() })
    instances.push({ runtime, app })
  }
  const [a, b] = instances as [typeof instances[0], typeof instances[0]]
  const scimToken = (await a.runtime.tenants.createTenant('shared')).token
  const { id: adminId } = await createByOperator(a.runtime, 'shared', 'admin@shared.test', ['user-admin'])

  t.test('each mail once, none skipped, with both instances sending at the same time', async t => {
    const scim = { ...bearer(scimToken), 'content-type': 'application/scim+json' }
    const created = await Promise.all(Array.from({ length: 12 }, async (_, i) => await (i % 2 === 0 ? a : b).app.inject({
      method: 'POST', url: '/scim/v2/shared/Users', headers: scim,
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `staff${i}@shared.test` }
    })))
    t.same(created.map(r => r.statusCode), Array(12).fill(201))
    await Promise.all([a.runtime.mailer.worker.drain(), b.runtime.mailer.worker.drain(), a.runtime.mailer.worker.drain()])
    const ids = smtp.messages.map(m => m.messageId)
    t.equal(new Set(ids).size, ids.length, 'no Message-ID twice')
    const recipients = smtp.messages.map(m => m.to === undefined || Array.isArray(m.to) ? '' : m.to.text).sort()
    t.same(recipients, ['admin@shared.test', ...Array.from({ length: 12 }, (_, i) => `staff${i}@shared.test`)].sort(), 'every activation mail, once')
  })

  t.test('a daily quota holds across instances under concurrent writes', async t => {
    const tenant = (await a.runtime.tenants.findBySlug('shared'))!
    await a.runtime.tenants.configure('shared', { ...tenant.settings, quotas: { create: 13 + 5 } }) // 13 made above
    const scim = { ...bearer(scimToken), 'content-type': 'application/scim+json' }
    const results = await Promise.all(Array.from({ length: 10 }, async (_, i) => await (i % 2 === 0 ? a : b).app.inject({
      method: 'POST', url: '/scim/v2/shared/Users', headers: scim,
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `more${i}@shared.test` }
    })))
    t.equal(results.filter(r => r.statusCode === 201).length, 5, 'exactly the quota is created')
    t.equal(results.filter(r => r.statusCode === 429).length, 5, 'the rest is refused')
  })

  t.test('a deactivation on one instance ends the session on the other at once', async t => {
    const mail = smtp.messages.find(m => !Array.isArray(m.to) && m.to?.text === 'admin@shared.test')!
    t.equal(await activate(a.app, mail), 204)
    const admin = await login(a.app, 'shared', 'admin@shared.test')
    t.equal((await b.app.inject({ method: 'GET', url: '/api/v1/tenants/shared/accounts', headers: bearer(admin.token!) })).statusCode, 200, "one instance's session works on the other")
    const member = await b.app.inject({ method: 'POST', url: '/api/v1/tenants/shared/accounts', headers: bearer(admin.token!), payload: { email: 'cover@shared.test', givenName: 'C', familyName: 'Cover', roles: ['user-admin'] } })
    t.equal(member.statusCode, 429, 'the create quota is used up for today on both')
    const scim = { ...bearer(scimToken), 'content-type': 'application/scim+json' }
    const deactivate = await b.app.inject({
      method: 'PATCH', url: `/scim/v2/shared/Users/${adminId}`, headers: scim,
      payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }
    })
    t.equal(deactivate.statusCode, 409, 'not the last user administrator')
    const tenant = (await a.runtime.tenants.findBySlug('shared'))!
    await a.runtime.tenants.configure('shared', { ...tenant.settings, quotas: {} })
    const second = await b.app.inject({ method: 'POST', url: '/api/v1/tenants/shared/accounts', headers: bearer(admin.token!), payload: { email: 'cover@shared.test', givenName: 'C', familyName: 'Cover', roles: ['user-admin'] } })
    t.equal(second.statusCode, 201)
    await b.runtime.mailer.worker.drain()
    const coverMail = smtp.messages.find(m => !Array.isArray(m.to) && m.to?.text === 'cover@shared.test')!
    t.equal(await activate(b.app, coverMail), 204)
    t.equal((await b.app.inject({ method: 'PATCH', url: `/scim/v2/shared/Users/${adminId}`, headers: scim, payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] } })).statusCode, 200)
    t.equal((await a.app.inject({ method: 'GET', url: '/api/v1/tenants/shared/accounts', headers: bearer(admin.token!) })).statusCode, 401, 'refused on the other instance at once')
  })
}
