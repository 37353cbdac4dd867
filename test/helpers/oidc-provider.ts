import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import type { Adapter, AdapterPayload, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider'
import type { Teardown } from './database.js'

// oidc-provider warns "Unsupported runtime" on Node 20 when the module loads (it works): import it with
// console.warn held back for that one line, so test output stays readable.
const { default: Provider, interactionPolicy } = await (async () => {
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return
    warn(...args)
  }
  try {
    return await import('oidc-provider')
  } finally {
    console.warn = warn
  }
})()

type ProviderInstance = InstanceType<typeof Provider>

/** Levels of assurance as eIDAS brokers (DigiD, MitID, …) send them in `acr`. */
export const LOA = {
  low: 'urn:eidas:loa:low',
  substantial: 'urn:eidas:loa:substantial',
  high: 'urn:eidas:loa:high'
} as const

export interface TestClient {
  clientId: string
  /** Without a secret the client is public (token_endpoint_auth_method none, PKCE only). */
  clientSecret?: string
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
}

/** What the eID "user" does at the next interaction: log in as an account, or cancel / fail. */
export type NextLogin =
  | { accountId: string, acr?: string, amr?: string[] }
  | { error: string, errorDescription?: string }

export interface OidcProviderOptions {
  clients?: TestClient[]
  /** Accounts by id; the id is the `sub` unless the claims say otherwise. */
  accounts?: Record<string, Record<string, unknown>>
  nextLogin?: NextLogin
  /**
   * Whether a login at the provider carries over to the next authorization request in the same browser.
   * Default false: every authorization request shows the (instant) login, as DigiD does, so `setNextLogin`
   * decides every flow; `prompt=none` then answers login_required.
   */
  sso?: boolean
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port>, stable across down()/up() and rotateKeys(). */
  issuer: string
  addClient: (client: TestClient) => void
  setAccount: (id: string, claims: Record<string, unknown>) => void
  /** Sticky: stays in force for every following interaction until set again. */
  setNextLogin: (login: NextLogin) => void
  /** Authorization request parameters of each interaction the provider started, oldest first. */
  interactions: Array<Record<string, unknown>>
  /** kid of the signing key currently published (and used). */
  readonly kid: string
  /** A new RS256 key with a new kid; the old key is no longer published nor used. */
  rotateKeys: () => Promise<void>
  /** Stop listening and drop open connections: clients get ECONNREFUSED. State (codes, sessions) is kept. */
  down: () => Promise<void>
  /** Listen again on the same port. */
  up: () => Promise<void>
  close: () => Promise<void>
}

// Claims by scope. `acr`/`amr` ride on `openid` so every ID token says how the user logged in, whether or
// not the relying party sent acr_values (oidc-provider drops acr entirely when acrValues is empty).
const claims = {
  openid: ['sub', 'acr', 'amr'],
  profile: ['given_name', 'family_name', 'birthdate'],
  email: ['email', 'email_verified'],
  national_id: ['bsn', 'cpr', 'hetu', 'kvnr']
}

/**
 * An OpenID Provider for one test, standing in for a national eID broker (DigiD/MitID behind OIDC): code flow,
 * PKCE (S256) required, no consent, and an interaction that logs in whatever `setNextLogin` says at once.
 * Closed when the test ends.
 */
export async function startOidcProvider (t: Teardown, options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}))
  let nextLogin = options.nextLogin
  const interactions: Array<Record<string, unknown>> = []
  // Shared by every Provider instance this harness makes (rotateKeys makes a new one): codes, sessions and
  // clients survive a key rotation.
  const store = new MemoryStore()
  const cookieKeys = [randomBytes(32).toString('base64url')]

  let provider: ProviderInstance | undefined
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  let kid = ''

  const server = createServer((req, res) => {
    // No keep-alive: after down() a client's next request must meet a refused connection, not a pooled
    // socket that the server has just reset.
    res.setHeader('connection', 'close')
    if (provider !== undefined && req.url?.startsWith('/interaction/') === true) {
      interact(provider, req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    handler?.(req, res)
  })
  await listen(server, 0)
  const port = (server.address() as AddressInfo).port
  const issuer = `http://127.0.0.1:${port}`

  async function interact (op: ProviderInstance, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await op.interactionDetails(req, res)
    interactions.push({ ...details.params })
    const login = nextLogin
    if (login === undefined || 'error' in login) {
      await op.interactionFinished(req, res, {
        error: login?.error ?? 'access_denied',
        error_description: login === undefined ? 'test OP: no login configured (setNextLogin)' : login.errorDescription
      }, { mergeWithLastSubmission: false })
      return
    }
    // A different account than the one logged in: oidc-provider would answer with a "log out first?" form.
    // A fresh eID login replaces the previous one, so forget the old account on the session, and unbind the
    // interaction from that session's principal (or it reports "session principal changed").
    if (details.session !== undefined && details.session.accountId !== login.accountId) {
      const session = await op.Session.findByUid(details.session.uid)
      if (session !== undefined) {
        session.accountId = undefined as unknown as string
        await session.persist()
      }
      delete details.session
      await details.save(details.exp - Math.floor(Date.now() / 1000))
    }
    await op.interactionFinished(req, res, {
      login: { accountId: login.accountId, acr: login.acr ?? LOA.substantial, ...(login.amr === undefined ? {} : { amr: login.amr }) }
    }, { mergeWithLastSubmission: false })
  }

  function configuration (jwk: JWK): Configuration {
    const policy = interactionPolicy.base()
    if (options.sso !== true) {
      // Re-authenticate on every authorization request unless this request is the one returning from login.
      policy.get('login')!.checks.add(new interactionPolicy.Check('always_login', 'End-User authentication is required', 'login_required',
        ctx => ctx.oidc.result?.login === undefined ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT))
    }
    return {
      adapter: (model: string) => store.adapter(model),
      jwks: { keys: [jwk] },
      cookies: { keys: cookieKeys },
      claims,
      acrValues: Object.values(LOA),
      scopes: ['openid', 'offline_access', ...Object.keys(claims).filter(scope => scope !== 'openid')],
      // Requested scope claims go into the ID token as well, not only to userinfo.
      conformIdTokenClaims: false,
      responseTypes: ['code'],
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: true },
        revocation: { enabled: true },
        rpInitiatedLogout: { enabled: true }
      },
      interactions: {
        policy,
        url: (_ctx, interaction) => `/interaction/${interaction.uid}`
      },
      findAccount: (_ctx, id) => {
        const account = accounts.get(id)
        if (account === undefined) return undefined
        return { accountId: id, claims: () => ({ sub: id, ...account }) as { sub: string } }
      },
      // No consent screen: grant whatever OIDC scopes and claims the request asks for.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId })
        grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '))
        grant.addOIDCClaims([...ctx.oidc.requestParamClaims])
        await grant.save()
        return grant
      },
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
        RefreshToken: 86400
      }
    }
  }

  async function useNewKey (): Promise<void> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const jwk = { ...await exportJWK(privateKey), kid: randomUUID(), alg: 'RS256', use: 'sig' }
    provider = new Provider(issuer, configuration(jwk))
    handler = provider.callback()
    kid = jwk.kid
  }

  await useNewKey()
  for (const client of options.clients ?? []) addClient(client)

  function addClient (client: TestClient): void {
    const metadata: ClientMetadata = {
      client_id: client.clientId,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...(client.clientSecret === undefined
        ? { token_endpoint_auth_method: 'none' }
        : { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' })
    }
    // Clients live in the adapter (oidc-provider's `clients` option is fixed at construction).
    store.set(`Client:${client.clientId}`, metadata as unknown as AdapterPayload)
  }

  let running = true
  async function down (): Promise<void> {
    if (!running) return
    running = false
    const closed = new Promise<void>(resolve => server.close(() => resolve()))
    server.closeAllConnections()
    await closed
  }

  t.teardown(down)

  return {
    issuer,
    addClient,
    setAccount: (id, accountClaims) => { accounts.set(id, accountClaims) },
    setNextLogin: login => { nextLogin = login },
    interactions,
    get kid () { return kid },
    rotateKeys: useNewKey,
    down,
    up: async () => {
      if (running) return
      await listen(server, port)
      running = true
    },
    close: down
  }
}

async function listen (server: ReturnType<typeof createServer>, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** oidc-provider's storage, in memory (its own memory adapter is one store per process, shared by all providers). */
class MemoryStore {
  private readonly entries = new Map<string, { payload: AdapterPayload, expiresAt: number }>()

  get (key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.payload
  }

  set (key: string, payload: AdapterPayload, expiresIn?: number): void {
    this.entries.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 })
  }

  adapter (model: string): Adapter {
    const key = (id: string): string => `${model}:${id}`
    const findBy = (field: 'uid' | 'userCode', value: string): AdapterPayload | undefined => {
      for (const k of this.entries.keys()) {
        if (!k.startsWith(`${model}:`)) continue
        const payload = this.get(k)
        if (payload?.[field] === value) return payload
      }
      return undefined
    }
    return {
      upsert: async (id, payload, expiresIn) => { this.set(key(id), payload, expiresIn) },
      find: async id => this.get(key(id)),
      findByUid: async uid => findBy('uid', uid),
      findByUserCode: async userCode => findBy('userCode', userCode),
      consume: async id => {
        const payload = this.get(key(id))
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000)
      },
      destroy: async id => { this.entries.delete(key(id)) },
      revokeByGrantId: async grantId => {
        for (const [k, entry] of this.entries) {
          if (entry.payload.grantId === grantId) this.entries.delete(k)
        }
      }
    }
  }
}
