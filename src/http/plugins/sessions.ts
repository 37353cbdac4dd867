import { createHmac } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyJwt from '@fastify/jwt'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SessionState } from '../../domain/accounts/credential-store.js'
import type { SessionClaims, SignIn } from '../../domain/accounts/sign-in.js'
import { unauthorized } from '../../domain/errors.js'
import type { ChangeContext, ChangeSource } from '../../domain/lifecycle/change-context.js'

/** Session tokens live this long; a client signs in again or refreshes (POST /auth/refresh) before. */
const SESSION_TTL_SECONDS = 15 * 60
/** However busy, a session ends this long after its sign-in: renewals stop (a working day plus a bit). */
const SESSION_MAX_SECONDS = 12 * 60 * 60
/** Browsers (the console, eID sign-in) keep the session here, HTTP-only; API clients send it as a bearer token. */
const SESSION_COOKIE = 'carescim_session'
/** The CSRF secret (@fastify/csrf-protection); pages get the matching token in `<meta name="csrf-token">`. */
const CSRF_COOKIE = 'carescim_csrf'
const CSRF_HEADER = 'x-csrf-token'
const AUDIENCE = 'carescim'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

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
  interface FastifyReply {
    /** Starts a browser session: the signed token in the HTTP-only session cookie. */
    startSession: (claims: SessionClaims) => FastifyReply
    endSession: () => FastifyReply
  }
  interface FastifyRequest {
    /** A cookie session past half its life, renewed on the way out (a console in use stays signed in). */
    renewSession: SessionClaims | null
  }
  interface FastifyContextConfig {
    /** A route that sets a session (sign-in): the CSRF token is required even from a browser with no cookies yet. */
    csrf?: boolean
  }
}

export interface SessionsOptions { signingKey: string, signIn: SignIn, publicUrl: string }

/**
 * Sessions are HS256 JWTs (@fastify/jwt), sent as a bearer token or kept in an HTTP-only cookie.
 * CSRF: a request that carries any CareSCIM cookie, or sets a session, must send the CSRF token in
 * `x-csrf-token` when it is not a safe method. A request without our cookies has no ambient authority
 * to abuse, so API clients with bearer tokens (and SCIM clients) are not asked for one.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 */
export const sessionsPlugin = fp(async function sessions (app: FastifyInstance, { signingKey, signIn, publicUrl }: SessionsOptions) {
  const secure = publicUrl.startsWith('https:')
  await app.register(fastifyCookie, { secret: createHmac('sha256', signingKey).update('cookies').digest() })
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    // Lax, not Strict: arriving from another site (a mail link, the IdP's redirect) must not replace the
    // secret, or every other open console tab would fail its next change. The header is the protection.
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure, signed: true },
    getToken: (request: FastifyRequest) => request.headers[CSRF_HEADER] as string | undefined
  })
  await app.register(fastifyJwt, {
    secret: signingKey,
    cookie: { cookieName: SESSION_COOKIE, signed: false },
    sign: { algorithm: 'HS256', expiresIn: SESSION_TTL_SECONDS, aud: AUDIENCE },
    verify: { algorithms: ['HS256'], allowedAud: AUDIENCE }
  })

  const issueSession = (claims: SessionClaims) => ({ accessToken: app.jwt.sign(sessionClaims(claims)), tokenType: 'Bearer' as const, expiresIn: SESSION_TTL_SECONDS })
  app.decorate('issueSession', issueSession)
  app.decorateReply('startSession', function (this: FastifyReply, claims: SessionClaims) {
    return this.setCookie(SESSION_COOKIE, issueSession(claims).accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_TTL_SECONDS })
  })
  app.decorateReply('endSession', function (this: FastifyReply) {
    return this.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' })
  })
  app.decorateRequest('renewSession', null)

  app.decorate('requireSession', async (request: FastifyRequest): Promise<Session> => {
    let claims: SessionClaims & { iat?: number }
    try {
      claims = await request.jwtVerify<SessionClaims>()
    } catch {
      throw unauthorized('Sign in first: send a valid session token as "Authorization: Bearer …"')
    }
    const state = await signIn.session(claims)
    if (state === undefined) throw unauthorized('This session has ended (the account was deactivated or signed out); sign in again')
    const fromCookie = request.headers.authorization === undefined
    if (fromCookie && (claims.iat ?? 0) * 1000 < Date.now() - SESSION_TTL_SECONDS * 500 && mayRenew(claims)) request.renewSession = { ...claims, sat: claims.sat ?? claims.iat, roles: state.roles }
    return { ...state, claims }
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    // undefined on routes of plugins registered before this one (their request class predates the decoration)
    const renewal = request.renewSession ?? null
    if (renewal !== null && reply.statusCode < 400) reply.startSession(renewal)
    done(null, payload)
  })

  // Callback style: on a bad token csrfProtection answers 403 itself and never calls done.
  app.addHook('onRequest', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || (request.routeOptions.config.csrf !== true && !carriesOurCookie(request))) return done()
    app.csrfProtection(request, reply, done)
  })
}, { name: 'carescim-sessions' })

function carriesOurCookie (request: FastifyRequest): boolean {
  return Object.keys(request.cookies ?? {}).some(name => name.startsWith('carescim_'))
}

/** Only our claims: the JWT's own (iat, exp, aud) are set anew on every signing; the sign-in time is kept. */
function sessionClaims ({ sub, acc, tid, ten, roles, sep, sat }: SessionClaims): SessionClaims {
  return { sub, acc, tid, ten, roles, sep, sat: sat ?? Math.floor(Date.now() / 1000) }
}

/** Whether a session may be renewed: not past SESSION_MAX_SECONDS since its sign-in. */
export function mayRenew (claims: SessionClaims & { iat?: number }): boolean {
  return ((claims.sat ?? claims.iat ?? 0) + SESSION_MAX_SECONDS) * 1000 > Date.now()
}

/** The audit context of a request made by a signed-in person (or anonymously, before sign-in). */
export function requestContext (request: FastifyRequest, source: ChangeSource, session?: Session): ChangeContext {
  return {
    source,
    actor: session === undefined ? { type: 'system', label: 'anonymous' } : { type: 'account', id: session.claims.sub, label: session.name ?? session.email },
    requestId: request.id,
    clientIp: request.ip
  }
}
