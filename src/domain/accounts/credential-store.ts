import type { ChangeContext } from '../lifecycle/change-context.js'
import type { ChangeEffects } from '../lifecycle/effects.js'
import type { MembershipStatus } from '../scim/user-store.js'

export interface SignInRecord {
  tenantId: string
  membershipId: string
  accountId: string
  status: MembershipStatus
  passwordHash: string | undefined
  sessionEpoch: number
  /** Too many wrong passwords lately: no password is checked until the pause is over. */
  blocked: boolean
}

export interface LinkRecord {
  id: string
  kind: 'activation' | 'reset'
  tenantId: string
  membershipId: string
  /** Where the link was sent. */
  email: string
  expired: boolean
  used: boolean
  status: MembershipStatus
  accountId: string
  accountEmail: string | undefined
}

/** What a session is allowed right now: read on every request, so a deactivation stops it at once. */
export interface SessionState {
  status: MembershipStatus
  sessionEpoch: number
  accountId: string
  email: string | undefined
  name: string | undefined
  /** Direct roles and those of every group the membership is in, at any depth (lowercase keys). */
  roles: string[]
  features: string[]
  orgUnitIds: string[]
}

export interface CredentialStore {
  findSignIn: (tenantId: string, email: string) => Promise<SignInRecord | undefined>
  /** Whether some account has this login email (in any tenant). */
  accountExists: (email: string) => Promise<boolean>
  /**
   * Under a row lock on the link: `decide` validates it and returns the password hash to set; then the
   * password is stored, the link used, the membership activated (and joined to the account that owns
   * the address, when it had none: the person has now proven control of it).
   */
  redeemLink: (tokenHash: string, context: ChangeContext, decide: (link: LinkRecord, effects: ChangeEffects) => Promise<string>) => Promise<LinkRecord | undefined>
  sessionState: (tenantId: string, membershipId: string) => Promise<SessionState | undefined>
  /** Whether "forgot password" sent this membership a link in the last minute (it is not a mail cannon). */
  linkRequestedRecently: (tenantId: string, membershipId: string) => Promise<boolean>
  /** A wrong password: counted on the account; from LOCKOUT_THRESHOLD on, sign-in pauses (growing, at most an hour). */
  recordSignInFailure: (accountId: string) => Promise<void>
  recordSignInSuccess: (accountId: string) => Promise<void>
  /** Ends the membership's sessions (raises its session epoch), if it is still at this epoch. */
  endSessions: (tenantId: string, membershipId: string, epoch: number) => Promise<void>
  /** Records sign-in or activity (at most every few minutes per membership). */
  touch: (tenantId: string, membershipId: string) => Promise<void>
  /** One transaction with the change's effects (audit, mail, …) and nothing else. */
  withEffects: <T>(tenantId: string, context: ChangeContext, work: (effects: ChangeEffects) => Promise<T>) => Promise<T>
}
