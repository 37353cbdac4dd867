import type { MemberChange } from '../../scim/patch/index.js'
import type { AdministratorGuard } from '../lifecycle/administrator-guard.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { ListQuery } from './paging.js'
import type { StoredPage } from './user-store.js'

export interface StoredGroup {
  id: string
  displayName: string
  externalId: string | undefined
  /** Other SCIM attributes of the group (extensions). */
  attributes: Record<string, unknown>
  version: string
  created: Date
  lastModified: Date
}

export interface GroupWrite {
  displayName: string
  externalId: string | undefined
  attributes: Record<string, unknown>
}

export interface MemberRef { value: string, type: 'User' | 'Group', display: string | undefined }

export interface GroupChange {
  /** New attributes; undefined = unchanged. */
  write?: GroupWrite
  /** Member rows to add or remove, in order; only the rows that change are touched. */
  memberChanges: MemberChange[]
}

/**
 * Every write is audited in its own transaction, as this context. A change that removes members or the
 * group keeps the tenant's last user administrator (`guard`) when the group grants the role.
 */
export interface GroupStore {
  /** Unknown member ids → 400 invalidValue. */
  insert: (tenantId: string, group: GroupWrite, memberIds: string[], context: ChangeContext) => Promise<StoredGroup>
  get: (tenantId: string, id: string) => Promise<StoredGroup | undefined>
  /** Under a row lock on the group, in one transaction; undefined = no such group. */
  modify: (tenantId: string, id: string, change: (current: StoredGroup) => GroupChange | undefined, context: ChangeContext, guard?: AdministratorGuard) => Promise<StoredGroup | undefined>
  /**
   * Member rows only: the group's row is locked just for the version bump at the end, so concurrent
   * member PATCHes of one big group wait for each other only briefly. `check` sees the version first;
   * a concurrent change after it fails the write with 412 when `strict`.
   */
  changeMembers: (tenantId: string, id: string, changes: MemberChange[], check: (current: StoredGroup) => void, strict: boolean, context: ChangeContext, guard?: AdministratorGuard) => Promise<StoredGroup | undefined>
  delete: (tenantId: string, id: string, check: (current: StoredGroup) => void, context: ChangeContext, guard?: AdministratorGuard) => Promise<boolean>
  list: (tenantId: string, query: ListQuery) => Promise<StoredPage<StoredGroup>>
  membersOf: (tenantId: string, groupIds: string[]) => Promise<Map<string, MemberRef[]>>
}
