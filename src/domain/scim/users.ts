import { invalidValue, notFound } from '../../scim/errors.js'
import { applyPatch, parsePatchRequest } from '../../scim/patch/index.js'
import type { SchemaRegistry } from '../../scim/schema/registry.js'
import type { TenantSettings } from '../tenants/tenant-service.js'
import { SCHEMA_URN } from '../../scim/schema/types.js'
import { checkImmutable, prepareWrite } from '../../scim/schema/validate.js'
import { hashPassword } from '../../identity/passwords.js'
import { checkHealthcareRules, checkSupervisorRemoval, HEALTHCARE_URN, type MemberDirectory } from '../healthcare/extension.js'
import { listPage, type ListRequest, type PageLimits } from './paging.js'
import { loginEmailOf, splitUser, userResource } from './user-attributes.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import type { LifecycleTenant, MembershipLifecycle } from '../lifecycle/membership-lifecycle.js'
import type { Followup, GroupRef, StoredUser, UserStore, UserWrite } from './user-store.js'
import { checkIfMatch, metaOf } from './versions.js'

/** Who is asking: every operation is scoped by the authenticated tenant, never by the request body. */
export interface ScimScope {
  tenantId: string
  tenantSlug: string
  tenantName: string
  /** `{PUBLIC_URL}/scim/v2/{tenant}` */
  baseUrl: string
  settings: TenantSettings
  /** Who is acting, for the audit log. */
  context: ChangeContext
}

export interface ReadOptions {
  /** Compute User.groups (a recursive query): skip when the client's projection drops it. */
  groups: boolean
  /** /Me: the signed-in person's own membership, staff or patient. */
  self?: boolean
}

export type { ListRequest }

export interface ListResult {
  resources: Array<Record<string, unknown>>
  totalResults: number
  startIndex?: number
  nextCursor?: string
}

type Resource = Record<string, unknown>

/** SCIM Users of a tenant: its memberships, seen with their account's personal data. */
/** Where accepted-but-suspicious input is reported (BIG numbers failing the unofficial check). */
export type WarningLog = (message: string, details: Record<string, unknown>) => void

export class ScimUsers {
  constructor (
    private readonly registry: SchemaRegistry,
    private readonly store: UserStore,
    private readonly limits: PageLimits,
    private readonly lifecycle: MembershipLifecycle,
    private readonly warn: WarningLog = () => {}
  ) {}

  async create (scope: ScimScope, body: unknown): Promise<Resource> {
    const resource = prepareWrite(this.registry, 'User', body, 'create')
    const directory = this.store.directory(scope.tenantId)
    await this.checkDomainRules(scope, resource, undefined, directory, async id => await directory.member(id) !== undefined)
    const write = await this.toWrite(resource, undefined)
    const stored = await this.lifecycle.guard(scope, async () => await this.store.insert(scope.tenantId, { ...write, loginEmail: loginEmailOf(resource) }, this.followup(scope)))
    return this.represent(scope, stored, [])
  }

  async get (scope: ScimScope, id: string, options: ReadOptions): Promise<Resource> {
    const stored = await this.store.get(scope.tenantId, id, options.groups)
    if (stored === undefined || (stored.kind !== 'staff' && options.self !== true)) throw notFound(`User ${id} not found`)
    return this.withGroups(scope, [stored], options)[0]!
  }

  /** PUT: replace (RFC 7644 §3.5.1): readOnly values ignored, immutable ones checked. */
  async replace (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined): Promise<Resource> {
    const resource = prepareWrite(this.registry, 'User', body, 'replace')
    const stored = await this.lifecycle.guard(scope, async () => await this.store.modify(scope.tenantId, id, async (current, lookups) => {
      staffOnly(current)
      checkIfMatch(ifMatch, current.version)
      checkImmutable(this.registry, 'User', userResource(current), resource)
      await this.checkDomainRules(scope, resource, current, lookups, lookups.userExists)
      return await this.toWrite(resource, current)
    }, this.followup(scope)))
    if (stored === undefined) throw notFound(`User ${id} not found`)
    return this.withGroups(scope, [stored], { groups: true })[0]!
  }

  /** PATCH (RFC 7644 §3.5.2): applied to the stored representation under a row lock; atomic. */
  async patch (scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined): Promise<Resource> {
    const operations = parsePatchRequest(body)
    const stored = await this.lifecycle.guard(scope, async () => await this.store.modify(scope.tenantId, id, async (current, lookups) => {
      staffOnly(current)
      checkIfMatch(ifMatch, current.version)
      const result = applyPatch(this.registry, 'User', userResource(current), operations)
      if (!result.changed) return undefined
      // The whole result must still be a valid User (required attributes, types).
      const patched = prepareWrite(this.registry, 'User', result.resource, 'replace')
      await this.checkDomainRules(scope, patched, current, lookups, lookups.userExists)
      return await this.toWrite(patched, current)
    }, this.followup(scope)))
    if (stored === undefined) throw notFound(`User ${id} not found`)
    return this.withGroups(scope, [stored], { groups: true })[0]!
  }

  async delete (scope: ScimScope, id: string, ifMatch: string | undefined): Promise<void> {
    const deleted = await this.store.delete(scope.tenantId, id, async (current, lookups) => {
      staffOnly(current)
      checkIfMatch(ifMatch, current.version)
      checkSupervisorRemoval(await lookups.supervisees(current.id), scope.settings.healthcare?.supervisorRemoval ?? 'flag')
    }, this.followup(scope))
    if (!deleted) throw notFound(`User ${id} not found`)
  }

  async list (scope: ScimScope, request: ListRequest, options: ReadOptions): Promise<ListResult> {
    const { items, ...page } = await listPage(request, this.limits, async query => await this.store.list(scope.tenantId, query, 'staff', options.groups))
    return { resources: this.withGroups(scope, items, options), ...page }
  }

  private followup (scope: ScimScope): Followup {
    return { context: scope.context, run: async (effects, before, after) => await this.lifecycle.afterWrite(effects, tenantOf(scope), before, after) }
  }

  /** Rules beyond the schema: identifiers, supervision, the manager reference, supervisor removal. */
  private async checkDomainRules (scope: ScimScope, resource: Resource, current: StoredUser | undefined, directory: MemberDirectory & { supervisees?: (id: string) => Promise<number> }, userExists: (id: string) => Promise<boolean>): Promise<void> {
    const policy = scope.settings.healthcare ?? {}
    const warnings = await checkHealthcareRules(resource, current?.id, directory, { requireSupervisor: policy.requireSupervisor === true })
    for (const warning of warnings) this.warn('identifier accepted with a warning', { tenantId: scope.tenantId, userId: current?.id, warning })
    await checkManager(resource, current?.id, userExists)
    const deactivating = current !== undefined && current.status !== 'inactive' && resource.active === false
    if (deactivating && directory.supervisees !== undefined) {
      checkSupervisorRemoval(await directory.supervisees(current.id), policy.supervisorRemoval ?? 'flag')
    }
  }

  private async toWrite (resource: Resource, current: StoredUser | undefined): Promise<UserWrite> {
    const write: UserWrite = splitUser(resource, current?.status)
    // writeOnly (RFC 7643 §4.1.1): hashed here, never stored or returned in clear.
    if (typeof resource.password === 'string') write.passwordHash = await hashPassword(resource.password)
    return write
  }

  /** The store read User.groups with the rows when asked to. */
  private withGroups (scope: ScimScope, users: StoredUser[], options: ReadOptions): Resource[] {
    return users.map(user => this.represent(scope, user, options.groups ? user.groups ?? [] : undefined))
  }

  private represent (scope: ScimScope, user: StoredUser, groups: GroupRef[] | undefined): Resource {
    const resource = userResource(user)
    const healthcare = resource[HEALTHCARE_URN] as Record<string, unknown>
    const supervisor = healthcare.supervisingUser as { value: string } | undefined
    if (supervisor !== undefined) {
      healthcare.supervisingUser = { value: supervisor.value, $ref: `${scope.baseUrl}/Users/${supervisor.value}` }
      healthcare.supervisionValid = user.supervisorActive === true
    }
    if (groups !== undefined && groups.length > 0) {
      resource.groups = groups.map(g => ({ value: g.value, $ref: `${scope.baseUrl}/Groups/${g.value}`, display: g.display, type: g.type }))
    }
    resource.meta = metaOf('User', user, scope.baseUrl)
    return resource
  }
}

/** SCIM Users are a tenant's staff: a patient's membership is not there for an IdP to read or change. */
function staffOnly (user: StoredUser): void {
  if (user.kind !== 'staff') throw notFound(`User ${user.id} not found`)
}

export function tenantOf (scope: ScimScope): LifecycleTenant {
  return { id: scope.tenantId, slug: scope.tenantSlug, displayName: scope.tenantName, settings: scope.settings }
}

/** Enterprise manager.value must be another User of the same tenant (RFC 7643 §4.3). */
async function checkManager (resource: Resource, selfId: string | undefined, userExists: (id: string) => Promise<boolean>): Promise<void> {
  const enterprise = resource[SCHEMA_URN.enterpriseUser] as { manager?: { value?: string } } | undefined
  const manager = enterprise?.manager?.value
  if (manager === undefined) return
  if (manager === selfId) throw invalidValue('manager.value cannot refer to the user itself')
  if (!await userExists(manager)) throw invalidValue(`manager.value "${manager}" is not a User of this tenant`)
}
