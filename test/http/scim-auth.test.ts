import t from 'tap'
import { startTestApp } from '../helpers/app.js'

t.test('SCIM bearer token authentication per tenant', async t => {
  const { app, tenant, runtime } = await startTestApp(t)
  const annaToken = await tenant('anna')
  const bertToken = await tenant('bert')

  const get = async (slug: string, authorization?: string) => await app.inject({
    method: 'GET',
    url: `/scim/v2/${slug}/ServiceProviderConfig`,
    headers: authorization === undefined ? {} : { authorization }
  })

  const expectUnauthorized = (response: Awaited<ReturnType<typeof get>>, label: string) => {
    t.equal(response.statusCode, 401, label)
    t.equal(response.headers['www-authenticate'], 'Bearer realm="CareSCIM", error="invalid_token"', `${label}: WWW-Authenticate`)
    t.match(response.headers['content-type'], /^application\/scim\+json/, `${label}: content type`)
    t.same(response.json(), {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: 'Authorization failure. The authorization header is invalid or missing.'
    }, `${label}: SCIM error body`)
  }

  t.equal((await get('anna', `Bearer ${annaToken}`)).statusCode, 200, 'right token')
  t.equal((await get('anna', `bearer ${annaToken}`)).statusCode, 200, 'scheme is case-insensitive (RFC 7235 §2.1)')
  expectUnauthorized(await get('anna'), 'no token')
  expectUnauthorized(await get('anna', 'Bearer nonsense'), 'malformed token')
  expectUnauthorized(await get('anna', `Basic ${Buffer.from('a:b').toString('base64')}`), 'other scheme')
  expectUnauthorized(await get('anna', `Bearer ${annaToken.slice(0, -1)}${annaToken.endsWith('A') ? 'B' : 'A'}`), 'wrong secret')
  expectUnauthorized(await get('anna', `Bearer ${bertToken}`), "another tenant's valid token")
  expectUnauthorized(await get('nobody', `Bearer ${annaToken}`), 'unknown tenant')

  const rotated = await runtime.tenants.rotateToken('anna')
  expectUnauthorized(await get('anna', `Bearer ${annaToken}`), 'rotated-out token')
  t.equal((await get('anna', `Bearer ${rotated.token}`)).statusCode, 200, 'new token works')
  t.equal((await get('bert', `Bearer ${bertToken}`)).statusCode, 200, "rotation leaves other tenants' tokens alone")
})

t.test('unknown SCIM paths are a SCIM 404 once authenticated', async t => {
  const { app, tenant } = await startTestApp(t)
  const token = await tenant('clinic')
  const response = await app.inject({ method: 'GET', url: '/scim/v2/clinic/Nonsense', headers: { authorization: `Bearer ${token}` } })
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], /^application\/scim\+json/)
  t.same(response.json(), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'No SCIM endpoint at /scim/v2/clinic/Nonsense' })
  const unauthenticated = await app.inject({ method: 'GET', url: '/scim/v2/clinic/Nonsense' })
  t.equal(unauthenticated.statusCode, 401, 'authentication comes before routing: no probing of paths')
})
