import type { NationalIdKind } from '../../identity/national-id.js'
import type { OutgoingMail } from '../../mail/message.js'
import type { ChangeContext } from './change-context.js'

export type QuotaAction = 'create' | 'deactivate' | 'reactivate'

export interface AuditEntry {
  action: string
  targetType?: 'user' | 'group' | 'role' | 'org-unit' | 'tenant' | 'login-request' | 'idp'
  targetId?: string
  /** Changed fields (see changedFields): secrets and national identifiers appear without values. */
  changes?: Record<string, unknown>
}

export interface LinkRequest {
  kind: 'activation' | 'reset'
  membershipId: string
  email: string
  ttlHours: number
}

export interface Recipient { email: string, name: string | undefined, language: string | undefined }

/**
 * What a change writes beside the resource, inside the same transaction (design.md: one transaction
 * per change): audit row, outbox mail, quota count, single-use links, session revocation.
 */
export interface ChangeEffects {
  readonly tenantId: string
  readonly context: ChangeContext
  audit: (entry: AuditEntry) => Promise<void>
  mail: (mail: OutgoingMail) => Promise<void>
  /** Counts one action against today's (UTC) quota; false when the quota is used up. */
  consumeQuota: (action: QuotaAction, limit: number) => Promise<boolean>
  /** Stores a new single-use link and returns its secret (only its hash is kept). */
  issueLink: (link: LinkRequest) => Promise<{ id: string, token: string }>
  /** Ends the membership's sessions at once and voids its unused links. */
  revokeAccess: (membershipId: string) => Promise<void>
  /** Active memberships holding one of these roles (directly or through a group), with a login email. */
  membersWithRoles: (roles: string[]) => Promise<Recipient[]>
  /**
   * How many active memberships hold one of these roles; taken under a per-tenant lock held to the end
   * of the transaction, so that two concurrent removals cannot both see the other as the remaining one.
   */
  countHoldersLocked: (roles: string[], excluding?: string) => Promise<number>
  /** Roles a membership holds through its groups (at any depth). */
  groupRolesOf: (membershipId: string) => Promise<string[]>
  /** Undefined when the parent is not a unit of the tenant. */
  createOrgUnit: (name: string, parentId: string | undefined) => Promise<{ id: string } | undefined>
  saveTenantSettings: (settings: Record<string, unknown>) => Promise<void>
  /** Binds a national identifier (keyed hash, sealed value) to an account; a no-op when it is bound already. */
  linkNationalIdentity: (accountId: string, identity: { kind: NationalIdKind, hash: string, sealed: string }) => Promise<void>
  /** False when the login request is no longer pending (decided meanwhile): the caller rolls back. */
  decideLoginRequest: (id: string, decision: { status: 'approved' | 'rejected', decidedBy: string, membershipId?: string, features?: string[], reason?: string }) => Promise<boolean>
  /** False when there is no such group in the tenant. */
  setGroupGrants: (groupId: string, grants: { roles: string[], features: string[] }) => Promise<boolean>
}

/** Runs `work` after the resource write, inside its transaction. */
export type AfterWrite<T> = (effects: ChangeEffects, before: T | undefined, after: T | undefined) => Promise<void>
