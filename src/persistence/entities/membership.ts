import { defineEntity, p } from '@mikro-orm/core'
import { Account } from './account.js'
import { Tenant } from './tenant.js'

/**
 * Account × tenant: a tenant's SCIM User. Tenant-specific attributes (userName, externalId, roles,
 * entitlements, the enterprise extension) live here; `status` carries SCIM `active`.
 * Every index leads with tenant_id, so that partitioning by tenant stays open.
 */
export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'membership',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant),
    account: p.manyToOne(Account).index(),
    userName: p.string().columnType('citext'),
    externalId: p.text().nullable(),
    status: p.enum(['created', 'active', 'inactive'] as const).default('created'),
    /** Staff are the tenant's SCIM Users; patients (eID enrolment) are memberships SCIM never shows. */
    kind: p.enum(['staff', 'patient'] as const).default('staff'),
    attributes: p.json<Record<string, unknown>>(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    lastActivityAt: p.datetime().nullable(),
    /** Raised when the membership is deactivated: session tokens carrying an older value stop working. */
    sessionEpoch: p.integer().default(0),
    /** Org units this membership belongs to (access covers their sub-units). */
    orgUnitIds: p.array<string>().columnType('uuid[]').default('{}'),
    /**
     * This membership's part of a SCIM User as a read sends it: its own columns and whether its supervisor
     * is active (its groups are in user_groups). Written by triggers only (migration stored_user_rows),
     * never by the ORM; plain json, which PostgreSQL sends as stored.
     */
    userRow: p.json<Record<string, unknown>>().columnType('json').nullable().lazy().hidden()
  },
  uniques: [
    { properties: ['tenant', 'userName'], name: 'membership_tenant_user_name_unique' },
    // One person, one membership per tenant.
    { properties: ['tenant', 'account'], name: 'membership_tenant_account_unique' }
  ],
  indexes: [
    { properties: ['tenant', 'externalId'], name: 'membership_tenant_external_id_index' },
    { properties: ['tenant', 'createdAt', 'id'], name: 'membership_tenant_created_index' },
    { properties: ['tenant', 'id'], name: 'membership_tenant_id_index' },
    // SCIM Users are the staff: whole-staff pages step over ids here without visiting the table (index-only).
    { name: 'membership_tenant_staff_id_index', expression: `create index "membership_tenant_staff_id_index" on "membership" ("tenant_id", "id") where "kind" = 'staff'` },
    // The filter translator compares lower(text) (src/persistence/scim-sql): eq and sw use the btree,
    // co and ew the trigram index.
    { name: 'membership_user_name_trgm_index', expression: 'create index "membership_user_name_trgm_index" on "membership" using gin (lower("user_name"::text) gin_trgm_ops)' },
    // Who is supervised by whom (healthcare extension): checked when a supervisor is deleted or deactivated.
    { name: 'membership_tenant_supervisor_index', expression: `create index "membership_tenant_supervisor_index" on "membership" ("tenant_id", ("attributes"->'urn:carescim:scim:schemas:extension:healthcare:1.0:User'->'supervisingUser'->>'value'))` },
    { name: 'membership_tenant_user_name_lower_index', expression: 'create index "membership_tenant_user_name_lower_index" on "membership" ("tenant_id", lower("user_name"::text) text_pattern_ops)' }
  ]
})
