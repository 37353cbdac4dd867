import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/http/app.js'
import { openDatabase } from '../../src/persistence/database.js'
import { servicesOf } from '../../src/runtime.js'
import { startTestApp } from '../helpers/app.js'

t.test('health, readiness, metrics and OpenAPI docs', async t => {
  const { app } = await startTestApp(t)

  const healthz = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(healthz.statusCode, 200)
  t.same(healthz.json(), { status: 'ok' })

  const readyz = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(readyz.statusCode, 200)
  t.same(readyz.json(), { status: 'ready' })

  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.headers['content-type'], /^text\/plain/)
  t.match(metrics.body, /http_request_duration_seconds_count\{method="GET",route="\/readyz",status_code="200"\} 1/, 'per-route request count')
  t.match(metrics.body, /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"/, 'per-route latency histogram')
  t.match(metrics.body, /db_pool_connections\{state="used"\} \d+/, 'database pool')
  t.match(metrics.body, /process_resident_memory_bytes \d+/, 'process defaults')

  const openapi = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(openapi.statusCode, 200)
  const spec = openapi.json()
  t.match(spec.openapi, /^3\./)
  t.ok(spec.paths['/readyz'], 'routes documented from their own schemas')
  t.ok(spec.paths['/scim/v2/{tenant}/ServiceProviderConfig'], 'SCIM routes documented')
  const ui = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /^text\/html/)
  // Swagger UI styles itself at run time: /docs alone may use inline styles and data: images.
  t.match(ui.headers['content-security-policy'], /style-src 'self' 'unsafe-inline'/)
  t.match(ui.headers['content-security-policy'], /img-src 'self' data:/)
  t.equal(ui.headers['x-frame-options'], 'SAMEORIGIN')
  // Answers that are data, not documents: the OWASP REST set (nothing to load, frame, sniff or cache).
  t.equal(metrics.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'")
  t.match(metrics.headers, { 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'cross-origin-resource-policy': 'same-origin' })
  t.match(metrics.headers['strict-transport-security'], /max-age=\d+/)
  const page = await app.inject({ method: 'GET', url: '/console' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-security-policy'], /default-src 'none';script-src 'self';style-src 'self'/, 'pages keep their document policy')
  t.notMatch(page.headers['content-security-policy'], /unsafe-inline/)
  t.match(page.headers, { 'x-frame-options': 'SAMEORIGIN', 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'no-store' })
  const css = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' })
  t.equal(css.statusCode, 200, 'Swagger UI assets served locally, no CDN')
})

t.test('readyz is 503 when the database is unreachable', async t => {
  const { runtime } = await startTestApp(t)
  const database = await openDatabase({ databaseUrl: runtime.config.databaseUrl, dataDir: undefined, poolMax: 1 })
  const app = await buildApp({
    ...servicesOf(runtime),
    orm: database.orm,
    pingDatabase: database.ping,
    publicUrl: 'http://x',
    logLevel: false
  })
  t.teardown(async () => await app.close())
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await database.close()
  const response = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(response.statusCode, 503)
  t.same(response.json(), { status: 'unavailable', reason: 'database unreachable' })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process itself is still up')
})

t.test('logs carry request ids and never the bearer token', async t => {
  const { runtime } = await startTestApp(t)
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const app = await buildApp({
    ...servicesOf(runtime),
    publicUrl: 'http://x',
    logLevel: 'trace',
    logStream: stream
  })
  t.teardown(async () => await app.close())
  const { token } = await runtime.tenants.createTenant('logged')
  const response = await app.inject({
    method: 'GET',
    url: '/scim/v2/logged/ServiceProviderConfig?token=secret-in-query',
    headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-123' }
  })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['x-request-id'], 'req-123', 'request id echoed')
  const log = lines.join('')
  t.match(log, /"reqId":"req-123"/)
  t.notMatch(log, token, 'token not logged')
  // The whole secret: its last 43 characters (base64url has '_' too, so split('_') could cut out a one-letter piece).
  t.notMatch(log, token.slice(-43), 'token secret not logged')
  t.notMatch(log, 'secret-in-query', 'query strings not logged')
})
