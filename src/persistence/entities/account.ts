import { defineEntity, p } from '@mikro-orm/core'
import { HEALTHCARE_URN, PLATFORM_UNIQUE_IDENTIFIERS } from '../../domain/healthcare/extension.js'

const snake = (name: string) => name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)

/**
 * One person, global across tenants. `profile` holds the personal SCIM attributes (names, emails,
 * phone numbers, addresses, …) shared by every tenant the account belongs to.
 */
export const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: {
    id: p.uuid().primary(),
    /** The login: globally unique case-insensitively, set once, never changed. */
    email: p.string().columnType('citext').nullable().unique(),
    profile: p.json<Record<string, unknown>>(),
    passwordHash: p.text().nullable(),
    /** Consecutive wrong passwords; sign-in pauses after LOCKOUT_THRESHOLD (NIST SP 800-63B §5.2.2). */
    failedSignIns: p.integer().default(0),
    signInBlockedUntil: p.datetime().nullable(),
    /** Shown as the platform registration number (CS-000123456-6): nextval('account_registration_seq') plus a check digit. */
    registrationSeq: p.bigint('number').unique(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    /** The account's part of a SCIM User (profile, version, …), as Membership.userRow: written by a trigger only. */
    userRow: p.json<Record<string, unknown>>().columnType('json').nullable().lazy().hidden()
  },
  // An AGB code, BIG, UZI or LANR number belongs to one person platform-wide.
  indexes: PLATFORM_UNIQUE_IDENTIFIERS.map(attribute => ({
    name: `account_${snake(attribute)}_unique`,
    expression: `create unique index "account_${snake(attribute)}_unique" on "account" (("profile"->'${HEALTHCARE_URN}'->>'${attribute}'))`
  }))
})
