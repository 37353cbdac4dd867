import { defineEntity, p } from '@mikro-orm/core'

/**
 * How many staff memberships (SCIM Users) a tenant has, per id bucket (the id's first byte), kept as
 * delta rows written by triggers on membership in the writing transaction (migration staff_tally).
 * Insert-only deltas, not one counter row: concurrent creates never wait for each other. Readers sum
 * them (exact in their snapshot) and fold them up now and then (src/persistence/scim/staff-tally.ts).
 * Per bucket, so that a deep offset can skip whole buckets instead of stepping over every row.
 */
export const StaffTally = defineEntity({
  name: 'StaffTally',
  tableName: 'staff_tally',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    // No foreign key: it would take a share lock on the tenant row in every membership write.
    tenantId: p.uuid(),
    /** get_byte(uuid_send(membership.id), 0): 0–255, in the ids' own order. */
    bucket: p.smallint(),
    delta: p.integer()
  },
  indexes: [{ properties: ['tenantId', 'bucket'], name: 'staff_tally_tenant_bucket_index' }]
})
