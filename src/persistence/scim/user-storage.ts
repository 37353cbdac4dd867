import { invalidFilter } from '../../scim/errors.js'
import type { ResolvedAttribute } from '../../scim/schema/registry.js'
import type { AttributeStorage } from '../scim-sql/index.js'
import { ACCOUNT_ATTRIBUTES } from '../../domain/scim/user-attributes.js'
import { HEALTHCARE_URN, TENANT_SPECIFIC_ATTRIBUTES } from '../../domain/healthcare/extension.js'
import { checkRegistrationNumber } from '../../domain/healthcare/registration-number.js'
import { sqlString } from '../sql.js'


/** Where each User attribute lives in `membership m join account a`, for filters and sorting. */
export function locateUserAttribute ({ attribute, subAttribute, extension, schema }: ResolvedAttribute): AttributeStorage | undefined {
  if (schema === HEALTHCARE_URN) return locateHealthcare(attribute.name)
  if (extension) return { kind: 'json', sql: `m.attributes->${sqlString(schema)}->${sqlString(attribute.name)}` }
  switch (attribute.name) {
    case 'id': return { kind: 'column', sql: 'm.id::text' }
    case 'userName': return { kind: 'column', sql: 'm.user_name' }
    case 'externalId': return { kind: 'column', sql: 'm.external_id' }
    case 'active': return { kind: 'column', sql: "(m.status <> 'inactive')" }
    case 'password': return undefined
    case 'meta': return locateMeta(subAttribute?.name, 'm.created_at', 'greatest(m.updated_at, a.updated_at)', 'User')
    case 'groups': return {
      kind: 'custom',
      compile: ({ op, value, subAttribute }) => groupsTest(op, value, subAttribute)
    }
  }
  if (ACCOUNT_ATTRIBUTES.has(attribute.name)) return { kind: 'json', sql: `a.profile->${sqlString(attribute.name)}` }
  return { kind: 'json', sql: `m.attributes->${sqlString(attribute.name)}` }
}

export function locateMeta (sub: string | undefined, created: string, lastModified: string, resourceType: string): AttributeStorage | undefined {
  switch (sub) {
    case 'created': return { kind: 'column', sql: created }
    case 'lastModified': return { kind: 'column', sql: lastModified }
    case 'resourceType': return { kind: 'column', sql: sqlString(resourceType) }
    default: return undefined
  }
}

// User.groups: direct memberships by group id or display name.
function groupsTest (op: string, value: unknown, subAttribute: string | undefined) {
  const column = subAttribute === 'display' ? 'lower(g.display_name)' : 'gm.group_id::text'
  const join = subAttribute === 'display' ? ' join scim_group g on g.id = gm.group_id' : ''
  const base = `exists (select 1 from group_member gm${join} where gm.tenant_id = m.tenant_id and gm.member_id = m.id`
  if (op === 'pr') return { sql: `${base})`, params: [] }
  if (op === 'eq' && typeof value === 'string') {
    return { sql: `${base} and ${column} = ?)`, params: [subAttribute === 'display' ? value.toLowerCase() : value] }
  }
  throw invalidFilter('Filters on groups support "eq" and "pr" only')
}

/** The healthcare extension is split: personal facts on the account, the supervising user on the membership. */
function locateHealthcare (name: string): AttributeStorage | undefined {
  const urn = sqlString(HEALTHCARE_URN)
  if (name === 'registrationNumber') return { kind: 'custom', compile: ({ op, value }) => registrationTest(op, value) }
  if (name === 'supervisingUserReference') return undefined // writeOnly
  const document = TENANT_SPECIFIC_ATTRIBUTES.has(name) ? 'm.attributes' : 'a.profile'
  return { kind: 'json', sql: `${document}->${urn}->${sqlString(name)}` }
}

// The number is shown with its check digit; the account stores the sequence behind it.
function registrationTest (op: string, value: unknown) {
  if (op === 'pr') return { sql: 'true', params: [] }
  const check = checkRegistrationNumber(value)
  if (op !== 'eq' || !check.valid || check.normalized === undefined) {
    if (op === 'eq') return { sql: 'false', params: [] }
    throw invalidFilter('Filters on registrationNumber support "eq" and "pr"')
  }
  return { sql: 'a.registration_seq = ?', params: [Number(check.normalized.replace(/\D/g, '').slice(0, -1))] }
}
