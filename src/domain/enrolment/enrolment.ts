import { randomBytes } from 'node:crypto'
import { nationalIdHash, type NationalIdKind } from '../../identity/national-id.js'
import type { SecretBox } from '../../identity/secret-box.js'
import type { TokenSigner } from '../../identity/signed-token.js'
import { validEmail } from '../email.js'
import { checkIdentifier, birthDateOf } from '../healthcare/identifiers/index.js'
import type { SessionClaims } from '../accounts/sign-in.js'
import type { CredentialStore } from '../accounts/credential-store.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { ChangeEffects } from '../lifecycle/effects.js'
import type { MembershipLifecycle } from '../lifecycle/membership-lifecycle.js'
import { splitUser, userResource } from '../scim/user-attributes.js'
import type { StoredUser, UserStore } from '../scim/user-store.js'
import type { Tenant } from '../tenants/tenant-service.js'
import type { EnrolmentStore, IdentityProviderRecord } from './enrolment-store.js'

/** What a national eID vouched for, checked and reduced to what CareSCIM keeps. */
export interface VerifiedPerson {
  givenName: string | undefined
  familyName: string | undefined
  birthdate: string | undefined
  /** Only an address the provider marked verified (or did not mark at all). */
  email: string | undefined
  acr: string | undefined
  nationalId: { kind: NationalIdKind, hash: string, sealed: string, birthdate: string | undefined }
}

export type EnrolmentOutcome =
  | { status: 'signed-in', session: SessionClaims, needsEmail?: boolean }
  | { status: 'pending', requestId: string, needsEmail?: boolean }
  | { status: 'refused', code: RefusalCode, reason: string }

/** Whose contact address a patient is giving: their new membership, or their pending request. */
export type ContactTarget = { tenant: string, membershipId: string } | { tenant: string, requestId: string }

const EMAIL_LINK_HOURS = 24

/** Why a sign-in was refused, for the page the person sees (in their language; `reason` is the English text). */
export type RefusalCode = 'acr-too-low' | 'national-id-missing' | 'national-id-invalid' | 'access-ended' | 'no-matching-account'

export class EnrolmentRefusedError extends Error {
  constructor (readonly code: RefusalCode, message: string, readonly params: Record<string, string> = {}) {
    super(message)
  }
}

/**
 * Patient self-enrolment (design.md: login request): the eID's national identifier is matched by its keyed
 * hash; per provider policy the patient becomes a member at once (auto) or waits for an admin (review).
 */
export class Enrolment {
  constructor (
    private readonly store: EnrolmentStore,
    private readonly users: UserStore,
    private readonly credentials: CredentialStore,
    private readonly lifecycle: MembershipLifecycle,
    private readonly keys: { nationalIdHmacKey: string, box: SecretBox },
    private readonly links: { publicUrl: string, signer: TokenSigner }
  ) {}

  /**
   * The eID gave no address: the patient types one, and a link confirms it is theirs (nothing is stored
   * before that: the link carries the address, signed).
   */
  async offerEmail (tenant: Tenant, target: ContactTarget, email: string, context: ChangeContext, language: string | undefined): Promise<void> {
    const address = validEmail(email)
    const token = this.links.signer.sign({ ...target, email: address }, EMAIL_LINK_HOURS * 3600)
    await this.credentials.withEffects(tenant.id, context, async effects => {
      await this.lifecycle.sendEmailVerification(effects, tenant, address, `${this.links.publicUrl}/enroll/verify-email?token=${token}`, EMAIL_LINK_HOURS, language)
    })
  }

  /** The link from offerEmail: the address is now the patient's (on the request or the account). */
  async confirmEmail (token: string, resolveTenant: (slug: string) => Promise<Tenant | undefined>, context: ChangeContext): Promise<boolean> {
    const payload = this.links.signer.verify<ContactTarget & { email: string }>(token)
    const tenant = payload === undefined ? undefined : await resolveTenant(payload.tenant)
    if (payload === undefined || tenant === undefined) return false
    const target = 'requestId' in payload ? { requestId: payload.requestId } : { membershipId: payload.membershipId }
    return await this.store.confirmEmail(tenant.id, target, payload.email, context)
  }

  /** The claims' checks beyond the signature: level of assurance and a valid national identifier. */
  verify (provider: IdentityProviderRecord, claims: Record<string, unknown>): VerifiedPerson {
    const acr = typeof claims.acr === 'string' ? claims.acr : undefined
    if (provider.acrValues.length > 0 && (acr === undefined || !provider.acrValues.includes(acr))) {
      throw new EnrolmentRefusedError('acr-too-low', `This clinic needs a sign-in at a higher level of assurance (${provider.acrValues.join(' or ')}); the sign-in was at ${acr ?? 'no stated level'}.`, { required: provider.acrValues.join(' / '), actual: acr ?? '–' })
    }
    const kind = provider.nationalIdKind
    const raw = claims[provider.nationalIdClaim ?? kind ?? '']
    if (kind === undefined || typeof raw !== 'string') throw new EnrolmentRefusedError('national-id-missing', 'The eID did not provide the national identifier this clinic needs.')
    const checked = checkIdentifier(kind, raw)
    if (!checked.valid) throw new EnrolmentRefusedError('national-id-invalid', `The national identifier from the eID is not valid (${checked.problem ?? kind}).`)
    const value = checked.normalized!
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined
    return {
      givenName: stringClaim(claims.given_name),
      familyName: stringClaim(claims.family_name),
      birthdate: stringClaim(claims.birthdate),
      email,
      acr,
      nationalId: {
        kind,
        hash: nationalIdHash(this.keys.nationalIdHmacKey, kind, value),
        sealed: this.keys.box.seal(value),
        birthdate: kind === 'cpr' || kind === 'hetu' ? birthDateOf(kind, value) : undefined
      }
    }
  }

  async enrol (tenant: Tenant, provider: IdentityProviderRecord, person: VerifiedPerson, context: ChangeContext): Promise<EnrolmentOutcome> {
    const match = await this.store.matchNationalId(tenant.id, person.nationalId.kind, person.nationalId.hash)
    if (match?.membership !== undefined) {
      if (match.membership.status === 'inactive') return { status: 'refused', code: 'access-ended', reason: 'Your access to this clinic has ended. Please contact the clinic.' }
      return await this.signedIn(tenant, match.membership.id)
    }
    // domain.md: auto-approve only when the birthdate the identifier embeds agrees with the eID's.
    const consistent = person.nationalId.birthdate === undefined || person.birthdate === undefined || person.nationalId.birthdate === person.birthdate
    if (provider.policy === 'auto' && provider.autoCreate && consistent) {
      const membership = await this.admit(tenant, person, match?.accountId, provider.defaultFeatures, context)
      const outcome = await this.signedIn(tenant, membership.id)
      return outcome.status === 'signed-in' ? { ...outcome, needsEmail: person.email === undefined } : outcome
    }
    const queued = await this.store.queueRequest(tenant.id, {
      identityProviderId: provider.id,
      givenName: person.givenName ?? null,
      familyName: person.familyName ?? null,
      birthdate: person.birthdate ?? null,
      email: person.email ?? null,
      nationalIdKind: person.nationalId.kind,
      nationalIdHash: person.nationalId.hash,
      nationalIdSealed: person.nationalId.sealed,
      acr: person.acr ?? null,
      matchedAccountId: match?.accountId ?? null
    }, context)
    return { status: 'pending', requestId: queued.id, needsEmail: person.email === undefined }
  }

  /**
   * A patient membership, active at once (the eID proved who it is), on the account the national
   * identifier already belongs to, if any; `alsoWrite` adds to the same transaction (a request's decision).
   */
  async admit (tenant: Tenant, person: Pick<VerifiedPerson, 'givenName' | 'familyName' | 'email'> & { nationalId: { kind: NationalIdKind, hash: string, sealed: string } }, accountId: string | undefined, features: string[], context: ChangeContext, alsoWrite?: (effects: ChangeEffects, membership: StoredUser) => Promise<void>): Promise<StoredUser> {
    const name = { ...(person.givenName === undefined ? {} : { givenName: person.givenName }), ...(person.familyName === undefined ? {} : { familyName: person.familyName }) }
    return await this.lifecycle.guard({ tenantId: tenant.id, context }, async () => await this.users.insert(tenant.id, {
      userName: person.email ?? `patient-${randomBytes(6).toString('hex')}`,
      externalId: undefined,
      status: 'active',
      kind: 'patient',
      profile: { name, ...(person.email === undefined ? {} : { emails: [{ value: person.email, type: 'home', primary: true }] }) },
      attributes: { roles: [{ value: 'patient' }], ...(features.length > 0 ? { entitlements: features.map(value => ({ value })) } : {}) },
      loginEmail: person.email,
      ...(accountId === undefined ? {} : { accountId })
    }, {
      context,
      run: async (effects, before, after) => {
        await effects.linkNationalIdentity(after!.accountId, { kind: person.nationalId.kind, hash: person.nationalId.hash, sealed: person.nationalId.sealed })
        await this.lifecycle.afterWrite(effects, tenant, before, after)
        if (alsoWrite !== undefined) await alsoWrite(effects, after!)
      }
    }))
  }

  private async signedIn (tenant: Tenant, membershipId: string): Promise<EnrolmentOutcome> {
    const state = await this.credentials.sessionState(tenant.id, membershipId)
    if (state === undefined || state.status === 'inactive') return { status: 'refused', code: 'access-ended', reason: 'Your access to this clinic has ended. Please contact the clinic.' }
    await this.credentials.touch(tenant.id, membershipId)
    return { status: 'signed-in', session: { sub: membershipId, acc: state.accountId, tid: tenant.id, ten: tenant.slug, roles: state.roles, sep: state.sessionEpoch } }
  }

  /**
   * Staff sign-in through the tenant's IdP: the verified email (or the subject, as SCIM's externalId)
   * must belong to an active staff membership; sign-in never creates an account.
   */
  async staffSignIn (tenant: Tenant, claims: Record<string, unknown>, context: ChangeContext): Promise<EnrolmentOutcome> {
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined
    const staff = await this.store.findStaff(tenant.id, email, stringClaim(claims.sub))
    // Staff of an SSO tenant have no password to set: their first sign-in through the IdP activates them.
    if (staff?.status === 'created') {
      await this.users.modify(tenant.id, staff.id, async current => current.status === 'created' ? { ...splitUser(userResource(current), current.status), status: 'active' } : undefined,
        { context, run: async (effects, before, after) => await this.lifecycle.afterWrite(effects, tenant, before, after) })
      staff.status = 'active'
    }
    const outcome: EnrolmentOutcome = staff === undefined || staff.status !== 'active'
      ? { status: 'refused', code: 'no-matching-account', reason: 'No active account of this organisation matches your sign-in. Ask your administrator.' }
      : await this.signedIn(tenant, staff.id)
    await this.credentials.withEffects(tenant.id, { ...context, actor: { type: 'account', ...(staff === undefined ? {} : { id: staff.id }), label: email ?? stringClaim(claims.sub) } }, async effects => {
      await effects.audit({ action: outcome.status === 'signed-in' ? 'session.created' : 'session.refused', targetType: 'user', ...(staff === undefined ? {} : { targetId: staff.id }), changes: { via: { from: null, to: 'staff-sign-in' } } })
    })
    return outcome
  }
}

function stringClaim (value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
