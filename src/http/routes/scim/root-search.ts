import type { FastifyInstance } from 'fastify'
import type { ScimGroups } from '../../../domain/scim/groups.js'
import type { ListResult, ScimUsers } from '../../../domain/scim/users.js'
import { ScimError } from '../../../scim/errors.js'
import { parseFilter } from '../../../scim/filter/index.js'
import { listResponse } from '../../../scim/messages/list-response.js'
import { compileProjection } from '../../../scim/schema/project.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'
import { listRequestOf, projectionOf, projects } from './list-request.js'
import { scopeOf, searchRequestOf } from './resources.js'

/**
 * POST /.search on the base URL: Users, then Groups, paged as one list (RFC 7644 §3.4.3).
 * A filter naming an attribute that one resource type lacks matches nothing of that type.
 */
export function rootSearchRoute (registry: SchemaRegistry, users: ScimUsers, groups: ScimGroups) {
  return async function (app: FastifyInstance): Promise<void> {
    app.post('/.search', { schema: { tags: ['SCIM search'], summary: 'Search all resource types (RFC 7644 §3.4.3)' } }, async (request) => {
      const body = searchRequestOf(request.body)
      const projection = projectionOf(body)
      const list = listRequestOf(body)
      if (list.cursor !== undefined) throw new ScimError(400, 'Cursor paging is offered per resource type (/Users/.search, /Groups/.search)', 'invalidValue')
      if (list.filter !== undefined) parseFilter(list.filter) // a syntax error is the client's, whatever the type
      const scope = scopeOf(request)
      const startIndex = Math.max(list.startIndex ?? 1, 1)
      const userResult = await orEmpty(users.list(scope, list, { groups: projects(projection, 'groups') }))
      const shownUsers = userResult.resources.length
      const groupResult = await orEmpty(groups.list(scope, {
        ...list,
        startIndex: Math.max(startIndex - userResult.totalResults, 1),
        ...(list.count === undefined ? {} : { count: Math.max(list.count - shownUsers, 0) })
      }, { members: projects(projection, 'members') }))
      const userProjection = compileProjection(registry, 'User', projection)
      const groupProjection = compileProjection(registry, 'Group', projection)
      // Groups only once the users are used up.
      const groupsShown = startIndex + shownUsers > userResult.totalResults ? groupResult.resources : []
      return listResponse([...userResult.resources.map(userProjection), ...groupsShown.map(groupProjection)], {
        totalResults: userResult.totalResults + groupResult.totalResults,
        startIndex
      })
    })
  }
}

async function orEmpty (result: Promise<ListResult>): Promise<ListResult> {
  try {
    return await result
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidFilter' && /unknown attribute|not filterable|no attribute/i.test(error.message)) {
      return { resources: [], totalResults: 0 }
    }
    throw error
  }
}
