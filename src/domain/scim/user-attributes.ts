import { isEmailAddress } from '../email.js'
import { SCHEMA_URN } from '../../scim/schema/types.js'
import { formatRegistrationNumber } from '../healthcare/registration-number.js'
import { HEALTHCARE_URN, TENANT_SPECIFIC_ATTRIBUTES } from '../healthcare/extension.js'
import type { MembershipStatus, StoredUser, UserWrite } from './user-store.js'

/**
 * Personal data: lives on the account and is shared by every tenant the person belongs to
 * (an edit from one tenant shows in all). Everything else is the tenant's own, on the membership.
 */
export const ACCOUNT_ATTRIBUTES = new Set([
  'name', 'displayName', 'nickName', 'profileUrl', 'title', 'preferredLanguage', 'locale', 'timezone',
  'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'x509Certificates'
])

/** Kept in columns or derived: never copied into the JSON documents. */
const NOT_STORED_AS_JSON = new Set(['schemas', 'id', 'meta', 'userName', 'externalId', 'active', 'password', 'groups'])

/** A validated SCIM User representation → what the store writes (password hashing is the caller's). */
export function splitUser (resource: Record<string, unknown>, currentStatus: MembershipStatus | undefined): Omit<UserWrite, 'passwordHash'> {
  const profile: Record<string, unknown> = {}
  const attributes: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(resource)) {
    if (NOT_STORED_AS_JSON.has(key)) continue
    if (key === HEALTHCARE_URN) splitHealthcare(value as Record<string, unknown>, profile, attributes)
    else if (ACCOUNT_ATTRIBUTES.has(key)) profile[key] = value
    else attributes[key] = value
  }
  return {
    userName: resource.userName as string,
    externalId: resource.externalId as string | undefined,
    status: nextStatus(resource.active as boolean | undefined, currentStatus),
    profile,
    attributes
  }
}

/** Professional identifiers and names are personal (account); the supervising user is the tenant's. */
function splitHealthcare (extension: Record<string, unknown>, profile: Record<string, unknown>, attributes: Record<string, unknown>): void {
  const personal: Record<string, unknown> = {}
  const own: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(extension)) {
    if (name === 'registrationNumber') continue // assigned by CareSCIM, kept in its own column
    if (TENANT_SPECIFIC_ATTRIBUTES.has(name)) own[name] = value
    else personal[name] = value
  }
  if (Object.keys(personal).length > 0) profile[HEALTHCARE_URN] = personal
  if (Object.keys(own).length > 0) attributes[HEALTHCARE_URN] = own
}

/**
 * SCIM `active` drives the membership status: false deactivates; true on an inactive membership
 * reactivates it to `created` (a new activation is due); otherwise the status stays.
 */
function nextStatus (active: boolean | undefined, current: MembershipStatus | undefined): MembershipStatus {
  if (active === false) return 'inactive'
  if (current === undefined || current === 'inactive') return 'created'
  return current
}

/** The account's login: the primary email, else a work email, else the first, else an email-like userName. */
export function loginEmailOf (resource: Record<string, unknown>): string | undefined {
  const emails = (resource.emails as Array<{ value?: string, type?: string, primary?: boolean }> | undefined) ?? []
  const chosen = emails.find(e => e.primary === true) ?? emails.find(e => e.type === 'work') ?? emails[0]
  if (chosen?.value !== undefined) return chosen.value.trim()
  const userName = resource.userName
  return typeof userName === 'string' && isEmailAddress(userName.trim()) ? userName.trim() : undefined
}

/** The values of a multi-valued attribute such as `roles` or `entitlements`, as lowercase catalogue keys. */
export function catalogueValues (attribute: unknown): string[] {
  if (!Array.isArray(attribute)) return []
  return attribute.map(item => (item as { value?: unknown }).value).filter((v): v is string => typeof v === 'string').map(v => v.trim().toLowerCase()).filter(Boolean)
}

/** How a person is named in mails and notifications: displayName, else the formatted or given + family name. */
export function displayNameOf (profile: Record<string, unknown>): string | undefined {
  const name = profile.name as { formatted?: string, givenName?: string, familyName?: string } | undefined
  return (profile.displayName as string | undefined) ?? name?.formatted ?? ([name?.givenName, name?.familyName].filter(Boolean).join(' ') || undefined)
}

/** The stored user as the SCIM resource a client may PATCH or PUT (no meta, no groups). */
export function userResource (user: StoredUser): Record<string, unknown> {
  const healthcare = {
    ...(user.profile[HEALTHCARE_URN] as object | undefined),
    ...(user.attributes[HEALTHCARE_URN] as object | undefined),
    registrationNumber: formatRegistrationNumber(user.registrationSequence)
  }
  const resource: Record<string, unknown> = {
    schemas: [SCHEMA_URN.user],
    id: user.id,
    ...(user.externalId === undefined ? {} : { externalId: user.externalId }),
    userName: user.userName,
    ...user.profile,
    ...user.attributes,
    active: user.status !== 'inactive',
    [HEALTHCARE_URN]: healthcare
  }
  const extensions = Object.keys(resource).filter(key => key.startsWith('urn:'))
  resource.schemas = [SCHEMA_URN.user, ...extensions]
  return resource
}
