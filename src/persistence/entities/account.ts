import { defineEntity, p } from '@mikro-orm/core'

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
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
  }
})
