import { FEATURE_PRESETS, ROLE_PRESETS, type RoleCatalogue } from '../access/catalogue.js'
import { conflict, invalid, notFound } from '../errors.js'
import type { QuotaAction } from '../lifecycle/effects.js'
import { issueToken, parseToken, secretMatches } from './scim-token.js'

export interface Tenant {
  id: string
  slug: string
  displayName: string
  settings: TenantSettings
  createdAt: Date
}

/** Per-tenant policies (design.md: "settings (policies, quotas, role catalogue)"). */
export interface TenantSettings {
  healthcare?: {
    /** A practitioner (discipline set) without both AGB code and BIG number must name a supervising user. */
    requireSupervisor?: boolean
    /** Deleting or deactivating a user who supervises others: `refuse` (409) or `flag` (default: allowed, supervisees flagged). */
    supervisorRemoval?: 'refuse' | 'flag'
  }
  /** How staff sign in: a password set through the activation mail (default) or the tenant's SSO provider. */
  signIn?: 'password' | 'sso'
  /** The role catalogue; absent = the presets (src/domain/access/catalogue.ts). */
  roles?: RoleCatalogue
  /** Features memberships may be given; absent = the presets. */
  features?: string[]
  /** Daily limits per action (UTC days); absent = DEFAULT_DAILY_QUOTA. */
  quotas?: Partial<Record<QuotaAction, number>>
}

export const DEFAULT_DAILY_QUOTA = 200

export function roleCatalogueOf (settings: TenantSettings): RoleCatalogue {
  return settings.roles ?? ROLE_PRESETS
}

export function featuresOf (settings: TenantSettings): string[] {
  return settings.features ?? FEATURE_PRESETS
}

export function dailyQuota (settings: TenantSettings, action: QuotaAction): number {
  return settings.quotas?.[action] ?? DEFAULT_DAILY_QUOTA
}

/** Persistence port for tenants and their SCIM tokens. */
export interface TenantStore {
  /** Creates the tenant with its first token; false when the slug is taken. */
  create: (tenant: { slug: string, displayName: string }, token: { id: string, secretHash: string }) => Promise<Tenant | undefined>
  list: () => Promise<Tenant[]>
  findBySlug: (slug: string) => Promise<Tenant | undefined>
  updateSettings: (tenantId: string, settings: TenantSettings) => Promise<void>
  /** Revokes every token of the tenant and stores the new one, in one transaction. */
  replaceTokens: (tenantId: string, token: { id: string, secretHash: string }) => Promise<void>
  /** The unrevoked token with this id, if it belongs to the tenant with this slug. */
  findActiveToken: (slug: string, tokenId: string) => Promise<{ tenant: Tenant, secretHash: string } | undefined>
}

export interface TenantWithToken { tenant: Tenant, token: string }

// URL-safe, lowercase, DNS-label-like: it is a path segment of every SCIM base URL.
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export class TenantService {
  /** token → tenant, for tokenCacheTtlMs: a rotated-out token may live that long in another process. */
  private readonly cache = new Map<string, { tenant: Tenant, expires: number }>()

  constructor (private readonly store: TenantStore, private readonly tokenCacheTtlMs: number) {}

  async createTenant (slug: string, displayName?: string): Promise<TenantWithToken> {
    if (!SLUG_PATTERN.test(slug)) {
      throw invalid(`Invalid tenant slug "${slug}": use 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`)
    }
    const issued = issueToken()
    const tenant = await this.store.create({ slug, displayName: displayName ?? slug }, issued)
    if (tenant === undefined) throw conflict(`A tenant with slug "${slug}" already exists`)
    return { tenant, token: issued.token }
  }

  /** Read fresh (not from the token cache): the admin API acts on the current settings. */
  async findBySlug (slug: string): Promise<Tenant | undefined> {
    return await this.store.findBySlug(slug)
  }

  async listTenants (): Promise<Tenant[]> {
    return await this.store.list()
  }

  /** Replaces the tenant's settings; cached authentications pick them up within tokenCacheTtlMs. */
  async configure (slug: string, settings: TenantSettings): Promise<Tenant> {
    const tenant = await this.store.findBySlug(slug)
    if (tenant === undefined) throw notFound(`No tenant "${slug}"`)
    await this.store.updateSettings(tenant.id, settings)
    this.cache.clear()
    return { ...tenant, settings }
  }

  async rotateToken (slug: string): Promise<TenantWithToken> {
    const tenant = await this.store.findBySlug(slug)
    if (tenant === undefined) throw notFound(`No tenant "${slug}"`)
    const issued = issueToken()
    await this.store.replaceTokens(tenant.id, issued)
    this.cache.clear()
    return { tenant, token: issued.token }
  }

  /** The tenant when `token` is a valid SCIM token of the tenant named `slug`; undefined otherwise. */
  async authenticate (slug: string, token: string): Promise<Tenant | undefined> {
    const key = `${slug}\u0000${token}`
    const now = Date.now()
    const cached = this.cache.get(key)
    if (cached !== undefined && cached.expires > now) return cached.tenant

    const parsed = parseToken(token)
    if (parsed === undefined) return undefined
    const found = await this.store.findActiveToken(slug, parsed.id)
    if (found === undefined || !secretMatches(parsed.secret, found.secretHash)) return undefined
    if (this.tokenCacheTtlMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(key, { tenant: found.tenant, expires: now + this.tokenCacheTtlMs })
    }
    return found.tenant
  }
}
