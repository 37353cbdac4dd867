import { checkKnownFeatures } from '../access/catalogue.js'
import type { AdminSession } from '../accounts/account-administration.js'
import { conflict, forbidden, notFound } from '../errors.js'
import type { MembershipLifecycle } from '../lifecycle/membership-lifecycle.js'
import { featuresOf } from '../tenants/tenant-service.js'
import type { CredentialStore } from '../accounts/credential-store.js'
import type { Enrolment } from './enrolment.js'
import { LANGUAGE_OF_ID_KIND, type EnrolmentStore, type LoginRequestRecord } from './enrolment-store.js'

/** The review queue (EG Clinea's "Loginbestillinger"): pending sign-ups an admin approves or rejects. */
export class LoginRequests {
  constructor (
    private readonly store: EnrolmentStore,
    private readonly enrolment: Enrolment,
    private readonly credentials: CredentialStore,
    private readonly lifecycle: MembershipLifecycle,
    private readonly publicUrl: string
  ) {}

  async list (admin: AdminSession, status: LoginRequestRecord['status'] | undefined, offset: number, limit: number) {
    mayReview(admin)
    return await this.store.listRequests(admin.tenant.id, status, offset, limit)
  }

  /** Creates or links the account and an active patient membership; the patient gets the welcome mail. */
  async approve (admin: AdminSession, id: string, chosenFeatures: string[] | undefined): Promise<LoginRequestRecord> {
    mayReview(admin)
    const request = await this.pending(admin, id)
    const provider = request.identityProviderId === null ? undefined : await this.store.provider(admin.tenant.id, request.identityProviderId)
    const features = chosenFeatures ?? provider?.defaultFeatures ?? []
    checkKnownFeatures(features, featuresOf(admin.tenant.settings))
    const person = {
      givenName: request.givenName ?? undefined,
      familyName: request.familyName ?? undefined,
      email: request.email ?? undefined,
      nationalId: { kind: request.nationalIdKind, hash: request.nationalIdHash, sealed: request.nationalIdSealed }
    }
    await this.enrolment.admit(admin.tenant, person, request.matchedAccountId ?? undefined, features, admin.context, async (effects, membership) => {
      if (!await effects.decideLoginRequest(id, { status: 'approved', decidedBy: admin.membershipId, membershipId: membership.id, features })) throw alreadyDecided()
      await effects.audit({ action: 'login-request.approved', targetType: 'login-request', targetId: id, changes: { status: { from: 'pending', to: 'approved' }, features: { from: null, to: features } } })
      if (request.email !== null) await this.lifecycle.sendEnrolmentDecision(effects, admin.tenant, recipientOf(request, request.email), { approved: true, signInUrl: `${this.publicUrl}/enroll/${admin.tenant.slug}/start` })
      await this.lifecycle.notifyAdministrators(effects, admin.tenant, 'account-created', { name: name(request) ?? 'a patient', ...(request.email === null ? {} : { email: request.email }) })
    })
    return (await this.store.request(admin.tenant.id, id))!
  }

  async reject (admin: AdminSession, id: string, reason: string): Promise<LoginRequestRecord> {
    mayReview(admin)
    const request = await this.pending(admin, id)
    await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      if (!await effects.decideLoginRequest(id, { status: 'rejected', decidedBy: admin.membershipId, reason })) throw alreadyDecided()
      await effects.audit({ action: 'login-request.rejected', targetType: 'login-request', targetId: id, changes: { status: { from: 'pending', to: 'rejected' }, reason: { from: null, to: reason } } })
      if (request.email !== null) await this.lifecycle.sendEnrolmentDecision(effects, admin.tenant, recipientOf(request, request.email), { approved: false, reason })
    })
    return (await this.store.request(admin.tenant.id, id))!
  }

  private async pending (admin: AdminSession, id: string): Promise<LoginRequestRecord> {
    const request = await this.store.request(admin.tenant.id, id)
    if (request === undefined) throw notFound(`No login request ${id} in this tenant`)
    if (request.status !== 'pending') throw alreadyDecided(request.status)
    return request
  }
}

function mayReview (admin: AdminSession): void {
  if (!admin.permissions.has('login-requests.review')) throw forbidden('This needs the permission login-requests.review, which your roles in this tenant do not give')
}

function alreadyDecided (status?: string) {
  return conflict(`This login request has already been decided${status === undefined ? '' : ` (${status})`}`)
}

function recipientOf (request: LoginRequestRecord, email: string) {
  return { email, name: name(request), language: LANGUAGE_OF_ID_KIND[request.nationalIdKind] }
}

function name (request: LoginRequestRecord): string | undefined {
  return [request.givenName, request.familyName].filter(Boolean).join(' ') || undefined
}
