import { checkKnownFeatures, checkKnownRoles, checkMayChangeRoles, checkMayDefineRole, checkRoleDefinition, PERMISSIONS, roleKey, type Permission, type RoleDefinition } from '../access/catalogue.js'
import { validEmail } from '../email.js'
import { conflict, DomainError, forbidden, invalid, notFound } from '../errors.js'
import { checkHealthcareRules, HEALTHCARE_URN, type SupervisionPolicy } from '../healthcare/extension.js'
import { ScimError } from '../../scim/errors.js'
import { administratorGuard } from '../lifecycle/administrator-guard.js'
import type { ChangeContext } from '../lifecycle/change-context.js'
import { MembershipLifecycle } from '../lifecycle/membership-lifecycle.js'
import { transition, type StatusTransition } from '../lifecycle/status-machine.js'
import { catalogueValues, splitUser, userResource } from '../scim/user-attributes.js'
import type { StoredUser, UserLookups, UserStore } from '../scim/user-store.js'
import { featuresOf, roleCatalogueOf, type Tenant, type TenantSettings } from '../tenants/tenant-service.js'
import type { SchemaRegistry } from '../../scim/schema/registry.js'
import { SCHEMA_URN } from '../../scim/schema/types.js'
import { prepareWrite } from '../../scim/schema/validate.js'
import type { AuditQuery, AuditReader, AuditRecord } from '../lifecycle/audit-query.js'
import type { AccountDirectory, AccountQuery, AccountRow, GroupMemberRow, GroupSummary, OrgUnitRecord } from './account-directory.js'
import type { CredentialStore } from './credential-store.js'

/** A signed-in administrator acting on their tenant. */
export interface AdminSession {
  tenant: Tenant
  membershipId: string
  permissions: Set<Permission>
  /** Limits what they see and manage to these units and their sub-units; empty = the whole tenant. */
  orgUnitIds: string[]
  context: ChangeContext
}

export interface AccountDetails {
  givenName?: string
  familyName?: string
  displayName?: string
  phone?: string
  title?: string
  preferredLanguage?: string
  roles?: string[]
  features?: string[]
  orgUnits?: string[]
  healthcare?: HealthcareDetails
}

/** The healthcare extension's fields an admin edits (supervisingUser by membership id; '' clears a field). */
export const HEALTHCARE_FIELDS = ['agbCode', 'bigNumber', 'uziNumber', 'lanr', 'efn', 'dkAuthorisationId', 'terhikkiNumber', 'discipline',
  'initials', 'namePrefix', 'birthName', 'birthNamePrefix', 'supervisingUser'] as const
export type HealthcareDetails = Partial<Record<typeof HEALTHCARE_FIELDS[number], string>>

export interface NewAccount extends AccountDetails {
  email: string
  /** A patient made by staff (Clinea's manual path) instead of a staff member; default staff. */
  kind?: 'staff' | 'patient'
}

/** The platform operator (CLI) acts with every permission, e.g. to create a tenant's first user administrator. */
export function operatorSession (tenant: Tenant, context: ChangeContext): AdminSession {
  return { tenant, membershipId: '', permissions: new Set(PERMISSIONS), orgUnitIds: [], context }
}

/**
 * Delegated user administration (design.md: a clinic's user administrator): the admin API's accounts,
 * roles and group grants. Memberships are the tenant's SCIM Users, so every change goes through the
 * same store and lifecycle as SCIM's (quota, audit, mail, revocation, the last-administrator guard).
 */
export class AccountAdministration {
  constructor (
    private readonly registry: SchemaRegistry,
    private readonly users: UserStore,
    private readonly directory: AccountDirectory,
    private readonly credentials: CredentialStore,
    private readonly lifecycle: MembershipLifecycle,
    private readonly auditReader: AuditReader
  ) {}

  async list (admin: AdminSession, query: AccountQuery): Promise<{ items: AccountRow[], total: number }> {
    require(admin, 'accounts.read')
    return await this.directory.list(admin.tenant.id, { ...query, ...(admin.orgUnitIds.length > 0 ? { withinOrgUnits: admin.orgUnitIds } : {}) })
  }

  async get (admin: AdminSession, id: string): Promise<StoredUser> {
    require(admin, 'accounts.read')
    return await this.visible(admin, id)
  }

  /** Email first (design: "reject an invalid email; if the account exists elsewhere, attach"). */
  async checkEmail (admin: AdminSession, email: string): Promise<{ email: string, status: 'new' | 'exists' | 'member' }> {
    require(admin, 'accounts.write')
    const address = validEmail(email)
    if (await this.credentials.findSignIn(admin.tenant.id, address) !== undefined) return { email: address, status: 'member' }
    return { email: address, status: await this.credentials.accountExists(address) ? 'exists' : 'new' }
  }

  async create (admin: AdminSession, input: NewAccount): Promise<StoredUser> {
    require(admin, 'accounts.write')
    const email = validEmail(input.email)
    if (input.givenName === undefined) throw invalid('The given name is required', 'givenName')
    if (input.familyName === undefined) throw invalid('The family name is required', 'familyName')
    const roles = input.roles ?? []
    if (roles.length === 0) throw invalid('At least one role is required', 'roles')
    this.checkGrants(admin, [], roles, input.features ?? [])
    await this.checkOrgUnits(admin, input.orgUnits)
    if (await this.credentials.findSignIn(admin.tenant.id, email) !== undefined) throw conflict(`${email} is already a member of this tenant`, 'email')
    return await withAdminFields(async () => {
      const resource = prepareWrite(this.registry, 'User', {
        schemas: [SCHEMA_URN.user, ...(input.healthcare === undefined ? [] : [HEALTHCARE_URN])],
        userName: email,
        emails: [{ value: email, type: 'work', primary: true }],
        active: true,
        ...this.details(input, {})
      }, 'create')
      await checkHealthcareRules(resource, undefined, this.users.directory(admin.tenant.id), supervisionPolicy(admin))
      return await this.lifecycle.guard({ tenantId: admin.tenant.id, context: admin.context }, async () => await this.users.insert(admin.tenant.id, {
        ...splitUser(resource, undefined),
        loginEmail: email,
        attachToExistingAccount: true,
        kind: input.kind ?? 'staff',
        ...(input.orgUnits === undefined ? {} : { orgUnitIds: input.orgUnits })
      }, this.followup(admin)))
    })
  }

  /** Personal data, roles, features and org units; never the email (the login). */
  async update (admin: AdminSession, id: string, input: AccountDetails & { email?: unknown }): Promise<StoredUser> {
    require(admin, 'accounts.write')
    if (input.email !== undefined) throw invalid('The email address is the login and cannot be changed')
    await this.checkOrgUnits(admin, input.orgUnits)
    return await withAdminFields(async () => await this.modify(admin, id, async (current, lookups) => {
      const resource = userResource(current)
      this.checkGrants(admin, catalogueValues(resource.roles), input.roles ?? catalogueValues(resource.roles), input.features, catalogueValues(resource.entitlements))
      const next = prepareWrite(this.registry, 'User', { ...resource, ...this.details(input, resource) }, 'replace')
      await checkHealthcareRules(next, current.id, lookups, supervisionPolicy(admin))
      return { ...splitUser(next, current.status), ...(input.orgUnits === undefined ? {} : { orgUnitIds: input.orgUnits }) }
    }))
  }

  async changeStatus (admin: AdminSession, id: string, change: Exclude<StatusTransition, 'activate'>): Promise<StoredUser> {
    require(admin, 'accounts.write')
    if (change === 'deactivate' && id === admin.membershipId) throw conflict('You cannot deactivate yourself')
    return await this.modify(admin, id, async current => ({ ...splitUser(userResource(current), current.status), status: transition(current.status, change) }))
  }

  /** A new activation link, e.g. when the first expired (the earlier one stays valid until it expires). */
  async resendActivation (admin: AdminSession, id: string): Promise<void> {
    require(admin, 'accounts.write')
    const user = await this.visible(admin, id)
    if (user.status !== 'created') throw conflict(`Only an account waiting for activation gets an activation mail; this one is ${user.status}`)
    await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      if (!await this.lifecycle.sendActivation(effects, admin.tenant, user, 'activation')) throw conflict('The account has no email address to send the activation to')
      await effects.audit({ action: 'user.activation-resent', targetType: 'user', targetId: user.id })
      await this.lifecycle.notifyAdministrators(effects, admin.tenant, 'activation-resent', user)
    })
  }

  /** A password reset link for an active account (same mail as "forgot password"). */
  async sendPasswordReset (admin: AdminSession, id: string): Promise<void> {
    require(admin, 'accounts.write')
    const user = await this.visible(admin, id)
    if (user.status !== 'active') throw conflict(`Only an active account can reset its password; this one is ${user.status}`)
    await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      if (!await this.lifecycle.sendActivation(effects, admin.tenant, user, 'reset')) throw conflict('The account has no email address to send the link to')
      await effects.audit({ action: 'user.password-reset-sent', targetType: 'user', targetId: user.id })
      await this.lifecycle.notifyAdministrators(effects, admin.tenant, 'account-updated', user, ['password'])
    })
  }

  /** Ends this tenant's membership only; the account and its other memberships stay. */
  async endMembership (admin: AdminSession, id: string): Promise<void> {
    require(admin, 'accounts.write')
    if (id === admin.membershipId) throw conflict('You cannot end your own membership')
    await this.visible(admin, id)
    const deleted = await this.users.delete(admin.tenant.id, id, async () => {}, this.followup(admin))
    if (!deleted) throw notFound(`No account ${id} in this tenant`)
  }

  catalogue (admin: AdminSession): { roles: Array<RoleDefinition & { key: string }>, permissions: readonly Permission[], features: string[] } {
    require(admin, 'accounts.read')
    const roles = roleCatalogueOf(admin.tenant.settings)
    return { roles: Object.entries(roles).map(([key, role]) => ({ key, ...role })), permissions: PERMISSIONS, features: featuresOf(admin.tenant.settings) }
  }

  /** Adds or changes a role of the tenant's catalogue (its own copy of the presets). */
  async defineRole (admin: AdminSession, key: string, definition: RoleDefinition): Promise<void> {
    require(admin, 'roles.manage')
    checkRoleDefinition(key, definition)
    checkMayDefineRole(admin.permissions, definition)
    const current = roleCatalogueOf(admin.tenant.settings)
    if (current[key] !== undefined) checkMayDefineRole(admin.permissions, current[key])
    await this.saveCatalogue(admin, { ...current, [key]: definition }, { action: 'role.defined', key, before: current[key], after: definition })
  }

  async removeRole (admin: AdminSession, key: string): Promise<void> {
    require(admin, 'roles.manage')
    const current = roleCatalogueOf(admin.tenant.settings)
    if (current[key] === undefined) throw notFound(`No role "${key}"`)
    checkMayDefineRole(admin.permissions, current[key])
    if ((await this.directory.list(admin.tenant.id, { role: key, sort: 'created', order: 'asc', offset: 0, limit: 0 })).total > 0) {
      throw conflict(`The role "${key}" is still held by members; take it away from them first`)
    }
    const rest = Object.fromEntries(Object.entries(current).filter(([k]) => k !== key))
    await this.saveCatalogue(admin, rest, { action: 'role.removed', key, before: current[key], after: undefined })
  }

  /** Every member of the group holds these at once, and loses them at once when removed. */
  async setGroupGrants (admin: AdminSession, groupId: string, grants: { roles: string[], features: string[] }): Promise<void> {
    require(admin, 'groups.manage')
    const roles = grants.roles.map(roleKey)
    const group = (await this.directory.groups(admin.tenant.id)).find(g => g.id === groupId)
    if (group === undefined) throw notFound(`No group ${groupId} in this tenant`)
    this.checkGrants(admin, group.roles, roles, grants.features, group.features)
    const guard = administratorGuard(admin.tenant.settings)
    const dropsAdministration = group.roles.some(role => guard.roles.includes(role)) && !roles.some(role => guard.roles.includes(role))
    await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      const setGrants = async () => await effects.setGroupGrants(groupId, { roles, features: grants.features })
      if (dropsAdministration) await guard.keep(async roles => await effects.countHoldersLocked(roles), setGrants)
      else await setGrants()
      await effects.audit({ action: 'group.grants-changed', targetType: 'group', targetId: groupId, changes: { roles: { from: group.roles, to: roles }, features: { from: group.features, to: grants.features } } })
      await this.lifecycle.notifyAdministrators(effects, admin.tenant, 'roles-changed', { name: group.displayName }, ['roles', 'features'])
    })
  }

  async orgUnits (admin: AdminSession): Promise<OrgUnitRecord[]> {
    require(admin, 'accounts.read')
    return await this.directory.orgUnits(admin.tenant.id)
  }

  async createOrgUnit (admin: AdminSession, name: string, parentId: string | undefined): Promise<OrgUnitRecord> {
    require(admin, 'tenant.manage')
    return await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      const created = await effects.createOrgUnit(name, parentId)
      if (created === undefined) throw invalid(`Unknown parent org unit ${String(parentId)}`)
      await effects.audit({ action: 'org-unit.created', targetType: 'org-unit', targetId: created.id, changes: { name: { from: null, to: name }, parentId: { from: null, to: parentId ?? null } } })
      return { id: created.id, name, parentId: parentId ?? null }
    })
  }

  async groups (admin: AdminSession): Promise<GroupSummary[]> {
    require(admin, 'accounts.read')
    return await this.directory.groups(admin.tenant.id)
  }

  async groupMembers (admin: AdminSession, groupId: string, offset: number, limit: number): Promise<{ items: GroupMemberRow[], total: number }> {
    require(admin, 'accounts.read')
    const page = await this.directory.groupMembers(admin.tenant.id, groupId, { offset, limit, ...(admin.orgUnitIds.length > 0 ? { withinOrgUnits: admin.orgUnitIds } : {}) })
    if (page === undefined) throw notFound(`No group ${groupId} in this tenant`)
    return page
  }

  async audit (admin: AdminSession, query: AuditQuery): Promise<AuditRecord[]> {
    require(admin, 'audit.read')
    return await this.auditReader.query(admin.tenant.id, query)
  }

  private async saveCatalogue (admin: AdminSession, roles: TenantSettings['roles'] & object, change: { action: string, key: string, before: unknown, after: unknown }): Promise<void> {
    const settings = { ...admin.tenant.settings, roles }
    if (Object.values(roles).every(role => !role.permissions.includes('accounts.write'))) throw conflict('The catalogue must keep a role with the accounts.write permission (user administration)')
    await this.credentials.withEffects(admin.tenant.id, admin.context, async effects => {
      await effects.saveTenantSettings(settings as Record<string, unknown>)
      await effects.audit({ action: change.action, targetType: 'role', targetId: change.key, changes: { [change.key]: { from: change.before ?? null, to: change.after ?? null } } })
      await this.lifecycle.notifyAdministrators(effects, admin.tenant, 'roles-changed', { name: change.key }, ['permissions'])
    })
  }

  private checkGrants (admin: AdminSession, rolesBefore: string[], rolesAfter: string[], features: string[] | undefined, featuresBefore: string[] = []): void {
    const catalogue = roleCatalogueOf(admin.tenant.settings)
    const before = new Set(rolesBefore.map(roleKey))
    const after = new Set(rolesAfter.map(roleKey))
    const changed = [...after].filter(r => !before.has(r)).concat([...before].filter(r => !after.has(r)))
    const featuresChanged = features !== undefined && (features.length !== featuresBefore.length || features.some(f => !featuresBefore.includes(f)))
    if (changed.length === 0 && !featuresChanged) return
    require(admin, 'roles.assign')
    checkKnownRoles(catalogue, [...after].filter(r => !before.has(r)))
    checkMayChangeRoles(catalogue, admin.permissions, changed)
    if (features !== undefined) checkKnownFeatures(features, featuresOf(admin.tenant.settings))
  }

  private async checkOrgUnits (admin: AdminSession, units: string[] | undefined): Promise<void> {
    if (units === undefined) return
    const known = new Set((await this.directory.orgUnits(admin.tenant.id)).map(u => u.id))
    const unknown = units.filter(u => !known.has(u))
    if (unknown.length > 0) throw invalid(`Unknown org unit(s): ${unknown.join(', ')}`)
    if (admin.orgUnitIds.length > 0 && !(await Promise.all(units.map(async u => await this.directory.covers(admin.tenant.id, admin.orgUnitIds, [u])))).every(Boolean)) {
      throw forbidden('You can only place accounts in your own org units and their sub-units')
    }
  }

  /** Admin input → SCIM attributes; fields not given keep their current values. */
  private details (input: AccountDetails, current: Record<string, unknown>): Record<string, unknown> {
    const name = { ...(current.name as object | undefined) } as Record<string, unknown>
    for (const field of ['givenName', 'familyName'] as const) {
      const value = input[field]?.trim()
      if (value === '') throw invalid(`The ${field === 'givenName' ? 'given' : 'family'} name cannot be empty`, field)
      if (value !== undefined) name[field] = value
    }
    const out: Record<string, unknown> = { name }
    // '' clears an optional field: the attribute goes, rather than an empty string that SCIM clients would read back.
    const optional = (value: string | undefined, set: (value: string) => unknown) => value === undefined ? undefined : value.trim() === '' ? null : set(value.trim())
    for (const [attribute, value] of [['displayName', input.displayName], ['title', input.title], ['preferredLanguage', input.preferredLanguage]] as const) {
      const next = optional(value, v => v)
      if (next !== undefined) out[attribute] = next
    }
    const phones = optional(input.phone, value => [{ value, type: 'work', primary: true }])
    if (phones !== undefined) out.phoneNumbers = phones
    if (input.roles !== undefined) out.roles = input.roles.map(value => ({ value: roleKey(value) }))
    if (input.features !== undefined) out.entitlements = input.features.map(value => ({ value }))
    if (input.healthcare !== undefined) out[HEALTHCARE_URN] = healthcareDetails(input.healthcare, current[HEALTHCARE_URN])
    return out
  }

  private async modify (admin: AdminSession, id: string, change: (current: StoredUser, lookups: UserLookups) => Promise<ReturnType<typeof splitUser> & { orgUnitIds?: string[] }>): Promise<StoredUser> {
    await this.visible(admin, id)
    const stored = await this.lifecycle.guard({ tenantId: admin.tenant.id, context: admin.context },
      async () => await this.users.modify(admin.tenant.id, id, change, this.followup(admin)))
    if (stored === undefined) throw notFound(`No account ${id} in this tenant`)
    return stored
  }

  /** The membership, if this admin may see it (same tenant; within their org units when they have any). */
  private async visible (admin: AdminSession, id: string): Promise<StoredUser> {
    const user = await this.users.get(admin.tenant.id, id)
    if (user === undefined || (admin.orgUnitIds.length > 0 && !await this.directory.covers(admin.tenant.id, admin.orgUnitIds, user.orgUnitIds))) {
      throw notFound(`No account ${id} in this tenant`)
    }
    return user
  }

  private followup (admin: AdminSession) {
    return { context: admin.context, run: async (effects: Parameters<MembershipLifecycle['afterWrite']>[0], before: StoredUser | undefined, after: StoredUser | undefined) => await this.lifecycle.afterWrite(effects, admin.tenant, before, after) }
  }
}

function supervisionPolicy (admin: AdminSession): SupervisionPolicy {
  return { requireSupervisor: admin.tenant.settings.healthcare?.requireSupervisor === true }
}

/** Admin input → the extension's attributes, on top of the current ones ('' removes one). */
function healthcareDetails (input: HealthcareDetails, current: unknown): Record<string, unknown> {
  const extension: Record<string, unknown> = { ...(current as Record<string, unknown> | undefined) }
  for (const field of HEALTHCARE_FIELDS) {
    const value = input[field]?.trim()
    if (value === undefined) continue
    if (value === '') delete extension[field]
    else extension[field] = field === 'supervisingUser' ? { value } : value
  }
  return extension
}

/** SCIM attribute paths → the admin API's field names, so that a form shows the message next to its field. */
const ADMIN_FIELDS: Record<string, string> = { 'name.givenName': 'givenName', 'name.familyName': 'familyName', userName: 'email', emails: 'email', phoneNumbers: 'phone' }

function adminFieldError (error: unknown): unknown {
  if (!(error instanceof ScimError) || error.status >= 500) return error
  const attribute = error.attribute ?? ''
  const field = attribute.startsWith(`${HEALTHCARE_URN}:`) ? `healthcare.${attribute.slice(HEALTHCARE_URN.length + 1)}` : ADMIN_FIELDS[attribute]
  // "urn:…:User:agbCode: AGB code format: …" → "AGB code format: …": the form shows it under agbCode already.
  const name = attribute.slice(attribute.lastIndexOf(':') + 1)
  const message = error.message.replaceAll(`${HEALTHCARE_URN}:`, '').replace(new RegExp(`^${name}: `), '')
  const kind = ({ 400: 'invalid', 403: 'forbidden', 404: 'not_found', 409: 'conflict' } as const)[error.status]
  return kind === undefined ? error : new DomainError(kind, message, field)
}

async function withAdminFields<T> (work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw adminFieldError(error)
  }
}

function require (admin: AdminSession, permission: Permission): void {
  if (!admin.permissions.has(permission)) throw forbidden(`This needs the permission ${permission}, which your roles in this tenant do not give`)
}


