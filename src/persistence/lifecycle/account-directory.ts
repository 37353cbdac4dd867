import type { MikroORM } from '@mikro-orm/postgresql'
import type { AccountDirectory, AccountQuery, AccountRow, GroupMemberRow, GroupSummary, OrgUnitRecord } from '../../domain/accounts/account-directory.js'
import { formatRegistrationNumber } from '../../domain/healthcare/registration-number.js'
import { catalogueValues } from '../../domain/scim/user-attributes.js'
import { uuidArray } from '../scim/user-store.js'
import { isUuid, reader } from '../sql.js'
import { GRANTS_OF_MEMBERSHIP, HOLDS_ROLE } from './change-effects.js'

const SORT: Record<AccountQuery['sort'], string> = {
  name: `lower(coalesce(a.profile->'name'->>'familyName', '')), lower(coalesce(a.profile->'name'->>'givenName', ''))`,
  email: 'lower(coalesce(a.email::text, m.user_name::text))',
  status: 'm.status',
  lastActivity: 'm.last_activity_at',
  created: 'm.created_at'
}

// Units given and all their sub-units (`?` = tenant, unit ids).
const SUBTREE = `with recursive subtree (id) as (
    select id from org_unit where tenant_id = ? and id = any(?::uuid[])
    union select u.id from org_unit u join subtree s on u.parent_id = s.id
  )`


interface Row {
  id: string
  profile: Record<string, unknown>
  attributes: Record<string, unknown>
  email: string | null
  status: AccountRow['status']
  kind: AccountRow['kind']
  registration_seq: string
  org_unit_ids: string[] | string
  last_activity_at: Date | null
  created_at: Date
  group_roles: string[] | null
  group_features: string[] | null
}

export class SqlAccountDirectory implements AccountDirectory {
  constructor (private readonly orm: MikroORM) {}

  async list (tenantId: string, query: AccountQuery): Promise<{ items: AccountRow[], total: number }> {
    const where = ['m.tenant_id = ?']
    const params: unknown[] = [tenantId]
    if (query.search !== undefined && query.search.trim() !== '') {
      const term = query.search.trim()
      if (isUuid(term)) {
        where.push('m.id = ?')
        params.push(term)
      } else {
        const like = `%${term.toLowerCase().replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`
        where.push(`(lower(coalesce(a.profile->'name'->>'givenName', '') || ' ' || coalesce(a.profile->'name'->>'familyName', '')) like ?
          or lower(coalesce(a.profile->>'displayName', '')) like ? or lower(coalesce(a.email::text, '')) like ? or lower(m.user_name::text) like ?)`)
        params.push(like, like, like, like)
      }
    }
    if (query.status !== undefined) { where.push('m.status = ?'); params.push(query.status) }
    if (query.kind !== undefined) { where.push('m.kind = ?'); params.push(query.kind) }
    if (query.role !== undefined) { where.push(HOLDS_ROLE); params.push([query.role], [query.role]) }
    for (const units of [query.orgUnit === undefined ? undefined : [query.orgUnit], query.withinOrgUnits]) {
      if (units === undefined) continue
      where.push(`m.org_unit_ids && array(${SUBTREE} select id from subtree)`)
      params.push(tenantId, units)
    }
    const whereSql = where.join(' and ')
    const sql = reader(this.orm)
    const [count] = await sql.query<{ total: string }>(`select count(*) as total from membership m join account a on a.id = m.account_id where ${whereSql}`, params)
    // The page first, then the group grants of its rows only (not of every member of the tenant).
    const rows = await sql.query<Row>(
      `with page as (
         select m.id, row_number() over (order by ${SORT[query.sort]} ${query.order === 'desc' ? 'desc nulls last' : 'asc nulls first'}, m.id) as position
         from membership m join account a on a.id = m.account_id where ${whereSql}
         order by position limit ? offset ?)
       select m.id, a.profile, m.attributes, a.email::text as email, a.registration_seq, m.status, m.kind, m.org_unit_ids, m.last_activity_at, m.created_at,
         grants.roles as group_roles, grants.features as group_features
       from page join membership m on m.id = page.id join account a on a.id = m.account_id ${GRANTS_OF_MEMBERSHIP}
       order by page.position`,
      [...params, query.limit, query.offset])
    return { items: rows.map(toAccountRow), total: Number(count?.total ?? 0) }
  }

  async covers (tenantId: string, units: string[], membershipUnits: string[]): Promise<boolean> {
    if (membershipUnits.length === 0) return false
    const [row] = await reader(this.orm).query<{ covered: boolean }>(
      `${SUBTREE} select exists (select 1 from subtree where id = any(?::uuid[])) as covered`, [tenantId, units, membershipUnits])
    return row?.covered === true
  }

  async orgUnits (tenantId: string): Promise<OrgUnitRecord[]> {
    return (await reader(this.orm).query<{ id: string, name: string, parent_id: string | null }>(
      'select id, name, parent_id from org_unit where tenant_id = ? order by name, id', [tenantId]))
      .map(row => ({ id: row.id, name: row.name, parentId: row.parent_id }))
  }

  async groups (tenantId: string): Promise<GroupSummary[]> {
    return (await reader(this.orm).query<{ id: string, display_name: string, roles: string[], features: string[], member_count: string }>(
      `select g.id, g.display_name, g.roles, g.features, (select count(*) from group_member gm where gm.tenant_id = g.tenant_id and gm.group_id = g.id) as member_count
       from scim_group g where g.tenant_id = ? order by lower(g.display_name::text), g.id`, [tenantId]))
      .map(row => ({ id: row.id, displayName: row.display_name, roles: row.roles, features: row.features, memberCount: Number(row.member_count) }))
  }

  async groupMembers (tenantId: string, groupId: string, { offset, limit, withinOrgUnits }: { offset: number, limit: number, withinOrgUnits?: string[] }): Promise<{ items: GroupMemberRow[], total: number } | undefined> {
    if (!isUuid(groupId)) return undefined
    const sql = reader(this.orm)
    const [group] = await sql.query<{ id: string }>('select id from scim_group where tenant_id = ? and id = ?', [tenantId, groupId])
    if (group === undefined) return undefined
    // An admin limited to org units sees the users of those units only (as in the accounts table); nested groups always.
    const scope = withinOrgUnits === undefined ? { sql: '', params: [] } : { sql: `and (gm.member_type = 'Group' or m.org_unit_ids && array(${SUBTREE} select id from subtree))`, params: [tenantId, withinOrgUnits] }
    const from = `from group_member gm
       left join membership m on gm.member_type = 'User' and m.tenant_id = gm.tenant_id and m.id = gm.member_id
       left join account a on a.id = m.account_id
       left join scim_group sg on gm.member_type = 'Group' and sg.tenant_id = gm.tenant_id and sg.id = gm.member_id
       where gm.tenant_id = ? and gm.group_id = ? ${scope.sql}`
    const [count] = await sql.query<{ total: string }>(`select count(*) as total ${from}`, [tenantId, groupId, ...scope.params])
    // A user shows as "given family" (or displayName, or userName); a nested group by its displayName.
    const rows = await sql.query<GroupMemberRow>(
      `select gm.member_id as id, gm.member_type as type,
         coalesce(sg.display_name::text, nullif(trim(coalesce(a.profile->'name'->>'givenName', '') || ' ' || coalesce(a.profile->'name'->>'familyName', '')), ''),
           a.profile->>'displayName', m.user_name::text, gm.member_id::text) as display
       ${from}
       order by lower(coalesce(sg.display_name::text, a.profile->'name'->>'familyName', m.user_name::text, '')), gm.member_id
       limit ? offset ?`, [tenantId, groupId, ...scope.params, limit, offset])
    return { items: rows, total: Number(count?.total ?? 0) }
  }

}

function toAccountRow (row: Row): AccountRow {
  const name = row.profile.name as { givenName?: string, familyName?: string } | undefined
  const emails = row.profile.emails as Array<{ value?: string }> | undefined
  return {
    id: row.id,
    registrationNumber: formatRegistrationNumber(Number(row.registration_seq)),
    givenName: name?.givenName,
    familyName: name?.familyName,
    displayName: row.profile.displayName as string | undefined,
    email: row.email ?? emails?.[0]?.value,
    roles: [...new Set([...catalogueValues(row.attributes.roles), ...(row.group_roles ?? [])])].sort(),
    features: [...new Set([...catalogueValues(row.attributes.entitlements), ...(row.group_features ?? [])])].sort(),
    orgUnits: uuidArray(row.org_unit_ids),
    status: row.status,
    kind: row.kind,
    lastActivityAt: row.last_activity_at === null ? null : new Date(row.last_activity_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString()
  }
}
