import { defineEntity, p } from '@mikro-orm/core'
import { Account } from './account.js'
import { Tenant } from './tenant.js'

/** An OpenID Provider a tenant trusts: a national eID broker (patient enrolment) or the staff's IdP (sign-in). */
export const IdentityProvider = defineEntity({
  name: 'IdentityProvider',
  tableName: 'identity_provider',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant),
    purpose: p.enum(['patient-enrolment', 'staff-sign-in'] as const),
    /** What people see: "Sign in with <displayName>" (the issuer's host when unset). */
    displayName: p.text().nullable(),
    issuer: p.text(),
    clientId: p.text(),
    /** AES-256-GCM with ENCRYPTION_KEY (src/identity/secret-box.ts): never stored in clear. */
    clientSecretEncrypted: p.text(),
    scopes: p.text().default('openid profile email'),
    /** auto: matched or (with autoCreate) new patients become members at once; review: a login request is queued. */
    policy: p.enum(['auto', 'review'] as const).default('review'),
    autoCreate: p.boolean().default(false),
    nationalIdClaim: p.text().nullable(),
    nationalIdKind: p.enum(['bsn', 'cpr', 'hetu', 'kvnr'] as const).nullable(),
    /** Acceptable acr values (eIDAS levels); empty = any. */
    acrValues: p.array<string>().columnType('text[]').default('{}'),
    /** Features a patient enrolled through this provider gets (auto policy; the reviewer may choose others). */
    defaultFeatures: p.array<string>().columnType('text[]').default('{}'),
    createdAt: p.datetime().onCreate(() => new Date())
  },
  indexes: [{ properties: ['tenant', 'purpose'], name: 'identity_provider_tenant_purpose_index' }]
})

/** A national identifier of an account: a keyed hash for matching, the value encrypted; never returned. */
export const NationalIdentity = defineEntity({
  name: 'NationalIdentity',
  tableName: 'national_identity',
  properties: {
    kind: p.enum(['bsn', 'cpr', 'hetu', 'kvnr'] as const).primary(),
    /** HMAC-SHA-256 with NATIONAL_ID_HMAC_KEY: a plain hash of a 9-digit space is brute-forced in seconds. */
    hash: p.string().length(64).primary(),
    account: p.manyToOne(Account).deleteRule('cascade').index(),
    valueEncrypted: p.text(),
    createdAt: p.datetime().onCreate(() => new Date())
  }
})

/** A patient's eID sign-up waiting for (or given) an admin's decision. */
export const LoginRequest = defineEntity({
  name: 'LoginRequest',
  tableName: 'login_request',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant),
    identityProviderId: p.uuid().nullable(),
    status: p.enum(['pending', 'approved', 'rejected'] as const).default('pending'),
    givenName: p.text().nullable(),
    familyName: p.text().nullable(),
    birthdate: p.text().nullable(),
    email: p.text().nullable(),
    nationalIdKind: p.enum(['bsn', 'cpr', 'hetu', 'kvnr'] as const),
    nationalIdHash: p.string().length(64),
    nationalIdEncrypted: p.text(),
    /** The level of assurance the eID reported. */
    acr: p.text().nullable(),
    /** An existing account with the same national identifier (a patient of another tenant, or a former one). */
    matchedAccountId: p.uuid().nullable(),
    membershipId: p.uuid().nullable(),
    features: p.array<string>().columnType('text[]').default('{}'),
    reason: p.text().nullable(),
    decidedBy: p.text().nullable(),
    decidedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date())
  },
  indexes: [
    { properties: ['tenant', 'status', 'createdAt'], name: 'login_request_tenant_status_index' },
    // A second sign-up while one is pending does not make a second request.
    { name: 'login_request_one_pending', expression: `create unique index "login_request_one_pending" on "login_request" ("tenant_id", "national_id_kind", "national_id_hash") where "status" = 'pending'` }
  ]
})
