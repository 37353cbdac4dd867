import type { FastifyInstance } from 'fastify'
import type { Tenant, TenantService } from '../../../domain/tenants/tenant-service.js'
import { notFound, unauthorized } from '../../../scim/errors.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'
import { SCIM_CONTENT_TYPE, scimErrorHandler } from '../../plugins/scim-errors.js'
import { discoveryRoutes } from './discovery.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant whose SCIM token authenticated this request: every query is scoped by it. */
    scimTenant: Tenant
    /** `{PUBLIC_URL}/scim/v2/{tenant}`, for meta.location and Location headers. */
    scimBaseUrl: string
  }
}

export interface ScimRoutesOptions {
  tenants: TenantService
  registry: SchemaRegistry
  publicUrl: string
  /** RFC 7644 §3.7.4 maxPayloadSize, also the body limit of every SCIM request. */
  maxPayloadSize: number
}

const BEARER = /^Bearer +(\S+) *$/i

/** Everything under /scim/v2/:tenant — authenticated by that tenant's bearer token. */
export function scimRoutes ({ tenants, registry, publicUrl, maxPayloadSize }: ScimRoutesOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    app.setErrorHandler(scimErrorHandler)
    // RFC 7644 §3.1: clients send application/scim+json; many send application/json.
    app.addContentTypeParser('application/scim+json', { parseAs: 'string', bodyLimit: maxPayloadSize }, app.getDefaultJsonParser('error', 'error'))

    app.decorateRequest('scimTenant', null as unknown as Tenant)
    app.decorateRequest('scimBaseUrl', '')
    app.addHook('onRequest', async (request) => {
      const slug = (request.params as { tenant: string }).tenant
      const match = BEARER.exec(request.headers.authorization ?? '')
      const tenant = match === null ? undefined : await tenants.authenticate(slug, match[1]!)
      // The same answer for an unknown tenant, a wrong token and another tenant's token.
      if (tenant === undefined) throw unauthorized()
      request.scimTenant = tenant
      request.scimBaseUrl = `${publicUrl}/scim/v2/${tenant.slug}`
    })
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-type', SCIM_CONTENT_TYPE)
      return payload
    })

    await app.register(discoveryRoutes(registry))

    app.all('/*', { schema: { hide: true } }, async (request) => {
      throw notFound(`No SCIM endpoint at ${request.url.split('?')[0]}`)
    })
  }
}
