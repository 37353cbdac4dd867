import { createHmac } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { SessionState } from '../../domain/accounts/credential-store.js'
import type { SessionClaims, SignIn } from '../../domain/accounts/sign-in.js'
import { unauthorized } from '../../domain/errors.js'
import type { ChangeContext, ChangeSource } from '../../domain/lifecycle/change-context.js'

/** Session tokens live this long; a client signs in again or refreshes (POST /auth/refresh) before. */
export const SESSION_TTL_SECONDS = 15 * 60
/** Browser flows (eID sign-in) leave the session here, HTTP-only; API clients send it as a bearer token. */
export const SESSION_COOKIE = 'carescim_session'
const AUDIENCE = 'carescim'

export interface Session extends SessionState {
  claims: SessionClaims
}

declare module '@fastify/jwt' {
  interface FastifyJWT { payload: SessionClaims, user: SessionClaims }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs a session token for these claims. */
    issueSession: (claims: SessionClaims) => { accessToken: string, tokenType: 'Bearer', expiresIn: number }
    /** The caller's session, checked against the database (revocation, status); 401 otherwise. */
    requireSession: (request: FastifyRequest) => Promise<Session>
  }
}

export const sessionsPlugin = fp(async function sessions (app: FastifyInstance, { signingKey, signIn }: { signingKey: string, signIn: SignIn }) {
  await app.register(fastifyCookie, { secret: createHmac('sha256', signingKey).update('cookies').digest() })
  await app.register(fastifyJwt, {
    secret: signingKey,
    cookie: { cookieName: SESSION_COOKIE, signed: false },
    sign: { algorithm: 'HS256', expiresIn: SESSION_TTL_SECONDS, aud: AUDIENCE },
    verify: { algorithms: ['HS256'], allowedAud: AUDIENCE }
  })
  app.decorate('issueSession', (claims: SessionClaims) => ({ accessToken: app.jwt.sign(claims), tokenType: 'Bearer' as const, expiresIn: SESSION_TTL_SECONDS }))
  app.decorate('requireSession', async (request: FastifyRequest): Promise<Session> => {
    let claims: SessionClaims
    try {
      claims = await request.jwtVerify<SessionClaims>()
    } catch {
      throw unauthorized('Sign in first: send a valid session token as "Authorization: Bearer …"')
    }
    const state = await signIn.session(claims)
    if (state === undefined) throw unauthorized('This session has ended (the account was deactivated or signed out); sign in again')
    return { ...state, claims }
  })
}, { name: 'carescim-sessions' })

/** The audit context of a request made by a signed-in person (or anonymously, before sign-in). */
export function requestContext (request: FastifyRequest, source: ChangeSource, session?: Session): ChangeContext {
  return {
    source,
    actor: session === undefined ? { type: 'system', label: 'anonymous' } : { type: 'account', id: session.claims.sub, label: session.name ?? session.email },
    requestId: request.id,
    clientIp: request.ip
  }
}
