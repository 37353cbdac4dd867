import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ListRequest, ListResult, ScimScope } from '../../../domain/scim/users.js'
import { invalidSyntax } from '../../../scim/errors.js'
import { listResponse } from '../../../scim/messages/list-response.js'
import { compileProjection } from '../../../scim/schema/project.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'
import { SCHEMA_URN } from '../../../scim/schema/types.js'
import { notModified } from '../../../domain/scim/versions.js'
import { listRequestOf, projectionOf, projects, type Projection } from './list-request.js'

type Resource = Record<string, unknown>

/** What the routes need of a resource type's service (ScimUsers, ScimGroups); `expensive` = groups or members. */
export interface ResourceHandlers {
  resourceType: 'User' | 'Group'
  /** The attribute that costs a query of its own to return (User.groups, Group.members). */
  expensiveAttribute: string
  create: (scope: ScimScope, body: unknown) => Promise<Resource>
  get: (scope: ScimScope, id: string, expensive: boolean) => Promise<Resource>
  replace: (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined) => Promise<Resource>
  patch: (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined, expensive: boolean) => Promise<Resource>
  delete: (scope: ScimScope, id: string, ifMatch: string | undefined) => Promise<void>
  list: (scope: ScimScope, request: ListRequest, expensive: boolean) => Promise<ListResult>
  /**
   * RFC 7644 §3.5.2 lets PATCH answer 200 with the resource or 204. Groups answer 204 unless the client asks
   * for attributes (a 50,000-member body per member change helps nobody; Entra advises 204).
   */
  patchReturnsResource: boolean
}

export function scopeOf (request: FastifyRequest): ScimScope {
  const tenant = request.scimTenant
  return {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    tenantName: tenant.displayName,
    baseUrl: request.scimBaseUrl,
    settings: tenant.settings,
    context: { source: 'scim', actor: { type: 'scim-token', id: request.scimTokenId, label: 'SCIM client' }, requestId: request.id, clientIp: request.ip }
  }
}

interface IdParams { id: string }
type Query = Record<string, unknown>

/** Thin routes: parse, call the service, project, set the headers (RFC 7644 §3.1–3.6, §3.14). */
export function resourceRoutes (registry: SchemaRegistry, handlers: ResourceHandlers) {
  const { resourceType, expensiveAttribute } = handlers
  const tags = [`SCIM ${resourceType}s`]

  const render = (reply: FastifyReply, projection: Projection, resource: Resource, status: number) => {
    const meta = resource.meta as { version: string, location: string }
    void reply.header('etag', meta.version)
    return reply.code(status).send(compileProjection(registry, resourceType, projection)(resource))
  }

  return async function (app: FastifyInstance): Promise<void> {
    app.post<{ Querystring: Query }>('/', { schema: { tags, summary: `Create a ${resourceType}` } }, async (request, reply) => {
      const resource = await handlers.create(scopeOf(request), request.body)
      void reply.header('location', (resource.meta as { location: string }).location)
      return render(reply, projectionOf(request.query), resource, 201)
    })

    app.get<{ Querystring: Query }>('/', { schema: { tags, summary: `List or filter ${resourceType}s` } }, async (request) => {
      const projection = projectionOf(request.query)
      return await listed(registry, resourceType, projection,
        await handlers.list(scopeOf(request), listRequestOf(request.query), projects(projection, expensiveAttribute)))
    })

    app.post<{ Body: Record<string, unknown> }>('/.search', { schema: { tags, summary: `Search ${resourceType}s (RFC 7644 §3.4.3)` } }, async (request) => {
      const body = searchRequestOf(request.body)
      const projection = projectionOf(body)
      return await listed(registry, resourceType, projection,
        await handlers.list(scopeOf(request), listRequestOf(body), projects(projection, expensiveAttribute)))
    })

    app.get<{ Params: IdParams, Querystring: Query }>('/:id', { schema: { tags, summary: `Get a ${resourceType}` } }, async (request, reply) => {
      const projection = projectionOf(request.query)
      const resource = await handlers.get(scopeOf(request), request.params.id, projects(projection, expensiveAttribute))
      const etag = (resource.meta as { version: string }).version
      if (notModified(request.headers['if-none-match'], etag)) return await reply.code(304).header('etag', etag).send()
      return render(reply, projection, resource, 200)
    })

    app.put<{ Params: IdParams, Querystring: Query }>('/:id', { schema: { tags, summary: `Replace a ${resourceType}` } }, async (request, reply) => {
      const resource = await handlers.replace(scopeOf(request), request.params.id, request.body, request.headers['if-match'])
      return render(reply, projectionOf(request.query), resource, 200)
    })

    app.patch<{ Params: IdParams, Querystring: Query }>('/:id', { schema: { tags, summary: `Modify a ${resourceType} (RFC 7644 §3.5.2)` } }, async (request, reply) => {
      const projection = projectionOf(request.query)
      const wantsBody = handlers.patchReturnsResource || projection.attributes !== undefined || projection.excludedAttributes !== undefined
      const resource = await handlers.patch(scopeOf(request), request.params.id, request.body, request.headers['if-match'],
        wantsBody && projects(projection, expensiveAttribute))
      if (!wantsBody) return await reply.code(204).header('etag', (resource.meta as { version: string }).version).send()
      return render(reply, projection, resource, 200)
    })

    app.delete<{ Params: IdParams }>('/:id', { schema: { tags, summary: `Delete a ${resourceType}` } }, async (request, reply) => {
      await handlers.delete(scopeOf(request), request.params.id, request.headers['if-match'])
      return await reply.code(204).send()
    })
  }
}

export async function listed (registry: SchemaRegistry, resourceType: string, projection: Projection, result: ListResult) {
  const project = compileProjection(registry, resourceType, projection)
  return listResponse(result.resources.map(project), {
    totalResults: result.totalResults,
    ...(result.startIndex === undefined ? {} : { startIndex: result.startIndex }),
    ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor })
  })
}

/** RFC 7644 §3.4.3: a SearchRequest message. */
export function searchRequestOf (body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidSyntax('The body must be a SearchRequest object')
  const schemas = (body as { schemas?: unknown }).schemas
  if (!Array.isArray(schemas) || !schemas.includes(SCHEMA_URN.searchRequest)) {
    throw invalidSyntax(`A search request must list the schema ${SCHEMA_URN.searchRequest}`)
  }
  return body as Record<string, unknown>
}
