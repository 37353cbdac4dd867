import type { FastifyInstance } from 'fastify'
import { PERMISSIONS, type RoleDefinition } from '../../../domain/access/catalogue.js'
import type { AccountAdministration } from '../../../domain/accounts/account-administration.js'

const security = [{ bearer: [] }]
const strings = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 100 }

/** The tenant's role catalogue, its group grants and org units. */
export function catalogueRoutes (administration: AccountAdministration) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/roles', { schema: { tags: ['admin: roles'], security, summary: 'Roles with their permissions, every permission, and the features members may have' } },
      async (request) => administration.catalogue(await request.admin()))

    app.put<{ Params: { key: string }, Body: RoleDefinition }>('/roles/:key', {
      schema: {
        tags: ['admin: roles'], security, summary: 'Add or change a role (never with permissions you do not hold)',
        params: { type: 'object', properties: { key: { type: 'string', maxLength: 63 } } },
        body: { type: 'object', required: ['displayName', 'permissions'], additionalProperties: false, properties: { displayName: { type: 'string', minLength: 1, maxLength: 100 }, permissions: { type: 'array', items: { type: 'string', enum: [...PERMISSIONS] }, uniqueItems: true } } },
        response: { 204: { type: 'null' } }
      }
    }, async (request, reply) => {
      await administration.defineRole(await request.admin(), request.params.key, request.body)
      await reply.code(204).send()
    })

    app.delete<{ Params: { key: string } }>('/roles/:key', {
      schema: { tags: ['admin: roles'], security, summary: 'Remove a role nobody holds', params: { type: 'object', properties: { key: { type: 'string', maxLength: 63 } } }, response: { 204: { type: 'null' } } }
    }, async (request, reply) => {
      await administration.removeRole(await request.admin(), request.params.key)
      await reply.code(204).send()
    })

    app.get('/groups', { schema: { tags: ['admin: groups'], security, summary: 'The SCIM groups with the roles and features they grant their members' } },
      async (request) => ({ items: await administration.groups(await request.admin()) }))

    app.get<{ Params: { id: string }, Querystring: { offset: number, limit: number } }>('/groups/:id/members', {
      schema: {
        tags: ['admin: groups'], security, summary: "A group's direct members (users and nested groups), by name: a page {items, total}",
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        querystring: { type: 'object', additionalProperties: false, properties: { offset: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } }
      }
    }, async (request) => await administration.groupMembers(await request.admin(), request.params.id, request.query.offset, request.query.limit))

    app.put<{ Params: { id: string }, Body: { roles: string[], features: string[] } }>('/groups/:id/grants', {
      schema: {
        tags: ['admin: groups'], security, summary: 'Roles and features every member of the group holds (at once; lost at once on leaving)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        body: { type: 'object', required: ['roles', 'features'], additionalProperties: false, properties: { roles: strings, features: strings } },
        response: { 204: { type: 'null' } }
      }
    }, async (request, reply) => {
      await administration.setGroupGrants(await request.admin(), request.params.id, request.body)
      await reply.code(204).send()
    })

    app.get('/org-units', { schema: { tags: ['admin: org units'], security, summary: 'The org unit hierarchy' } },
      async (request) => ({ items: await administration.orgUnits(await request.admin()) }))

    app.post<{ Body: { name: string, parentId?: string } }>('/org-units', {
      schema: {
        tags: ['admin: org units'], security, summary: 'Add an org unit (access to a unit covers its sub-units)',
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, parentId: { type: 'string', format: 'uuid' } } }
      }
    }, async (request, reply) => {
      await reply.code(201).send(await administration.createOrgUnit(await request.admin(), request.body.name, request.body.parentId))
    })
  }
}
