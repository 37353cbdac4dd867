import type { FastifyInstance } from 'fastify'
import type { AdminSession } from '../../../domain/accounts/account-administration.js'
import type { LoginRequestRecord } from '../../../domain/enrolment/enrolment-store.js'
import type { IdentityProviders, ProviderInput } from '../../../domain/enrolment/identity-providers.js'
import type { LoginRequests } from '../../../domain/enrolment/login-requests.js'
import { forbidden } from '../../../domain/errors.js'
import { NATIONAL_ID_KINDS } from '../../../identity/national-id.js'

const security = [{ bearer: [] }]
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }
const features = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100 }

const providerBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    displayName: { type: 'string', maxLength: 100 }, issuer: { type: 'string', maxLength: 500 }, clientId: { type: 'string', maxLength: 500 }, clientSecret: { type: 'string', maxLength: 2000 },
    purpose: { type: 'string', enum: ['patient-enrolment', 'staff-sign-in'] }, policy: { type: 'string', enum: ['auto', 'review'] }, autoCreate: { type: 'boolean' },
    nationalIdClaim: { type: 'string', maxLength: 200 }, nationalIdKind: { type: 'string', enum: [...NATIONAL_ID_KINDS] },
    acrValues: { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 10 }, scopes: { type: 'string', maxLength: 500 }, defaultFeatures: features
  }
}

/** What an admin sees of a request: the verified claims, never the national identifier or its hash. */
function requestView (request: LoginRequestRecord) {
  const { nationalIdHash: _hash, nationalIdSealed: _sealed, ...view } = request
  return view
}

function mayManageProviders (admin: AdminSession): void {
  if (!admin.permissions.has('idps.manage')) throw forbidden('This needs the permission idps.manage, which your roles in this tenant do not give')
}

/** The tenant's identity providers and the review queue of patient sign-ups (design.md: admin API). */
export function enrolmentAdminRoutes ({ identityProviders, loginRequests }: { identityProviders: IdentityProviders, loginRequests: LoginRequests }) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/idps', { schema: { tags: ['admin: identity providers'], security, summary: "The tenant's OpenID Providers (client secrets never shown)" } }, async (request) => {
      const admin = await request.admin()
      mayManageProviders(admin)
      return { items: await identityProviders.list(admin.tenant) }
    })

    app.post<{ Body: ProviderInput }>('/idps', {
      schema: {
        tags: ['admin: identity providers'], security, summary: 'Register an OpenID Provider: a national eID broker (patient-enrolment) or the staff IdP (staff-sign-in)',
        body: { ...providerBody, required: ['issuer', 'clientId', 'clientSecret', 'purpose'] }
      }
    }, async (request, reply) => {
      const admin = await request.admin()
      mayManageProviders(admin)
      await reply.code(201).send(await identityProviders.add(admin.tenant, request.body, admin.context))
    })

    app.patch<{ Params: { id: string }, Body: Partial<ProviderInput> }>('/idps/:id', {
      schema: {
        tags: ['admin: identity providers'], security, params: idParams, body: providerBody,
        summary: 'Change a provider; the client secret changes only when a new one is given (it is never shown back)'
      }
    }, async (request) => {
      const admin = await request.admin()
      mayManageProviders(admin)
      return await identityProviders.update(admin.tenant, request.params.id, request.body, admin.context)
    })

    app.delete<{ Params: { id: string } }>('/idps/:id', { schema: { tags: ['admin: identity providers'], security, params: idParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
      const admin = await request.admin()
      mayManageProviders(admin)
      await identityProviders.remove(admin.tenant, request.params.id, admin.context)
      await reply.code(204).send()
    })

    app.get<{ Querystring: { status?: LoginRequestRecord['status'], offset: number, limit: number } }>('/login-requests', {
      schema: {
        tags: ['admin: login requests'], security, summary: 'Patient sign-ups, oldest first: a page {items, total}',
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { status: { type: 'string', enum: ['pending', 'approved', 'rejected'] }, offset: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }
        }
      }
    }, async (request) => {
      const page = await loginRequests.list(await request.admin(), request.query.status, request.query.offset, request.query.limit)
      return { items: page.items.map(requestView), total: page.total }
    })

    app.post<{ Params: { id: string }, Body: { features?: string[] } | undefined }>('/login-requests/:id/approve', {
      schema: {
        tags: ['admin: login requests'], security, summary: 'Approve: creates or links the account, an active patient membership with these features, and mails the patient',
        params: idParams, body: { type: 'object', additionalProperties: false, properties: { features } }
      }
    }, async (request) => requestView(await loginRequests.approve(await request.admin(), request.params.id, request.body?.features)))

    app.post<{ Params: { id: string }, Body: { reason: string } }>('/login-requests/:id/reject', {
      schema: {
        tags: ['admin: login requests'], security, summary: 'Reject with a reason (mailed to the patient)',
        params: idParams, body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } } }
      }
    }, async (request) => requestView(await loginRequests.reject(await request.admin(), request.params.id, request.body.reason)))
  }
}
