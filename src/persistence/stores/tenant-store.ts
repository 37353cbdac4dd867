import { UniqueConstraintViolationException, type InferEntity, type MikroORM } from '@mikro-orm/postgresql'
import type { Tenant as TenantRecord, TenantSettings, TenantStore } from '../../domain/tenants/tenant-service.js'
import { ScimToken, Tenant } from '../entities/index.js'

type TenantRow = InferEntity<typeof Tenant>

function toTenant (row: TenantRow): TenantRecord {
  return { id: row.id, slug: row.slug, displayName: row.displayName, settings: row.settings as TenantSettings, createdAt: row.createdAt }
}

export class MikroTenantStore implements TenantStore {
  constructor (private readonly orm: MikroORM) {}

  async create (tenant: { slug: string, displayName: string }, token: { id: string, secretHash: string }): Promise<TenantRecord | undefined> {
    const em = this.orm.em.fork()
    try {
      return await em.transactional(async em => {
        const row = em.create(Tenant, { id: crypto.randomUUID(), slug: tenant.slug, displayName: tenant.displayName, settings: {} })
        em.create(ScimToken, { id: token.id, tenant: row, secretHash: token.secretHash })
        await em.flush()
        return toTenant(row)
      })
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return undefined
      throw error
    }
  }

  async list (): Promise<TenantRecord[]> {
    const rows = await this.orm.em.fork().find(Tenant, {}, { orderBy: { slug: 'asc' } })
    return rows.map(toTenant)
  }

  async findBySlug (slug: string): Promise<TenantRecord | undefined> {
    const row = await this.orm.em.fork().findOne(Tenant, { slug })
    return row === null ? undefined : toTenant(row)
  }

  async updateSettings (tenantId: string, settings: TenantSettings): Promise<void> {
    await this.orm.em.fork().nativeUpdate(Tenant, { id: tenantId }, { settings: settings as Record<string, unknown> })
  }

  async replaceTokens (tenantId: string, token: { id: string, secretHash: string }): Promise<void> {
    await this.orm.em.fork().transactional(async em => {
      await em.nativeUpdate(ScimToken, { tenant: tenantId, revokedAt: null }, { revokedAt: new Date() })
      em.create(ScimToken, { id: token.id, tenant: tenantId, secretHash: token.secretHash })
    })
  }

  async findActiveToken (slug: string, tokenId: string): Promise<{ tenant: TenantRecord, secretHash: string } | undefined> {
    const row = await this.orm.em.fork().findOne(
      ScimToken,
      { id: tokenId, revokedAt: null, tenant: { slug } },
      { populate: ['tenant'] }
    )
    return row === null ? undefined : { tenant: toTenant(row.tenant), secretHash: row.secretHash }
  }
}
