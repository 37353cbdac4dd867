import type { FastifyInstance } from 'fastify'
import { ACCOUNT_SORT_KEYS, type AccountQuery } from '../../../domain/accounts/account-directory.js'
import { HEALTHCARE_FIELDS, type AccountAdministration, type AccountDetails, type NewAccount } from '../../../domain/accounts/account-administration.js'
import { HEALTHCARE_URN } from '../../../domain/healthcare/extension.js'
import { formatRegistrationNumber } from '../../../domain/healthcare/registration-number.js'
import type { StoredUser } from '../../../domain/scim/user-store.js'
import { catalogueValues, userResource } from '../../../domain/scim/user-attributes.js'

const uuid = { type: 'string', format: 'uuid' }
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } }
const strings = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100 }
const details = {
  givenName: { type: 'string', minLength: 1, maxLength: 200 },
  familyName: { type: 'string', minLength: 1, maxLength: 200 },
  displayName: { type: 'string', maxLength: 200 },
  phone: { type: 'string', maxLength: 50 },
  title: { type: 'string', maxLength: 200 },
  preferredLanguage: { type: 'string', maxLength: 35 },
  roles: strings,
  features: strings,
  orgUnits: { type: 'array', items: uuid, maxItems: 100 },
  healthcare: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(HEALTHCARE_FIELDS.map(field => [field, { type: 'string', maxLength: 200 }]))
  }
}
const account = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    registrationNumber: { type: 'string' },
    email: { type: 'string', nullable: true },
    givenName: { type: 'string', nullable: true },
    familyName: { type: 'string', nullable: true },
    displayName: { type: 'string', nullable: true },
    phone: { type: 'string', nullable: true },
    title: { type: 'string', nullable: true },
    preferredLanguage: { type: 'string', nullable: true },
    healthcare: { type: 'object', additionalProperties: { type: 'string' } },
    roles: { type: 'array', items: { type: 'string' } },
    features: { type: 'array', items: { type: 'string' } },
    orgUnits: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['created', 'active', 'inactive'] },
    kind: { type: 'string', enum: ['staff', 'patient'] },
    lastActivityAt: { type: 'string', nullable: true },
    createdAt: { type: 'string' }
  }
}
const tags = ['admin: accounts']
const security = [{ bearer: [] }]

/** The admin's view of one membership (SCIM Users carry the same data in SCIM's shape). */
function accountView (user: StoredUser) {
  const resource = userResource(user)
  const name = resource.name as { givenName?: string, familyName?: string } | undefined
  const phone = (resource.phoneNumbers as Array<{ value?: string }> | undefined)?.[0]?.value
  return {
    id: user.id,
    registrationNumber: formatRegistrationNumber(user.registrationSequence),
    email: user.loginEmail ?? user.contactEmail ?? null,
    givenName: name?.givenName ?? null,
    familyName: name?.familyName ?? null,
    displayName: (resource.displayName as string | undefined) ?? null,
    phone: phone ?? null,
    title: (resource.title as string | undefined) ?? null,
    preferredLanguage: (resource.preferredLanguage as string | undefined) ?? null,
    healthcare: healthcareView(resource[HEALTHCARE_URN] as Record<string, unknown>),
    roles: catalogueValues(user.attributes.roles),
    features: catalogueValues(user.attributes.entitlements),
    orgUnits: user.orgUnitIds,
    status: user.status,
    kind: user.kind,
    lastActivityAt: user.lastActivityAt?.toISOString() ?? null,
    createdAt: user.created.toISOString()
  }
}

/** The extension as flat strings, as the edit form has it (the supervisor by membership id). */
function healthcareView (extension: Record<string, unknown>): Record<string, string> {
  const view: Record<string, string> = {}
  for (const [field, value] of Object.entries(extension)) {
    if (typeof value === 'string') view[field] = value
    else if (field === 'supervisingUser') view[field] = (value as { value: string }).value
  }
  return view
}

export function accountRoutes (administration: AccountAdministration) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: Partial<AccountQuery> }>('/', {
      schema: {
        tags, security, summary: 'The accounts table: paged, sortable, searchable (name, email, id), filtered by status and role',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            search: { type: 'string', maxLength: 200 },
            status: { type: 'string', enum: ['created', 'active', 'inactive'] },
            kind: { type: 'string', enum: ['staff', 'patient'] },
            role: { type: 'string', maxLength: 63 },
            orgUnit: uuid,
            sort: { type: 'string', enum: [...ACCOUNT_SORT_KEYS], default: 'name' },
            order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
            offset: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }
          }
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: account }, total: { type: 'integer' } } } }
      }
    }, async (request) => await administration.list(await request.admin(), request.query as AccountQuery))

    app.post<{ Body: { email: string } }>('/check-email', {
      schema: {
        tags, security, summary: 'Step one of creating an account: is the address valid, new, an account elsewhere (will be attached), or a member already?',
        body: { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', maxLength: 254 } } }
      }
    }, async (request) => await administration.checkEmail(await request.admin(), request.body.email))

    app.post<{ Body: NewAccount }>('/', {
      schema: {
        tags, security, summary: 'Create an account (or attach an existing one) with a membership in status created; sends the activation mail',
        body: { type: 'object', required: ['email', 'givenName', 'familyName', 'roles'], additionalProperties: false, properties: { email: { type: 'string', maxLength: 254 }, kind: { type: 'string', enum: ['staff', 'patient'] }, ...details } },
        response: { 201: account }
      }
    }, async (request, reply) => {
      const created = await administration.create(await request.admin(), request.body)
      await reply.code(201).header('location', `${request.url.replace(/\/$/, '')}/${created.id}`).send(accountView(created))
    })

    app.get<{ Params: { id: string } }>('/:id', { schema: { tags, security, summary: 'One account', params: idParams, response: { 200: account } } },
      async (request) => accountView(await administration.get(await request.admin(), request.params.id)))

    app.patch<{ Params: { id: string }, Body: AccountDetails & { email?: string } }>('/:id', {
      schema: {
        tags, security, summary: 'Edit personal data (shown in every tenant of the account), roles, features and org units; the email never changes',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { ...details, email: { type: 'string' } } },
        response: { 200: account }
      }
    }, async (request) => accountView(await administration.update(await request.admin(), request.params.id, request.body)))

    for (const change of ['deactivate', 'reactivate'] as const) {
      app.post<{ Params: { id: string } }>(`/:id/${change}`, {
        schema: { tags, security, summary: change === 'deactivate' ? 'Deactivate: no sign-in to this tenant, sessions end at once' : 'Reactivate: back to created, with a new activation mail', params: idParams, response: { 200: account } }
      }, async (request) => accountView(await administration.changeStatus(await request.admin(), request.params.id, change)))
    }

    app.post<{ Params: { id: string } }>('/:id/resend-activation', {
      schema: { tags, security, summary: 'A new activation mail (for an account still waiting for activation)', params: idParams, response: { 202: { type: 'null' } } }
    }, async (request, reply) => {
      await administration.resendActivation(await request.admin(), request.params.id)
      await reply.code(202).send()
    })

    app.post<{ Params: { id: string } }>('/:id/send-password-reset', {
      schema: { tags, security, summary: 'Mail a password reset link to an active account', params: idParams, response: { 202: { type: 'null' } } }
    }, async (request, reply) => {
      await administration.sendPasswordReset(await request.admin(), request.params.id)
      await reply.code(202).send()
    })

    app.delete<{ Params: { id: string } }>('/:id', {
      schema: { tags, security, summary: "End this tenant's membership (the account and its other memberships stay)", params: idParams, response: { 204: { type: 'null' } } }
    }, async (request, reply) => {
      await administration.endMembership(await request.admin(), request.params.id)
      await reply.code(204).send()
    })
  }
}
