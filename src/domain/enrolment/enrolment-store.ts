import type { NationalIdKind } from '../../identity/national-id.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { MembershipKind, MembershipStatus } from '../scim/user-store.js'

export type ProviderPurpose = 'patient-enrolment' | 'staff-sign-in'

export interface IdentityProviderRecord {
  id: string
  tenantId: string
  purpose: ProviderPurpose
  displayName: string | undefined
  issuer: string
  clientId: string
  clientSecretSealed: string
  scopes: string
  policy: 'auto' | 'review'
  autoCreate: boolean
  nationalIdClaim: string | undefined
  nationalIdKind: NationalIdKind | undefined
  acrValues: string[]
  defaultFeatures: string[]
  createdAt: Date
}

export type NewIdentityProvider = Omit<IdentityProviderRecord, 'id' | 'createdAt'>

export interface NationalIdMatch {
  accountId: string
  /** The account's membership of this tenant, if any. */
  membership: { id: string, status: MembershipStatus, kind: MembershipKind } | undefined
}

export interface LoginRequestRecord {
  id: string
  identityProviderId: string | null
  status: 'pending' | 'approved' | 'rejected'
  givenName: string | null
  familyName: string | null
  birthdate: string | null
  email: string | null
  nationalIdKind: NationalIdKind
  nationalIdHash: string
  nationalIdSealed: string
  acr: string | null
  matchedAccountId: string | null
  membershipId: string | null
  features: string[]
  reason: string | null
  decidedBy: string | null
  decidedAt: string | null
  createdAt: string
}

export type NewLoginRequest = Pick<LoginRequestRecord, 'givenName' | 'familyName' | 'birthdate' | 'email' | 'nationalIdKind' | 'nationalIdHash' | 'nationalIdSealed' | 'acr' | 'matchedAccountId'> & { identityProviderId: string }

/** The language a patient most likely reads, from the country of their national identifier. */
export const LANGUAGE_OF_ID_KIND = { bsn: 'nl', cpr: 'da', hetu: 'fi', kvnr: 'de' } as const

export interface EnrolmentStore {
  addProvider: (provider: NewIdentityProvider, context: ChangeContext) => Promise<IdentityProviderRecord>
  providers: (tenantId: string, purpose?: ProviderPurpose) => Promise<IdentityProviderRecord[]>
  provider: (tenantId: string, id: string) => Promise<IdentityProviderRecord | undefined>
  /** Replaces the provider's settings (undefined when there is no such provider in the tenant). */
  updateProvider: (tenantId: string, id: string, provider: NewIdentityProvider, context: ChangeContext) => Promise<IdentityProviderRecord | undefined>
  removeProvider: (tenantId: string, id: string, context: ChangeContext) => Promise<boolean>
  matchNationalId: (tenantId: string, kind: NationalIdKind, hash: string) => Promise<NationalIdMatch | undefined>
  /** Queues a request, or returns the one already pending for this person (`created` false). */
  queueRequest: (tenantId: string, request: NewLoginRequest, context: ChangeContext) => Promise<{ id: string, created: boolean }>
  listRequests: (tenantId: string, status: LoginRequestRecord['status'] | undefined, offset: number, limit: number) => Promise<{ items: LoginRequestRecord[], total: number }>
  request: (tenantId: string, id: string) => Promise<LoginRequestRecord | undefined>
  /**
   * A confirmed contact address: on the pending request, or on the membership's account (as its login
   * when it has none and no other account has the address). False when there was nothing to update.
   */
  confirmEmail: (tenantId: string, target: { requestId: string } | { membershipId: string }, email: string, context: ChangeContext) => Promise<boolean>
  /** The staff membership whose account's login email is `email`, else whose externalId is `subject`. */
  findStaff: (tenantId: string, email: string | undefined, subject: string | undefined) => Promise<{ id: string, status: MembershipStatus } | undefined>
}
