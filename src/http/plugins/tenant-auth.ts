import type { FastifyInstance } from 'fastify'
import type { Tenant, TenantService } from '../../domain/tenants/tenant-service.js'
import { parseToken } from '../../domain/tenants/scim-token.js'
import { unauthorized } from '../../scim/errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Authenticated by a person's session instead of the tenant's SCIM token (/Me). */
    personal?: boolean
  }
  interface FastifyRequest {
    /** The tenant whose SCIM token authenticated this request: every query is scoped by it. */
    scimTenant: Tenant
    /** `{PUBLIC_URL}/scim/v2/{tenant}`, for meta.location and Location headers. */
    scimBaseUrl: string
    /** The id part of the SCIM token (not its secret), recorded as the actor in the audit log. */
    scimTokenId: string
  }
}

const BEARER = /^Bearer +(\S+) *$/i

/**
 * Authenticates every route of the calling scope (prefix `…/:tenant`) by that tenant's bearer token.
 * The same 401 for an unknown tenant, a wrong token and another tenant's token.
 */
export function authenticateTenant (app: FastifyInstance, tenants: TenantService, publicUrl: string): void {
  app.decorateRequest('scimTenant', null as unknown as Tenant)
  app.decorateRequest('scimBaseUrl', '')
  app.decorateRequest('scimTokenId', '')
  app.addHook('onRequest', async (request) => {
    // RFC 7644 §3.11: /Me is the signed-in person, authenticated by their session, not the IdP's token.
    if (request.routeOptions.config.personal === true) return
    const slug = (request.params as { tenant: string }).tenant
    const match = BEARER.exec(request.headers.authorization ?? '')
    const tenant = match === null ? undefined : await tenants.authenticate(slug, match[1]!)
    if (tenant === undefined) throw unauthorized()
    request.scimTenant = tenant
    request.scimTokenId = parseToken(match![1]!)!.id
    request.scimBaseUrl = `${publicUrl}/scim/v2/${tenant.slug}`
  })
}
