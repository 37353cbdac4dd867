import { createHash } from 'node:crypto'
import * as client from 'openid-client'

/** What CareSCIM needs to talk to one OpenID Provider (an identity_provider row, its secret opened). */
export interface OidcProviderSettings {
  id: string
  issuer: string
  clientId: string
  clientSecret: string
  scopes: string
  /** Acceptable acr values; sent as acr_values and checked in the ID token. Empty = any. */
  acrValues: string[]
}

/** Kept by the browser (signed cookie) between the redirect and the callback. */
export interface PendingAuthorization {
  codeVerifier: string
  state: string
  nonce: string
}

export class ProviderUnavailableError extends Error {}
export class AuthenticationFailedError extends Error {}

const DISCOVERY_TTL_MS = 60 * 60 * 1000

/**
 * The relying party: authorization code flow with PKCE (S256), state and nonce (openid-client 6 checks
 * issuer, audience, expiry, nonce and signature; on an unknown key id it refetches the provider's JWKS,
 * so a key rotation needs nothing from us). Discovery is cached per provider for an hour.
 */
export class OidcRelyingParty {
  private readonly configurations = new Map<string, { configuration: Promise<client.Configuration>, expires: number }>()

  constructor (private readonly redirectUri: string) {}

  async start (provider: OidcProviderSettings): Promise<{ url: string, pending: PendingAuthorization }> {
    const configuration = await this.configuration(provider)
    const pending = { codeVerifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() }
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: provider.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(provider.acrValues.length > 0 ? { acr_values: provider.acrValues.join(' ') } : {})
    })
    return { url: url.href, pending }
  }

  /** The verified claims of the ID token, completed by userinfo (the ID token's values win). */
  async finish (provider: OidcProviderSettings, callbackUrl: URL, pending: PendingAuthorization): Promise<Record<string, unknown>> {
    const configuration = await this.configuration(provider)
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true
      })
    } catch (error) {
      throw unreachable(error) ? new ProviderUnavailableError('The identity provider did not answer', { cause: error }) : new AuthenticationFailedError('The sign-in could not be verified', { cause: error })
    }
    const idToken = tokens.claims()!
    let userinfo: Record<string, unknown> = {}
    if (configuration.serverMetadata().userinfo_endpoint !== undefined) {
      try {
        userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub)
      } catch (error) {
        if (unreachable(error)) throw new ProviderUnavailableError('The identity provider did not answer', { cause: error })
        throw new AuthenticationFailedError('The identity provider refused the user information', { cause: error })
      }
    }
    return { ...userinfo, ...idToken }
  }

  private async configuration (provider: OidcProviderSettings): Promise<client.Configuration> {
    // The secret is part of the key: after an admin changes it, the next sign-in uses the new one.
    const key = `${provider.id}\u0000${provider.issuer}\u0000${provider.clientId}\u0000${createHash('sha256').update(provider.clientSecret).digest('base64url')}`
    const cached = this.configurations.get(key)
    if (cached !== undefined && cached.expires > Date.now()) return await cached.configuration
    const configuration = discover(provider)
    this.configurations.set(key, { configuration, expires: Date.now() + DISCOVERY_TTL_MS })
    try {
      return await configuration
    } catch (error) {
      this.configurations.delete(key) // a provider that was down is asked again next time
      throw new ProviderUnavailableError(`The identity provider ${provider.issuer} cannot be reached`, { cause: error })
    }
  }
}

async function discover (provider: OidcProviderSettings): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer)
  // Plain http only for a provider on this machine (development, tests); anything else must be https.
  const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
  // openid-client tolerates 30 s of clock skew between the provider and this server by default.
  return await client.discovery(issuer, provider.clientId, provider.clientSecret, undefined, loopback ? { execute: [client.allowInsecureRequests] } : {})
}

function unreachable (error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause
  return error instanceof TypeError || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT'].includes(cause?.code ?? '')
}
