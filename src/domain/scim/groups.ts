import { notFound } from '../../scim/errors.js'
import { administratorGuard } from '../lifecycle/administrator-guard.js'
import { applyPatch, parsePatchRequest, splitMemberOperations, type MemberChange, type PatchOperation } from '../../scim/patch/index.js'
import type { SchemaRegistry } from '../../scim/schema/registry.js'
import { SCHEMA_URN } from '../../scim/schema/types.js'
import { checkImmutable, prepareWrite } from '../../scim/schema/validate.js'
import type { GroupStore, GroupWrite, MemberRef, StoredGroup } from './group-store.js'
import { listPage, type PageLimits } from './paging.js'
import type { ListRequest, ListResult, ScimScope } from './users.js'
import { checkIfMatch, metaOf } from './versions.js'

type Resource = Record<string, unknown>

export interface GroupReadOptions {
  /** Load the member rows: skip when the client excluded `members` (large groups). */
  members: boolean
}

const COLUMNS = new Set(['schemas', 'id', 'meta', 'displayName', 'externalId', 'members'])

function splitGroup (resource: Resource): GroupWrite {
  const attributes: Resource = {}
  for (const [key, value] of Object.entries(resource)) if (!COLUMNS.has(key)) attributes[key] = value
  return { displayName: resource.displayName as string, externalId: resource.externalId as string | undefined, attributes }
}

function memberIdsOf (resource: Resource): string[] {
  return ((resource.members as Array<{ value: string }> | undefined) ?? []).map(m => m.value)
}

/** The group as a SCIM resource without members (they are rows, changed row by row). */
function groupResource (group: StoredGroup): Resource {
  const extensions = Object.keys(group.attributes).filter(key => key.startsWith('urn:'))
  return {
    schemas: [SCHEMA_URN.group, ...extensions],
    id: group.id,
    ...(group.externalId === undefined ? {} : { externalId: group.externalId }),
    displayName: group.displayName,
    ...group.attributes
  }
}

export class ScimGroups {
  constructor (
    private readonly registry: SchemaRegistry,
    private readonly store: GroupStore,
    private readonly limits: PageLimits
  ) {}

  async create (scope: ScimScope, body: unknown): Promise<Resource> {
    const resource = prepareWrite(this.registry, 'Group', body, 'create')
    const stored = await this.store.insert(scope.tenantId, splitGroup(resource), memberIdsOf(resource), scope.context)
    return (await this.withMembers(scope, [stored], { members: true }))[0]!
  }

  async get (scope: ScimScope, id: string, options: GroupReadOptions): Promise<Resource> {
    const stored = await this.store.get(scope.tenantId, id)
    if (stored === undefined) throw notFound(`Group ${id} not found`)
    return (await this.withMembers(scope, [stored], options))[0]!
  }

  /** PUT replaces the whole group, members included (RFC 7644 §3.5.1). */
  async replace (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined): Promise<Resource> {
    const resource = prepareWrite(this.registry, 'Group', body, 'replace')
    const stored = await this.store.modify(scope.tenantId, id, current => {
      checkIfMatch(ifMatch, current.version)
      checkImmutable(this.registry, 'Group', groupResource(current), { ...resource, members: undefined })
      return { write: splitGroup(resource), memberChanges: [{ kind: 'replaceAll', ids: memberIdsOf(resource) }] }
    }, scope.context, administratorGuard(scope.settings))
    if (stored === undefined) throw notFound(`Group ${id} not found`)
    return (await this.withMembers(scope, [stored], { members: true }))[0]!
  }

  /**
   * PATCH: member operations become row inserts and deletes (a group of 50,000 members is never loaded);
   * the rest is applied to the representation without members. Atomic, under the group's row lock.
   */
  async patch (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined, options: GroupReadOptions): Promise<Resource> {
    const { memberChanges, otherOperations } = splitMemberOperations(parsePatchRequest(body))
    const stored = otherOperations.length === 0
      ? await this.store.changeMembers(scope.tenantId, id, memberChanges, current => checkIfMatch(ifMatch, current.version), ifMatch !== undefined, scope.context, administratorGuard(scope.settings))
      : await this.modifyLocked(scope, id, ifMatch, memberChanges, otherOperations)
    if (stored === undefined) throw notFound(`Group ${id} not found`)
    return (await this.withMembers(scope, [stored], options))[0]!
  }

  /** Attribute changes are applied to the current representation under the group's row lock. */
  private async modifyLocked (scope: ScimScope, id: string, ifMatch: string | undefined, memberChanges: MemberChange[], otherOperations: PatchOperation[]): Promise<StoredGroup | undefined> {
    return await this.store.modify(scope.tenantId, id, current => {
      checkIfMatch(ifMatch, current.version)
      let write: GroupWrite | undefined
      if (otherOperations.length > 0) {
        const result = applyPatch(this.registry, 'Group', groupResource(current), otherOperations)
        if (result.changed) write = splitGroup(prepareWrite(this.registry, 'Group', result.resource, 'replace'))
      }
      return write === undefined ? { memberChanges } : { write, memberChanges }
    }, scope.context, administratorGuard(scope.settings))
  }

  async delete (scope: ScimScope, id: string, ifMatch: string | undefined): Promise<void> {
    const deleted = await this.store.delete(scope.tenantId, id, current => checkIfMatch(ifMatch, current.version), scope.context, administratorGuard(scope.settings))
    if (!deleted) throw notFound(`Group ${id} not found`)
  }

  async list (scope: ScimScope, request: ListRequest, options: GroupReadOptions): Promise<ListResult> {
    const { items, ...page } = await listPage(request, this.limits, async query => await this.store.list(scope.tenantId, query))
    return { resources: await this.withMembers(scope, items, options), ...page }
  }

  private async withMembers (scope: ScimScope, groups: StoredGroup[], options: GroupReadOptions): Promise<Resource[]> {
    const members = options.members ? await this.store.membersOf(scope.tenantId, groups.map(g => g.id)) : undefined
    return groups.map(group => this.represent(scope, group, members?.get(group.id)))
  }

  private represent (scope: ScimScope, group: StoredGroup, members: MemberRef[] | undefined): Resource {
    const resource = groupResource(group)
    if (members !== undefined && members.length > 0) {
      resource.members = members.map(m => ({
        value: m.value,
        $ref: `${scope.baseUrl}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`,
        type: m.type,
        ...(m.display === undefined ? {} : { display: m.display })
      }))
    }
    resource.meta = metaOf('Group', group, scope.baseUrl)
    return resource
  }
}

export type { MemberChange }
