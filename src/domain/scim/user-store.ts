import type { MemberDirectory } from '../healthcare/extension.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { AfterWrite } from '../lifecycle/effects.js'
import type { ListQuery } from './paging.js'

/** What the SCIM User service needs from persistence (implemented in src/persistence/scim). */
export type MembershipStatus = 'created' | 'active' | 'inactive'
/** Staff are a tenant's SCIM Users; patients (eID enrolment) never show in SCIM. */
export type MembershipKind = 'staff' | 'patient'

export interface StoredUser {
  id: string
  accountId: string
  userName: string
  externalId: string | undefined
  status: MembershipStatus
  kind: MembershipKind
  /** Personal SCIM attributes, shared by every tenant of the account. */
  profile: Record<string, unknown>
  /** Tenant-specific SCIM attributes (roles, entitlements, userType, extensions). */
  attributes: Record<string, unknown>
  /** Opaque; changes whenever the representation does (membership or account). */
  version: string
  /** The account's platform registration number (a sequence; formatted with its check digit on output). */
  registrationSequence: number
  /** When supervisingUser is set: whether that supervisor is still an active member (else flagged). */
  supervisorActive: boolean | undefined
  created: Date
  lastModified: Date
  /** The account's login (unique platform-wide); undefined when another account had the address first. */
  loginEmail: string | undefined
  /** Where mail for this member goes when there is no login: the primary or work email. */
  contactEmail: string | undefined
  sessionEpoch: number
  orgUnitIds: string[]
  lastActivityAt: Date | undefined
  /** User.groups, when the read asked for them. */
  groups?: GroupRef[]
}

/** A write's follow-up (audit, mail, quota, …), run inside the write's transaction. */
export interface Followup {
  context: ChangeContext
  run: AfterWrite<StoredUser>
}

export interface UserWrite {
  userName: string
  externalId: string | undefined
  status: MembershipStatus
  profile: Record<string, unknown>
  attributes: Record<string, unknown>
  /** Set only when a password was written. */
  passwordHash?: string
  /** Set only when the org units change (admin API). */
  orgUnitIds?: string[]
}

export interface NewUser extends UserWrite {
  /** The login email of the new account, when no other account has it yet. */
  loginEmail: string | undefined
  /**
   * An account with this login email gets the membership instead of a new account (the admin API's
   * "attach"); SCIM never links on an IdP's email (see SqlUserStore.accountFor).
   */
  attachToExistingAccount?: boolean
  /** The account this membership belongs to, already known (an eID matched it by national identifier). */
  accountId?: string
  kind?: MembershipKind
}

export interface GroupRef { value: string, display: string, type: 'direct' | 'indirect' }

export interface StoredPage<T> { items: T[], total: number }

/** Reads inside the caller's transaction (a second connection could deadlock on a pool of one). */
export interface UserLookups extends MemberDirectory {
  userExists: (id: string) => Promise<boolean>
  /** How many members name this user as their supervising user. */
  supervisees: (id: string) => Promise<number>
}

export interface UserStore {
  insert: (tenantId: string, user: NewUser, followup?: Followup) => Promise<StoredUser>
  /** `groups`: read User.groups too (a recursive subquery; skipped when the client's projection drops them). */
  get: (tenantId: string, id: string, groups?: boolean) => Promise<StoredUser | undefined>
  /**
   * Reads the user under a row lock, lets `mutate` compute the new state (undefined = no change) and
   * writes it, all in one transaction. Undefined when the user does not exist; the result has its groups.
   */
  modify: (tenantId: string, id: string, mutate: (current: StoredUser, lookups: UserLookups) => Promise<UserWrite | undefined>, followup?: Followup) => Promise<StoredUser | undefined>
  delete: (tenantId: string, id: string, check: (current: StoredUser, lookups: UserLookups) => Promise<void>, followup?: Followup) => Promise<boolean>
  /** Reads outside a transaction, for checks before a create. */
  directory: (tenantId: string) => MemberDirectory
  list: (tenantId: string, query: ListQuery, kind?: MembershipKind, groups?: boolean) => Promise<StoredPage<StoredUser>>
}
