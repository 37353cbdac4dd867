import { randomUUID } from 'node:crypto'
import { languageOf, renderMail, type AdminAction, type Language, type MailData, type MailKind } from '../../mail/templates.js'
import { administratorRoles } from '../access/catalogue.js'
import { conflict, QuotaExceededError } from '../errors.js'
import type { StoredUser } from '../scim/user-store.js'
import { catalogueValues, displayNameOf, userResource } from '../scim/user-attributes.js'
import { dailyQuota, roleCatalogueOf, type TenantSettings } from '../tenants/tenant-service.js'
import { changedFields } from './changed-fields.js'
import type { ChangeContext } from './change-context.js'
import type { AuditEntry, ChangeEffects, QuotaAction } from './effects.js'
import { transitionBetween } from './status-machine.js'

export interface LifecycleTenant {
  id: string
  slug: string
  displayName: string
  settings: TenantSettings
}

export interface LifecycleSettings {
  publicUrl: string
  activationLinkTtlHours: number
}

const AUDIT_ACTION = { create: 'user.created', deactivate: 'user.deactivated', reactivate: 'user.reactivated', activate: 'user.activated', end: 'user.deleted', update: 'user.updated' } as const
const NOTIFICATION: Record<keyof typeof AUDIT_ACTION, AdminAction> = {
  create: 'account-created', deactivate: 'account-deactivated', reactivate: 'account-reactivated', activate: 'account-updated', end: 'membership-ended', update: 'account-updated'
}

/** Audit rows written on their own, when the change they belong to did not happen. */
export interface AuditLog {
  record: (tenantId: string, context: ChangeContext, entry: AuditEntry) => Promise<void>
}

/**
 * What a membership's change brings with it, whatever made it (SCIM, admin API, CLI): quota, audit row,
 * activation mail, revoked sessions, and a note to the user administrators when an administrator acted.
 */
export class MembershipLifecycle {
  constructor (private readonly settings: LifecycleSettings, private readonly auditLog: AuditLog) {}

  /** Runs a change; a refusal for quota is audited, though the change itself rolled back. */
  async guard<T> (scope: { tenantId: string, context: ChangeContext }, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        await this.auditLog.record(scope.tenantId, scope.context, { action: 'quota.exceeded', changes: { action: error.action, limit: error.limit } })
      }
      throw error
    }
  }

  async afterWrite (effects: ChangeEffects, tenant: LifecycleTenant, before: StoredUser | undefined, after: StoredUser | undefined): Promise<void> {
    const change = before === undefined ? 'create' : after === undefined ? 'end' : transitionBetween(before.status, after.status) ?? 'update'
    if (before !== undefined) await this.keepAnAdministrator(effects, tenant, before, after)
    if (change === 'deactivate' || change === 'end') await effects.revokeAccess(before!.id)
    if ((change === 'create' || change === 'reactivate') && after!.status === 'created') await this.sendActivation(effects, tenant, after!, 'activation')

    const changes = changedFields(before === undefined ? undefined : userResource(before), after === undefined ? undefined : userResource(after))
    if (change !== 'update' || Object.keys(changes).length > 0) {
      const target = (after ?? before)!
      await effects.audit({ action: AUDIT_ACTION[change], targetType: 'user', targetId: target.id, changes })
      if (effects.context.source === 'admin') await this.notifyAdministrators(effects, tenant, NOTIFICATION[change], target, Object.keys(changes))
    }
    // Last: the tenant's counter row stays locked from here to the commit, and each quota-counted change of
    // the tenant waits for it. Taken first, it was held over the mail, the audit row and the notifications.
    if (change === 'create' || change === 'deactivate' || change === 'reactivate') await this.consumeQuota(effects, tenant, change)
  }

  /** A tenant always keeps an active user administrator: the change that would remove the last one is refused. */
  private async keepAnAdministrator (effects: ChangeEffects, tenant: LifecycleTenant, before: StoredUser, after: StoredUser | undefined): Promise<void> {
    if (before.status !== 'active') return
    const adminRoles = administratorRoles(roleCatalogueOf(tenant.settings))
    const viaGroups = await effects.groupRolesOf(before.id)
    const isAdministrator = (user: StoredUser | undefined) => user !== undefined && user.status === 'active' &&
      [...catalogueValues(user.attributes.roles), ...viaGroups].some(role => adminRoles.includes(role))
    if (!isAdministrator(before) || isAdministrator(after)) return
    // A membership being deleted is still in the table while this runs.
    if (await effects.countHoldersLocked(adminRoles, after === undefined ? before.id : undefined) === 0) {
      throw conflict(`${recipientName(before) ?? before.userName} is this tenant's last active user administrator: make someone else user administrator first`)
    }
  }

  private async consumeQuota (effects: ChangeEffects, tenant: LifecycleTenant, action: QuotaAction): Promise<void> {
    const limit = dailyQuota(tenant.settings, action)
    if (!await effects.consumeQuota(action, limit)) throw new QuotaExceededError(action, limit, secondsUntilNextUtcDay())
  }

  /**
   * The activation mail (or the reset mail of "forgot password", same link): a password tenant's
   * member sets a password; an SSO tenant's member gets a welcome mail and signs in through the provider.
   */
  async sendActivation (effects: ChangeEffects, tenant: LifecycleTenant, user: StoredUser, kind: 'activation' | 'reset'): Promise<boolean> {
    const email = user.loginEmail ?? user.contactEmail
    if (email === undefined) return false
    const recipient = recipientName(user)
    const language = languageOf((user.profile.preferredLanguage ?? user.profile.locale) as string | undefined)
    if (tenant.settings.signIn === 'sso') {
      await this.enqueue(effects, 'welcome', email, language, randomUUID(), { tenantName: tenant.displayName, recipientName: recipient, signInUrl: signInUrl(this.settings.publicUrl, tenant) })
      return true
    }
    const link = await effects.issueLink({ kind, membershipId: user.id, email, ttlHours: this.settings.activationLinkTtlHours })
    await this.enqueue(effects, kind, email, language, link.id, {
      tenantName: tenant.displayName,
      recipientName: recipient,
      // The tenant lets the page offer that organisation's sign-in once the password is set.
      link: `${this.settings.publicUrl}/activate?token=${link.token}&tenant=${encodeURIComponent(tenant.slug)}`,
      validHours: this.settings.activationLinkTtlHours
    })
    return true
  }

  /** Every admin action is mailed to the tenant's user administrators: who did what to whom. */
  async notifyAdministrators (effects: ChangeEffects, tenant: LifecycleTenant, action: AdminAction, target: StoredUser | { name: string, email?: string }, fields: string[] = []): Promise<void> {
    const administrators = await effects.membersWithRoles(administratorRoles(roleCatalogueOf(tenant.settings)))
    const targetName = 'id' in target ? recipientName(target) ?? target.userName : target.name
    const targetEmail = 'id' in target ? target.loginEmail ?? target.contactEmail : target.email
    for (const administrator of administrators) {
      await this.enqueue(effects, 'admin-notification', administrator.email, languageOf(administrator.language), randomUUID(), {
        tenantName: tenant.displayName,
        actorName: effects.context.actor.label ?? 'An administrator',
        action,
        targetName,
        ...(targetEmail === undefined ? {} : { targetEmail }),
        fields,
        at: new Date()
      })
    }
  }

  /** A patient confirms the contact address they typed (their eID gave none). */
  async sendEmailVerification (effects: ChangeEffects, tenant: LifecycleTenant, email: string, link: string, validHours: number, language: string | undefined): Promise<void> {
    await this.enqueue(effects, 'email-verification', email, languageOf(language), randomUUID(), { tenantName: tenant.displayName, link, validHours })
  }

  /** The patient hears of the review's outcome: approved (with where to sign in) or rejected (with the reason). */
  async sendEnrolmentDecision (effects: ChangeEffects, tenant: LifecycleTenant, recipient: { email: string, name: string | undefined, language: string }, decision: { approved: true, signInUrl: string } | { approved: false, reason: string }): Promise<void> {
    const data = { tenantName: tenant.displayName, ...(recipient.name === undefined ? {} : { recipientName: recipient.name }) }
    const language = languageOf(recipient.language)
    if (decision.approved) await this.enqueue(effects, 'enrolment-approved', recipient.email, language, randomUUID(), { ...data, signInUrl: decision.signInUrl })
    else await this.enqueue(effects, 'enrolment-rejected', recipient.email, language, randomUUID(), { ...data, reason: decision.reason })
  }

  private async enqueue<K extends MailKind> (effects: ChangeEffects, kind: K, recipient: string, language: Language, key: string, data: MailData[K]): Promise<void> {
    const rendered = renderMail(kind, language, data)
    await effects.mail({ idempotencyKey: `${kind}:${key}`, tenantId: effects.tenantId, kind, recipient, ...rendered })
  }
}

function recipientName (user: StoredUser): string | undefined {
  return displayNameOf(user.profile)
}

export function secondsUntilNextUtcDay (now = new Date()): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000))
}

/** The console's sign-in page of a tenant. */
function signInUrl (publicUrl: string, tenant: { slug: string }): string {
  return `${publicUrl}/console/${encodeURIComponent(tenant.slug)}/sign-in`
}
