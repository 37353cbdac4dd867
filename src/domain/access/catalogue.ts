import { forbidden, invalid } from '../errors.js'

/**
 * What the admin API enforces. Administrative permissions guard CareSCIM itself; the others are rights
 * that connected applications read from the session (a front-desk user books appointments, a
 * practitioner reads records): CareSCIM only hands them on.
 */
export const ADMINISTRATIVE_PERMISSIONS = [
  'accounts.read', 'accounts.write', 'roles.assign', 'roles.manage', 'groups.manage', 'audit.read',
  'login-requests.review', 'idps.manage', 'tenant.manage'
] as const
export const PERMISSIONS = [
  ...ADMINISTRATIVE_PERMISSIONS,
  'records.read', 'records.write', 'care-plans.manage', 'appointments.manage', 'rosters.manage', 'billing.manage', 'portal.use'
] as const
export type Permission = typeof PERMISSIONS[number]

/**
 * Whose granting is guarded: a user administrator hands out practitioner or front-desk rights all day
 * without holding them; what they may not hand out is more administrative power than their own.
 */
function administrative (permission: Permission): boolean {
  return (ADMINISTRATIVE_PERMISSIONS as readonly string[]).includes(permission)
}

export interface RoleDefinition {
  displayName: string
  permissions: Permission[]
}

export type RoleCatalogue = Record<string, RoleDefinition>

const USER_ADMINISTRATION: Permission[] = ['accounts.read', 'accounts.write', 'roles.assign', 'groups.manage', 'audit.read', 'login-requests.review']

/** Every new tenant starts with these (design.md: role); a tenant edits its own copy. */
export const ROLE_PRESETS: RoleCatalogue = {
  owner: { displayName: 'Owner', permissions: [...PERMISSIONS] },
  'user-admin': { displayName: 'User administrator', permissions: USER_ADMINISTRATION },
  practitioner: { displayName: 'Practitioner', permissions: ['records.read', 'records.write'] },
  'case-manager': { displayName: 'Case manager', permissions: ['records.read', 'care-plans.manage'] },
  'admin-staff': { displayName: 'Administrative staff', permissions: ['accounts.read', 'appointments.manage', 'billing.manage'] },
  'front-desk': { displayName: 'Front desk', permissions: ['appointments.manage'] },
  planner: { displayName: 'Planner', permissions: ['appointments.manage', 'rosters.manage'] },
  patient: { displayName: 'Patient', permissions: ['portal.use'] }
}

/** Rights a membership may be given (design.md: feature); a tenant may narrow or extend the list. */
export const FEATURE_PRESETS = ['e-consultation', 'e-booking', 'e-prescription-renewal', 'messaging', 'documents', 'reports']

/** Whoever holds this is one of the tenant's user administrators (mailed about every admin action, never zero). */
export const USER_ADMINISTRATOR_PERMISSION: Permission = 'accounts.write'

const ROLE_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/

export function checkRoleDefinition (key: string, definition: RoleDefinition): void {
  if (!ROLE_KEY.test(key)) throw invalid(`Invalid role key "${key}": use lowercase letters, digits and hyphens`)
  const unknown = definition.permissions.filter(p => !(PERMISSIONS as readonly string[]).includes(p))
  if (unknown.length > 0) throw invalid(`Unknown permission(s): ${unknown.join(', ')}; known: ${PERMISSIONS.join(', ')}`)
}

/** Role keys compare case-insensitively: an IdP may send "Practitioner" for the catalogue's "practitioner". */
export function roleKey (value: string): string {
  return value.trim().toLowerCase()
}

export function permissionsOf (catalogue: RoleCatalogue, roles: Iterable<string>): Set<Permission> {
  const permissions = new Set<Permission>()
  for (const role of roles) for (const permission of catalogue[roleKey(role)]?.permissions ?? []) permissions.add(permission)
  return permissions
}

/** The catalogue's roles that make their holder a user administrator. */
export function administratorRoles (catalogue: RoleCatalogue): string[] {
  return Object.entries(catalogue).filter(([, role]) => role.permissions.includes(USER_ADMINISTRATOR_PERMISSION)).map(([key]) => key)
}

export function checkKnownRoles (catalogue: RoleCatalogue, roles: string[]): void {
  const unknown = roles.filter(role => catalogue[roleKey(role)] === undefined)
  if (unknown.length > 0) throw invalid(`Unknown role(s): ${unknown.join(', ')}; this tenant's roles: ${Object.keys(catalogue).join(', ')}`, 'roles')
}

export function checkKnownFeatures (features: string[], known: string[]): void {
  const unknown = features.filter(f => !known.includes(f))
  if (unknown.length > 0) throw invalid(`Unknown feature(s): ${unknown.join(', ')}; this tenant's features: ${known.join(', ')}`, 'features')
}

/**
 * Nobody grants (or takes away) an administrative permission they do not hold: a user administrator
 * can hand on user administration for holiday cover, but cannot make anyone owner.
 */
export function checkMayChangeRoles (catalogue: RoleCatalogue, held: Set<Permission>, changed: Iterable<string>): void {
  for (const role of changed) {
    const missing = (catalogue[roleKey(role)]?.permissions ?? []).filter(p => administrative(p) && !held.has(p))
    if (missing.length > 0) throw forbidden(`You cannot grant or remove the role "${role}": it carries permission(s) you do not hold (${missing.join(', ')})`)
  }
}

export function checkMayDefineRole (held: Set<Permission>, definition: RoleDefinition): void {
  const missing = definition.permissions.filter(p => administrative(p) && !held.has(p))
  if (missing.length > 0) throw forbidden(`You cannot define a role with permission(s) you do not hold (${missing.join(', ')})`)
}
