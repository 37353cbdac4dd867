import { defineEntity, p } from '@mikro-orm/core'
import { Tenant } from './tenant.js'

/** A tenant's SCIM bearer token: only a SHA-256 of its secret part is stored. */
export const ScimToken = defineEntity({
  name: 'ScimToken',
  tableName: 'scim_token',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).index(),
    secretHash: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable()
  }
})
