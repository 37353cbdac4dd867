import type { MembershipKind, MembershipStatus } from '../scim/user-store.js'

/** The admin's accounts table (design.md: "a table of all accounts with status, roles and last activity"). */
export interface AccountRow {
  id: string
  /** The platform registration number (CS-…), the same in every tenant of the account. */
  registrationNumber: string
  givenName: string | undefined
  familyName: string | undefined
  displayName: string | undefined
  email: string | undefined
  roles: string[]
  features: string[]
  orgUnits: string[]
  status: MembershipStatus
  kind: MembershipKind
  lastActivityAt: string | null
  createdAt: string
}

export const ACCOUNT_SORT_KEYS = ['name', 'email', 'status', 'lastActivity', 'created'] as const

export interface AccountQuery {
  /** Part of a name or email, or a whole id. */
  search?: string
  status?: MembershipStatus
  kind?: MembershipKind
  role?: string
  /** This unit and its sub-units. */
  orgUnit?: string
  /** Only these units and their sub-units (an admin whose access is limited to org units). */
  withinOrgUnits?: string[]
  sort: typeof ACCOUNT_SORT_KEYS[number]
  order: 'asc' | 'desc'
  offset: number
  limit: number
}

export interface GroupSummary { id: string, displayName: string, roles: string[], features: string[], memberCount: number }
export interface GroupMemberRow { id: string, type: 'User' | 'Group', display: string }

export interface OrgUnitRecord { id: string, name: string, parentId: string | null }

export interface AccountDirectory {
  list: (tenantId: string, query: AccountQuery) => Promise<{ items: AccountRow[], total: number }>
  /** Whether the units (with their sub-units) cover any of the membership's units. */
  covers: (tenantId: string, units: string[], membershipUnits: string[]) => Promise<boolean>
  orgUnits: (tenantId: string) => Promise<OrgUnitRecord[]>
  groups: (tenantId: string) => Promise<GroupSummary[]>
  /** A group's direct members, by name: a page (users only within these org units, when given). */
  groupMembers: (tenantId: string, groupId: string, page: { offset: number, limit: number, withinOrgUnits?: string[] }) => Promise<{ items: GroupMemberRow[], total: number } | undefined>
}
