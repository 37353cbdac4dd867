import type { FastifyInstance } from 'fastify'
import { forbidden, notFound } from '../../../scim/errors.js'
import { listResponse } from '../../../scim/messages/list-response.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'

/**
 * Service provider configuration endpoints.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 * The JSON comes from scim-schemas/; only meta.location is made absolute here.
 */
export function discoveryRoutes (registry: SchemaRegistry) {
  return async function (app: FastifyInstance): Promise<void> {
    // RFC 7644 §4: a filter on these endpoints SHOULD be answered with 403, so that a client never
    // assumes that a filter it sent was applied.
    app.addHook('preHandler', async (request) => {
      if ((request.query as Record<string, unknown>).filter !== undefined) throw forbidden('Filtering is not supported on discovery endpoints.')
    })

    app.get('/ServiceProviderConfig', { schema: { tags: ['SCIM discovery'], summary: 'RFC 7643 §5 service provider configuration' } }, async (request) => {
      return withLocation(registry.serviceProviderConfig(), request.scimBaseUrl)
    })

    app.get('/ResourceTypes', { schema: { tags: ['SCIM discovery'], summary: 'RFC 7643 §6 resource types' } }, async (request) => {
      return listResponse(registry.resourceTypes().map(rt => withLocation(rt, request.scimBaseUrl)), { startIndex: 1 })
    })

    app.get<{ Params: { name: string } }>('/ResourceTypes/:name', { schema: { tags: ['SCIM discovery'] } }, async (request) => {
      const found = registry.resourceTypes().find(rt => rt.name.toLowerCase() === request.params.name.toLowerCase() || rt.id.toLowerCase() === request.params.name.toLowerCase())
      if (found === undefined) throw notFound(`Resource type ${request.params.name} not found`)
      return withLocation(found, request.scimBaseUrl)
    })

    app.get('/Schemas', { schema: { tags: ['SCIM discovery'], summary: 'RFC 7643 §7 schemas' } }, async (request) => {
      return listResponse(registry.schemas().map(schema => withLocation(schema, request.scimBaseUrl)), { startIndex: 1 })
    })

    app.get<{ Params: { id: string } }>('/Schemas/:id', { schema: { tags: ['SCIM discovery'] } }, async (request) => {
      const schema = registry.schema(request.params.id)
      if (schema === undefined) throw notFound(`Schema ${request.params.id} not found`)
      return withLocation(schema, request.scimBaseUrl)
    })
  }
}

function withLocation<T extends object> (resource: T, baseUrl: string): T {
  const meta = (resource as { meta?: { location?: string } }).meta
  if (meta?.location === undefined) return resource
  return { ...resource, meta: { ...meta, location: baseUrl + meta.location } }
}
