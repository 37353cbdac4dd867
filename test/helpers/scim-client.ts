import type { FastifyInstance } from 'fastify'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

export interface ScimResponse {
  status: number
  headers: Record<string, string | string[] | number | undefined>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/** A SCIM client of one tenant, through app.inject (no network). */
export function scimClient (app: FastifyInstance, tenant: string, token: string) {
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResponse> => {
    const response = await app.inject({
      method: method as 'GET',
      url: `/scim/v2/${tenant}${path}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) })
    })
    return { status: response.statusCode, headers: response.headers, body: response.body === '' ? undefined : JSON.parse(response.body) }
  }
  return {
    request,
    get: async (path: string, headers?: Record<string, string>) => await request('GET', path, undefined, headers),
    post: async (path: string, body: unknown) => await request('POST', path, body),
    put: async (path: string, body: unknown, headers?: Record<string, string>) => await request('PUT', path, body, headers),
    patch: async (path: string, operations: unknown[], headers?: Record<string, string>) =>
      await request('PATCH', path, { schemas: [PATCH_SCHEMA], Operations: operations }, headers),
    delete: async (path: string, headers?: Record<string, string>) => await request('DELETE', path, undefined, headers),
    createUser: async (userName: string, extra: Record<string, unknown> = {}) => {
      const response = await request('POST', '/Users', { schemas: [USER_SCHEMA], userName, ...extra })
      if (response.status !== 201) throw new Error(`createUser ${userName}: ${response.status} ${JSON.stringify(response.body)}`)
      return response.body as { id: string, meta: { version: string, location: string } } & Record<string, unknown>
    },
    createGroup: async (displayName: string, memberIds: string[] = []) => {
      const response = await request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: memberIds.map(value => ({ value })) })
      if (response.status !== 201) throw new Error(`createGroup ${displayName}: ${response.status} ${JSON.stringify(response.body)}`)
      return response.body as { id: string, meta: { version: string } } & Record<string, unknown>
    }
  }
}

export type ScimClient = ReturnType<typeof scimClient>

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`
