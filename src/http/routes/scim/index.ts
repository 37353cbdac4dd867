import type { FastifyInstance } from 'fastify'
import type { ScimGroups } from '../../../domain/scim/groups.js'
import type { ScimUsers } from '../../../domain/scim/users.js'
import type { TenantService } from '../../../domain/tenants/tenant-service.js'
import { authenticateTenant } from '../../plugins/tenant-auth.js'
import { notFound, notImplemented, unauthorized } from '../../../scim/errors.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'
import { SCIM_CONTENT_TYPE, scimErrorHandler } from '../../plugins/scim-errors.js'
import { bulkRoute } from './bulk.js'
import { discoveryRoutes } from './discovery.js'
import { resourceRoutes } from './resources.js'
import { rootSearchRoute } from './root-search.js'

export interface ScimRoutesOptions {
  tenants: TenantService
  registry: SchemaRegistry
  users: ScimUsers
  groups: ScimGroups
  publicUrl: string
  /** RFC 7644 §3.7.4 maxPayloadSize, also the body limit of every SCIM request. */
  maxPayloadSize: number
}

/** Everything under /scim/v2/:tenant — authenticated by that tenant's bearer token. */
export function scimRoutes ({ tenants, registry, users, groups, publicUrl, maxPayloadSize }: ScimRoutesOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    app.setErrorHandler(scimErrorHandler)
    // RFC 7644 §3.1: clients send application/scim+json; many send application/json. Both may come with
    // an empty body (a DELETE with a content type, as IdPs send it): that is no body, not bad JSON.
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'string', bodyLimit: maxPayloadSize }, (request, body, done) => {
      if (body.length === 0) done(null, undefined)
      else parseJson(request, body as string, done) // parseAs: string
    })

    authenticateTenant(app, tenants, publicUrl)
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('content-type', SCIM_CONTENT_TYPE)
      done(null, payload)
    })

    await app.register(discoveryRoutes(registry))
    await app.register(resourceRoutes(registry, {
      resourceType: 'User',
      expensiveAttribute: 'groups',
      patchReturnsResource: true,
      create: async (scope, body) => await users.create(scope, body),
      get: async (scope, id, groups) => await users.get(scope, id, { groups }),
      replace: async (scope, id, body, ifMatch) => await users.replace(scope, id, body, ifMatch),
      patch: async (scope, id, body, ifMatch) => await users.patch(scope, id, body, ifMatch),
      delete: async (scope, id, ifMatch) => await users.delete(scope, id, ifMatch),
      list: async (scope, request, groups) => await users.list(scope, request, { groups })
    }), { prefix: '/Users' })
    await app.register(resourceRoutes(registry, {
      resourceType: 'Group',
      expensiveAttribute: 'members',
      patchReturnsResource: false,
      create: async (scope, body) => await groups.create(scope, body),
      get: async (scope, id, members) => await groups.get(scope, id, { members }),
      replace: async (scope, id, body, ifMatch) => await groups.replace(scope, id, body, ifMatch),
      patch: async (scope, id, body, ifMatch, members) => await groups.patch(scope, id, body, ifMatch, { members }),
      delete: async (scope, id, ifMatch) => await groups.delete(scope, id, ifMatch),
      list: async (scope, request, members) => await groups.list(scope, request, { members })
    }), { prefix: '/Groups' })
    await app.register(rootSearchRoute(registry, users, groups))
    await app.register(bulkRoute({ registry, users, groups }))

    // RFC 7644 §3.11: the signed-in person's own User, by their session token (POST /auth/login).
    app.get('/Me', { config: { personal: true }, schema: { tags: ['SCIM'], summary: 'The signed-in person\'s own User (session token from /auth/login)', security: [{ bearer: [] }] } }, async (request, reply) => {
      const session = await app.requireSession(request)
      const slug = (request.params as { tenant: string }).tenant
      const tenant = session.claims.ten === slug ? await tenants.findBySlug(slug) : undefined
      if (tenant === undefined) throw unauthorized()
      const baseUrl = `${publicUrl}/scim/v2/${tenant.slug}`
      const user = await users.get({
        tenantId: tenant.id, tenantSlug: tenant.slug, tenantName: tenant.displayName, baseUrl, settings: tenant.settings,
        context: { source: 'self-service', actor: { type: 'account', id: session.claims.sub }, requestId: request.id, clientIp: request.ip }
      }, session.claims.sub, { groups: true, self: true })
      const meta = user.meta as { location: string, version: string }
      await reply.header('location', meta.location).header('etag', meta.version).send(user)
    })
    app.route({
      method: ['PUT', 'PATCH', 'DELETE', 'POST'],
      url: '/Me',
      config: { personal: true },
      schema: { tags: ['SCIM'], summary: 'Changing oneself through SCIM is not offered (roles would be self-granted); ask an administrator' },
      handler: async () => { throw notImplemented('Only GET is supported on /Me: personal data is changed by an administrator or the identity provider') }
    })

    app.all('/*', { schema: { hide: true } }, async (request) => {
      throw notFound(`No SCIM endpoint at ${request.url.split('?')[0]}`)
    })
  }
}
