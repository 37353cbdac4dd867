import t from 'tap'
import Fastify from 'fastify'
import { decodeProtectedHeader } from 'jose'
import * as client from 'openid-client'
import { TestBrowser } from '../helpers/browser.js'
import type { Teardown } from '../helpers/database.js'
import { LOA, startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js'

// Proves the test OpenID Provider and TestBrowser with openid-client as the relying party (no CareSCIM code).

const redirectUri = 'http://carescim.test/auth/callback'
const scope = 'openid profile email national_id'
const jan = {
  bsn: '999999990',
  given_name: 'Jan',
  family_name: 'Jansen',
  birthdate: '1980-01-31',
  email: 'jan@example.test',
  email_verified: true
}

async function startProvider (t: Teardown): Promise<TestOidcProvider> {
  const op = await startOidcProvider(t, {
    clients: [{ clientId: 'carescim', clientSecret: 'secret', redirectUris: [redirectUri] }],
    accounts: { 'user-jan': jan }
  })
  op.setNextLogin({ accountId: 'user-jan', acr: LOA.high })
  return op
}

async function discover (op: TestOidcProvider): Promise<client.Configuration> {
  return await client.discovery(new URL(op.issuer), 'carescim', 'secret', undefined, { execute: [client.allowInsecureRequests] })
}

interface Flow { callback: URL, verifier: string, state: string, nonce: string }

/** From the authorization URL to the redirect_uri, captured without requesting it. */
async function authorize (config: client.Configuration, browser: TestBrowser, extra: Record<string, string> = {}): Promise<Flow> {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    acr_values: `${LOA.substantial} ${LOA.high}`,
    ...extra
  })
  return { callback: new URL(await browser.followUntil(url.href, redirectUri)), verifier, state, nonce }
}

async function exchange (config: client.Configuration, flow: Flow): ReturnType<typeof client.authorizationCodeGrant> {
  return await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true
  })
}

t.test('code flow with PKCE: ID token carries the national id, acr and profile claims; userinfo too', async t => {
  const op = await startProvider(t)
  const config = await discover(op)
  t.same(config.serverMetadata().acr_values_supported, [LOA.low, LOA.substantial, LOA.high])
  t.same(config.serverMetadata().code_challenge_methods_supported, ['S256'])

  const browser = new TestBrowser()
  const flow = await authorize(config, browser)
  t.equal(flow.callback.searchParams.get('state'), flow.state)
  t.equal(op.interactions.length, 1, 'one login interaction')
  t.equal(op.interactions[0]?.acr_values, `${LOA.substantial} ${LOA.high}`, 'the interaction saw the request parameters')

  const tokens = await exchange(config, flow)
  const claims = tokens.claims()!
  t.match(claims, {
    sub: 'user-jan',
    acr: LOA.high,
    bsn: '999999990',
    given_name: 'Jan',
    family_name: 'Jansen',
    birthdate: '1980-01-31',
    email: 'jan@example.test',
    email_verified: true,
    nonce: flow.nonce
  })
  t.equal(decodeProtectedHeader(tokens.id_token!).kid, op.kid)

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'user-jan')
  t.match(userinfo, { sub: 'user-jan', bsn: '999999990', given_name: 'Jan', birthdate: '1980-01-31' })
})

t.test('only the requested scopes\' claims; acr is there without acr_values', async t => {
  const op = await startProvider(t)
  op.setNextLogin({ accountId: 'user-jan' })
  const config = await discover(op)
  const flow = await authorize(config, new TestBrowser(), { scope: 'openid', acr_values: '' })
  const claims = (await exchange(config, flow)).claims()!
  t.equal(claims.acr, LOA.substantial, 'default level: substantial')
  t.equal(claims.bsn, undefined)
  t.equal(claims.given_name, undefined)
})

t.test('every authorization request logs in again; a different account replaces the previous one', async t => {
  const op = await startProvider(t)
  op.setAccount('user-piet', { bsn: '999998869', given_name: 'Piet', family_name: 'Pietersen', birthdate: '1975-05-05' })
  const config = await discover(op)
  const browser = new TestBrowser()
  t.equal((await exchange(config, await authorize(config, browser))).claims()!.sub, 'user-jan')

  op.setNextLogin({ accountId: 'user-piet', acr: LOA.low })
  const claims = (await exchange(config, await authorize(config, browser))).claims()!
  t.match(claims, { sub: 'user-piet', acr: LOA.low, bsn: '999998869' })
  t.equal(op.interactions.length, 2)

  const none = await authorize(config, browser, { prompt: 'none' })
  t.equal(none.callback.searchParams.get('error'), 'login_required', 'no SSO: prompt=none cannot succeed')
})

t.test('a cancelled login comes back as an error to the redirect_uri', async t => {
  const op = await startProvider(t)
  op.setNextLogin({ error: 'access_denied', errorDescription: 'user cancelled at DigiD' })
  const config = await discover(op)
  const flow = await authorize(config, new TestBrowser())
  t.equal(flow.callback.searchParams.get('error'), 'access_denied')
  t.equal(flow.callback.searchParams.get('error_description'), 'user cancelled at DigiD')
  await t.rejects(exchange(config, flow), { name: 'AuthorizationResponseError', error: 'access_denied' })
})

t.test('a replayed code is refused (invalid_grant)', async t => {
  const op = await startProvider(t)
  const config = await discover(op)
  const flow = await authorize(config, new TestBrowser())
  await exchange(config, flow)
  await t.rejects(exchange(config, flow), { name: 'ResponseBodyError', error: 'invalid_grant' })
})

t.test('key rotation: new kid, old key no longer published', async t => {
  const op = await startProvider(t)
  const config = await discover(op)
  const browser = new TestBrowser()
  const oldKid = decodeProtectedHeader((await exchange(config, await authorize(config, browser))).id_token!).kid
  t.equal(oldKid, op.kid)

  await op.rotateKeys()
  t.not(op.kid, oldKid)
  const published = await (await fetch(config.serverMetadata().jwks_uri!)).json() as { keys: Array<{ kid: string }> }
  t.same(published.keys.map(key => key.kid), [op.kid], 'only the new key is published')
  const after = await exchange(config, await authorize(config, browser))
  t.equal(decodeProtectedHeader(after.id_token!).kid, op.kid, 'new tokens are signed with the new key')
  // By default openid-client does not verify the signature of an ID token from the token endpoint (TLS
  // authenticates it, OIDC Core 3.1.3.7): it never even fetched the JWKS.
  t.equal(client.getJwksCache(config), undefined, 'no JWKS fetched without enableNonRepudiationChecks')
})

t.test('key rotation with signature checks: a cached JWKS is refetched on an unknown kid once a minute old', async t => {
  const op = await startProvider(t)
  const verifying = async (): Promise<client.Configuration> => await client.discovery(new URL(op.issuer), 'carescim', 'secret', undefined,
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] })
  const config = await verifying()
  const browser = new TestBrowser()
  const oldKid = decodeProtectedHeader((await exchange(config, await authorize(config, browser))).id_token!).kid
  const cached = client.getJwksCache(config)!
  t.same(cached.jwks.keys.map(key => key.kid), [oldKid], 'the relying party cached the JWKS')

  await op.rotateKeys()
  // oauth4webapi refetches on an unknown kid only when its cached JWKS is >= 60 s old: right after a fetch,
  // a key the cache lacks fails key selection.
  await t.rejects(exchange(config, await authorize(config, browser)), { message: /no applicable keys found/ })

  // A relying party whose cached JWKS (the old key only) is over a minute old refetches and validates.
  const later = await verifying()
  client.setJwksCache(later, { ...cached, uat: cached.uat - 61 })
  const after = await exchange(later, await authorize(later, browser))
  t.equal(decodeProtectedHeader(after.id_token!).kid, op.kid)
  t.same(client.getJwksCache(later)!.jwks.keys.map(key => key.kid), [op.kid], 'the cache now holds the new key')
})

t.test('down: connection refused for discovery and token; up: state kept', async t => {
  const op = await startProvider(t)
  const config = await discover(op)
  const flow = await authorize(config, new TestBrowser())

  await op.down()
  await t.rejects(discover(op), { cause: { code: 'ECONNREFUSED' } })
  await t.rejects(exchange(config, flow), { cause: { code: 'ECONNREFUSED' } })

  await op.up()
  t.equal((await exchange(config, flow)).claims()!.sub, 'user-jan', 'the code issued before going down still works')
})

t.test('TestBrowser with an injected app: cookies across hosts, callback handled by the app', async t => {
  const op = await startProvider(t)
  const config = await discover(op)
  const app = Fastify()
  t.teardown(() => app.close())
  const pending = new Map<string, { verifier: string, nonce: string }>()
  app.get('/login', async (_request, reply) => {
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    pending.set(state, { verifier, nonce })
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope, state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256'
    })
    return await reply.header('set-cookie', `rp_state=${state}; Path=/auth; HttpOnly`).redirect(url.href)
  })
  app.get('/auth/callback', async (request, reply) => {
    const state = /rp_state=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? ''
    const { verifier, nonce } = pending.get(state)!
    const tokens = await client.authorizationCodeGrant(config, new URL(request.url, 'http://carescim.test'), {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce
    })
    return await reply.header('set-cookie', 'rp_state=; Path=/auth; Max-Age=0')
      .header('set-cookie', `session=${tokens.claims()!.sub}; Path=/`)
      .redirect('/home')
  })
  app.get('/home', async request => ({ cookie: request.headers.cookie }))

  const browser = new TestBrowser({ appOrigin: 'http://carescim.test', inject: req => app.inject(req) })
  const response = await browser.get('http://carescim.test/login')
  t.equal(response.status, 200)
  t.equal(response.url, 'http://carescim.test/home')
  t.same(JSON.parse(response.body), { cookie: 'session=user-jan' }, 'the state cookie was deleted, the session cookie set')
  t.equal(browser.cookie('http://carescim.test/auth/callback', 'rp_state'), undefined)
  t.ok(response.redirects.some(url => url.startsWith(op.issuer)), 'went through the provider')
  t.equal(response.redirects.at(-2), `${redirectUri}?${new URL(response.redirects.at(-2)!).searchParams}`)
  t.ok(browser.cookie(op.issuer, '_session') !== undefined, 'the provider\'s session cookie is kept for its host')
})
