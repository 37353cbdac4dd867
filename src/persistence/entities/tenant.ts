import { defineEntity, p } from '@mikro-orm/core'

export interface TenantSettings {
  [key: string]: unknown
}

export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.uuid().primary(),
    /** URL-safe, lowercase; part of every SCIM base URL. */
    slug: p.string().length(63).unique(),
    displayName: p.string().length(200),
    settings: p.json<TenantSettings>().$type<TenantSettings>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date())
  }
})
