import { hashPassword, verifyPassword } from '../../identity/passwords.js'
import { linkTokenHash } from '../../identity/link-tokens.js'
import { passwordProblem } from '../../identity/password-policy.js'
import { invalid, unauthorized } from '../errors.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { MembershipLifecycle } from '../lifecycle/membership-lifecycle.js'
import type { UserStore } from '../scim/user-store.js'
import type { Tenant } from '../tenants/tenant-service.js'
import type { CredentialStore, SessionState } from './credential-store.js'

/** What a session token carries (design.md: account, tenant and roles). */
export interface SessionClaims {
  /** The membership */
  sub: string
  acc: string
  tid: string
  ten: string
  roles: string[]
  /** The membership's session epoch at sign-in: a deactivation raises it, ending the session. */
  sep: number
  /** When the person signed in (epoch seconds): renewals keep it, so a session has an end however busy. */
  sat?: number
}

export interface TenantLookup { findBySlug: (slug: string) => Promise<Tenant | undefined> }

const INVALID_LINK = 'This link is invalid, already used or expired. Ask for a new one on the sign-in page ("forgot password") or from your administrator.'
const INVALID_CREDENTIALS = 'The email address, password or organisation is not right, or the account is not active there.'
// Verified when no account matches, so that a wrong email costs as long as a wrong password.
const DUMMY_HASH = await hashPassword('carescim-dummy-password')

/** Activation, sign-in, "forgot password" and the per-request session check (design.md: Sessions). */
export class SignIn {
  constructor (
    private readonly credentials: CredentialStore,
    private readonly users: UserStore,
    private readonly tenants: TenantLookup,
    private readonly lifecycle: MembershipLifecycle
  ) {}

  /** POST /auth/activate: a single-use link sets the password and activates the membership. */
  async activate (token: string, password: string, context: ChangeContext): Promise<void> {
    if (typeof token !== 'string' || token.length < 20) throw invalid(INVALID_LINK)
    const redeemed = await this.credentials.redeemLink(linkTokenHash(token), context, async link => {
      if (link.used || link.expired || link.status === 'inactive') throw invalid(INVALID_LINK)
      const problem = passwordProblem(password, link.email)
      if (problem !== undefined) throw invalid(problem)
      return await hashPassword(password)
    })
    if (redeemed === undefined) throw invalid(INVALID_LINK)
  }

  /** POST /auth/login: one answer for every failure, so that nobody learns which accounts exist. */
  async login (slug: string, email: string, password: string, context: ChangeContext): Promise<SessionClaims> {
    const tenant = await this.tenants.findBySlug(slug)
    const record = tenant === undefined ? undefined : await this.credentials.findSignIn(tenant.id, email)
    const usable = record !== undefined && !record.blocked
    const verified = await verifyPassword(password, (usable ? record.passwordHash : undefined) ?? DUMMY_HASH)
    if (usable && record.passwordHash !== undefined) {
      if (verified) await this.credentials.recordSignInSuccess(record.accountId)
      else await this.credentials.recordSignInFailure(record.accountId)
    }
    if (tenant === undefined || record === undefined || !usable || !verified || record.status !== 'active') throw unauthorized(INVALID_CREDENTIALS)
    if (tenant.settings.signIn === 'sso') throw unauthorized(`This organisation signs in through its own identity provider: /auth/sso/${tenant.slug}/start`)
    const state = await this.credentials.sessionState(tenant.id, record.membershipId)
    if (state === undefined) throw unauthorized(INVALID_CREDENTIALS)
    await this.credentials.withEffects(tenant.id, { ...context, actor: { type: 'account', id: record.membershipId, label: state.name ?? state.email } }, async effects => {
      await effects.audit({ action: 'session.created', targetType: 'user', targetId: record.membershipId })
    })
    await this.credentials.touch(tenant.id, record.membershipId)
    return { sub: record.membershipId, acc: record.accountId, tid: tenant.id, ten: tenant.slug, roles: state.roles, sep: state.sessionEpoch }
  }

  /**
   * POST /auth/forgot: always "accepted". A waiting or active member gets a new link (activation or
   * reset, same page); nothing is sent for unknown addresses or inactive memberships.
   */
  async forgot (slug: string, email: string, context: ChangeContext): Promise<void> {
    const tenant = await this.tenants.findBySlug(slug)
    if (tenant === undefined || typeof email !== 'string') return
    const record = await this.credentials.findSignIn(tenant.id, email)
    if (record === undefined || record.status === 'inactive') return
    if (await this.credentials.linkRequestedRecently(tenant.id, record.membershipId)) return
    const user = await this.users.get(tenant.id, record.membershipId)
    if (user === undefined) return
    await this.credentials.withEffects(tenant.id, { ...context, actor: { type: 'account', id: record.membershipId } }, async effects => {
      const sent = await this.lifecycle.sendActivation(effects, tenant, user, record.status === 'created' ? 'activation' : 'reset')
      if (sent) await effects.audit({ action: 'user.link-requested', targetType: 'user', targetId: user.id })
    })
  }

  /** The revocation check: the session's membership must still be active and its epoch unchanged. */
  /** Sign-out: the session's token stops working at once (sessions have no id of their own, so every session of the membership ends). */
  async signOut (claims: SessionClaims): Promise<void> {
    if (await this.session(claims) !== undefined) await this.credentials.endSessions(claims.tid, claims.sub, claims.sep)
  }

  async session (claims: SessionClaims): Promise<SessionState | undefined> {
    const state = await this.credentials.sessionState(claims.tid, claims.sub)
    if (state === undefined || state.status !== 'active' || state.sessionEpoch !== claims.sep || state.accountId !== claims.acc) return undefined
    await this.credentials.touch(claims.tid, claims.sub)
    return state
  }
}
