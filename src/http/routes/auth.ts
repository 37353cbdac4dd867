import type { FastifyInstance } from 'fastify'
import type { SignIn } from '../../domain/accounts/sign-in.js'
import { PASSWORD_MAX_LENGTH } from '../../identity/password-policy.js'
import { apiErrorHandler } from '../plugins/api-errors.js'
import { requestContext } from '../plugins/sessions.js'
import { ACTIVATION_PAGE } from '../pages/activation-page.js'
import { sendPage } from '../pages/assets.js'

const email = { type: 'string', minLength: 3, maxLength: 254 }
const tenant = { type: 'string', minLength: 1, maxLength: 63 }
const sessionResponse = {
  type: 'object',
  properties: { accessToken: { type: 'string' }, tokenType: { type: 'string' }, expiresIn: { type: 'integer' } }
}

/** design.md "Sessions" (contract): activate, login, forgot; plus refresh and the page the mail links to. */
export function authRoutes ({ signIn }: { signIn: SignIn }) {
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

    app.post('/auth/refresh', {
      schema: { tags: ['sessions'], summary: 'A fresh session token for a still valid one', security: [{ bearer: [] }], response: { 200: sessionResponse } }
    }, async (request) => {
      const session = await app.requireSession(request)
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

    app.get('/activate', { schema: { hide: true } }, async (_request, reply) => {
      // The token stays in the page's URL (read by its script), never in a log line (see logger.ts).
      await sendPage(reply, 200, ACTIVATION_PAGE)
    })
  }
}
