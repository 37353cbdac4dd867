import { defineEntity, p } from '@mikro-orm/core'
import { Tenant } from './tenant.js'

/** A tenant's SCIM Group. Members are rows of group_member, never an array in this row. */
export const ScimGroup = defineEntity({
  name: 'ScimGroup',
  tableName: 'scim_group',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant),
    displayName: p.string().columnType('citext'),
    externalId: p.text().nullable(),
    attributes: p.json<Record<string, unknown>>(),
    version: p.integer().default(1),
    /** Roles and features every member holds while a member (design.md: group). */
    roles: p.array<string>().columnType('text[]').default('{}'),
    features: p.array<string>().columnType('text[]').default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
  },
  indexes: [
    { properties: ['tenant', 'displayName'], name: 'scim_group_tenant_display_name_index' },
    { properties: ['tenant', 'externalId'], name: 'scim_group_tenant_external_id_index' },
    { properties: ['tenant', 'id'], name: 'scim_group_tenant_id_index' },
    // As for userName: lower(text) is what the filter translator compares.
    { name: 'scim_group_display_name_trgm_index', expression: 'create index "scim_group_display_name_trgm_index" on "scim_group" using gin (lower("display_name"::text) gin_trgm_ops)' },
    { name: 'scim_group_tenant_display_name_lower_index', expression: 'create index "scim_group_tenant_display_name_lower_index" on "scim_group" ("tenant_id", lower("display_name"::text) text_pattern_ops)' }
  ]
})

/** One member of a group: a membership (User) or another group of the same tenant. */
export const GroupMember = defineEntity({
  name: 'GroupMember',
  tableName: 'group_member',
  properties: {
    tenantId: p.uuid().primary(),
    /** Members go with their group. */
    group: p.manyToOne(ScimGroup).primary().deleteRule('cascade'),
    memberId: p.uuid().primary(),
    memberType: p.enum(['User', 'Group'] as const),
    createdAt: p.datetime().onCreate(() => new Date())
  },
  indexes: [
    { properties: ['tenantId', 'memberId'], name: 'group_member_tenant_member_index' },
    // Nested groups only: User.groups walks up through these (a small fraction of all member rows).
    { name: 'group_member_tenant_member_group_index', expression: `create index "group_member_tenant_member_group_index" on "group_member" ("tenant_id", "member_id") where "member_type" = 'Group'` }
  ]
})
