import type { FastifyInstance } from 'fastify'
import type { SignIn } from '../../domain/accounts/sign-in.js'
import { PASSWORD_MAX_LENGTH } from '../../identity/password-policy.js'
import type { SessionClaims } from '../../domain/accounts/sign-in.js'
import { notFound, unauthorized } from '../../domain/errors.js'
import type { IdentityProviders } from '../../domain/enrolment/identity-providers.js'
import type { TenantService } from '../../domain/tenants/tenant-service.js'
import { apiErrorHandler } from '../plugins/api-errors.js'
import { mayRenew, requestContext } from '../plugins/sessions.js'

const email = { type: 'string', minLength: 3, maxLength: 254 }
const tenant = { type: 'string', minLength: 1, maxLength: 63 }
const sessionResponse = {
  type: 'object',
  properties: { accessToken: { type: 'string' }, tokenType: { type: 'string' }, expiresIn: { type: 'integer' } }
}

export interface AuthRoutesOptions {
  signIn: SignIn
  tenants: TenantService
  identityProviders: IdentityProviders
}

/** design.md "Sessions" (contract): activate, login, forgot; plus refresh, the browser's cookie session and what a sign-in page offers (the /activate page is the console's). */
export function authRoutes ({ signIn, tenants, identityProviders }: AuthRoutesOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    app.setErrorHandler(apiErrorHandler)

    app.post<{ Body: { token: string, password: string } }>('/auth/activate', {
      schema: {
        tags: ['sessions'],
        summary: 'Set a password with the single-use link of an activation or reset mail',
        body: { type: 'object', required: ['token', 'password'], additionalProperties: false, properties: { token: { type: 'string', maxLength: 200 }, password: { type: 'string', maxLength: PASSWORD_MAX_LENGTH * 4 } } },
        response: { 204: { type: 'null' } }
      }
    }, async (request, reply) => {
      await signIn.activate(request.body.token, request.body.password, requestContext(request, 'self-service'))
      await reply.code(204).send()
    })

    app.post<{ Body: { tenant: string, email: string, password: string } }>('/auth/login', {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in to a tenant: a session token for "Authorization: Bearer"',
        body: { type: 'object', required: ['tenant', 'email', 'password'], additionalProperties: false, properties: { tenant, email, password: { type: 'string', maxLength: PASSWORD_MAX_LENGTH * 4 } } },
        response: { 200: sessionResponse }
      }
    }, async (request) => {
      const { tenant, email, password } = request.body
      return app.issueSession(await signIn.login(tenant, email, password, requestContext(request, 'self-service')))
    })

    app.post<{ Body: { tenant: string, email: string, password: string } }>('/auth/session', {
      config: { csrf: true },
      schema: {
        tags: ['sessions'],
        summary: 'Sign in a browser: the session goes into an HTTP-only cookie (needs the page\'s CSRF token in x-csrf-token)',
        body: { type: 'object', required: ['tenant', 'email', 'password'], additionalProperties: false, properties: { tenant, email, password: { type: 'string', maxLength: PASSWORD_MAX_LENGTH * 4 } } },
        response: { 204: { type: 'null' } }
      }
    }, async (request, reply) => {
      const { tenant, email, password } = request.body
      await reply.startSession(await signIn.login(tenant, email, password, requestContext(request, 'self-service'))).code(204).send()
    })

    app.delete('/auth/session', { schema: { tags: ['sessions'], summary: "Sign out: the session's token stops working, and the cookie is cleared", response: { 204: { type: 'null' } } } },
      async (request, reply) => {
        const claims = await request.jwtVerify<SessionClaims>().catch(() => undefined)
        if (claims !== undefined) await signIn.signOut(claims)
        await reply.endSession().code(204).send()
      })

    app.get<{ Params: { tenant: string } }>('/auth/sign-in-options/:tenant', {
      schema: {
        tags: ['sessions'], summary: 'What a sign-in page offers for this tenant: password sign-in and/or its staff identity provider',
        params: { type: 'object', properties: { tenant } },
        response: { 200: { type: 'object', properties: { tenant: { type: 'string' }, displayName: { type: 'string' }, password: { type: 'boolean' }, provider: { type: 'object', nullable: true, properties: { name: { type: 'string' }, startUrl: { type: 'string' } } } } } }
      }
    }, async (request) => {
      const found = await tenants.findBySlug(request.params.tenant)
      if (found === undefined) throw notFound(`No organisation "${request.params.tenant}"`)
      const provider = await identityProviders.forPurpose(found, 'staff-sign-in')
      return {
        tenant: found.slug,
        displayName: found.displayName,
        password: found.settings.signIn !== 'sso',
        provider: provider === undefined ? null : { name: provider.record.displayName ?? new URL(provider.record.issuer).host, startUrl: `/auth/sso/${encodeURIComponent(found.slug)}/start` }
      }
    })

    app.post('/auth/refresh', {
      schema: { tags: ['sessions'], summary: 'A fresh session token for a still valid one', security: [{ bearer: [] }], response: { 200: sessionResponse } }
    }, async (request) => {
      // Bearer only: a browser's HTTP-only cookie must not be turned into a token that scripts can read.
      if (request.headers.authorization === undefined) throw unauthorized('Send the session token as "Authorization: Bearer …"')
      const session = await app.requireSession(request)
      if (!mayRenew(session.claims)) throw unauthorized('This session is too old to refresh; sign in again')
      return app.issueSession({ ...session.claims, roles: session.roles })
    })

    app.post<{ Body: { tenant: string, email: string } }>('/auth/forgot', {
      schema: {
        tags: ['sessions'],
        summary: 'Ask for a new activation or reset link (always 202: nobody learns which accounts exist)',
        body: { type: 'object', required: ['tenant', 'email'], additionalProperties: false, properties: { tenant, email } },
        response: { 202: { type: 'null' } }
      }
    }, async (request, reply) => {
      await signIn.forgot(request.body.tenant, request.body.email, requestContext(request, 'self-service'))
      await reply.code(202).send()
    })
  }
}
