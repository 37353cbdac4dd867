import type { FastifyInstance, FastifyRequest } from 'fastify'
import { permissionsOf } from '../../../domain/access/catalogue.js'
import type { AccountAdministration, AdminSession } from '../../../domain/accounts/account-administration.js'
import { forbidden } from '../../../domain/errors.js'
import type { AuditReader } from '../../../domain/lifecycle/audit-query.js'
import { roleCatalogueOf, type TenantService } from '../../../domain/tenants/tenant-service.js'
import { apiErrorHandler } from '../../plugins/api-errors.js'
import { requestContext, type Session } from '../../plugins/sessions.js'
import type { IdentityProviders } from '../../../domain/enrolment/identity-providers.js'
import type { LoginRequests } from '../../../domain/enrolment/login-requests.js'
import { enrolmentAdminRoutes } from './enrolment.js'
import { accountRoutes } from './accounts.js'
import { auditRoutes } from './audit.js'
import { catalogueRoutes } from './catalogue.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The session of this tenant, checked once per request (decorated in the admin scope). */
    signedIn: () => Promise<{ session: Session, admin: AdminSession }>
    admin: () => Promise<AdminSession>
  }
}

export interface AdminRoutesOptions {
  tenants: TenantService
  administration: AccountAdministration
  auditLog: AuditReader
  identityProviders: IdentityProviders
  loginRequests: LoginRequests
}

/**
 * /api/v1/tenants/:tenant/… (design.md: admin API): a session of that tenant, with the permission
 * each operation names (checked by the domain service, from the roles the database holds right now).
 */
export function adminRoutes ({ tenants, administration, identityProviders, loginRequests }: AdminRoutesOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    app.setErrorHandler(apiErrorHandler)
    app.decorateRequest('admin', null as unknown as FastifyRequest['admin'])
    app.decorateRequest('signedIn', null as unknown as FastifyRequest['signedIn'])
    app.addHook('onRequest', async (request) => {
      let admin: Promise<{ session: Session, admin: AdminSession }> | undefined
      request.signedIn = async () => await (admin ??= adminSessionOf(request, app, tenants))
      request.admin = async () => (await request.signedIn()).admin
    })
    app.get('/session', {
      schema: {
        tags: ['sessions'], security: [{ bearer: [] }], summary: 'Who is signed in here: the person, the tenant, and what their roles allow (the console builds its navigation from it)',
        response: {
          200: {
            type: 'object',
            properties: {
              membershipId: { type: 'string' }, name: { type: 'string', nullable: true }, email: { type: 'string', nullable: true },
              tenant: { type: 'object', properties: { slug: { type: 'string' }, displayName: { type: 'string' } } },
              roles: { type: 'array', items: { type: 'string' } }, features: { type: 'array', items: { type: 'string' } }, permissions: { type: 'array', items: { type: 'string' } }
            }
          }
        }
      }
    }, async (request) => {
      const { session, admin } = await request.signedIn()
      return {
        membershipId: admin.membershipId, name: session.name ?? null, email: session.email ?? null,
        tenant: { slug: admin.tenant.slug, displayName: admin.tenant.displayName },
        roles: session.roles, features: session.features, permissions: [...admin.permissions].sort()
      }
    })
    await app.register(accountRoutes(administration), { prefix: '/accounts' })
    await app.register(catalogueRoutes(administration))
    await app.register(auditRoutes(administration), { prefix: '/audit' })
    await app.register(enrolmentAdminRoutes({ identityProviders, loginRequests }))
  }
}

async function adminSessionOf (request: FastifyRequest, app: FastifyInstance, tenants: TenantService): Promise<{ session: Session, admin: AdminSession }> {
  const session = await app.requireSession(request)
  const slug = (request.params as { tenant: string }).tenant
  const tenant = session.claims.ten === slug ? await tenants.findBySlug(slug) : undefined
  if (tenant === undefined || tenant.id !== session.claims.tid) throw forbidden(`Your session is for the tenant "${session.claims.ten}", not "${slug}"`)
  const admin = {
    tenant,
    membershipId: session.claims.sub,
    permissions: permissionsOf(roleCatalogueOf(tenant.settings), session.roles),
    orgUnitIds: session.orgUnitIds,
    context: requestContext(request, 'admin', session)
  }
  return { session, admin }
}
