import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { GroupRef, NewUser, StoredPage, StoredUser, UserListQuery, UserLookups, UserStore, UserWrite } from '../../domain/scim/user-store.js'
import { uniqueness } from '../../scim/errors.js'
import type { SchemaRegistry } from '../../scim/schema/registry.js'
import { filterToSql, sortToSql } from '../scim-sql/index.js'
import { reader, transaction, violatedUniqueConstraint, type Sql } from '../sql.js'
import { locateUserAttribute } from './user-storage.js'

interface UserRow {
  id: string
  account_id: string
  user_name: string
  external_id: string | null
  status: StoredUser['status']
  attributes: Record<string, unknown>
  profile: Record<string, unknown>
  m_version: number
  a_version: number
  created_at: Date
  last_modified: Date
}

const SELECT_USER = `select m.id, m.account_id, m.user_name, m.external_id, m.status, m.attributes, a.profile,
  m.version as m_version, a.version as a_version, m.created_at, greatest(m.updated_at, a.updated_at) as last_modified
  from membership m join account a on a.id = m.account_id`

function toStoredUser (row: UserRow): StoredUser {
  return {
    id: row.id,
    accountId: row.account_id,
    userName: row.user_name,
    externalId: row.external_id ?? undefined,
    status: row.status,
    profile: row.profile,
    attributes: row.attributes,
    version: `${row.m_version}.${row.a_version}`,
    created: new Date(row.created_at),
    lastModified: new Date(row.last_modified)
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Rethrows a unique violation as the SCIM error a client can act on. */
function uniquenessError (error: unknown, userName: string): unknown {
  switch (violatedUniqueConstraint(error)) {
    case 'membership_tenant_user_name_unique': return uniqueness(`userName "${userName}" is already in use in this tenant`)
    default: return error
  }
}

export class SqlUserStore implements UserStore {
  private readonly filterContext

  constructor (private readonly orm: MikroORM, registry: SchemaRegistry) {
    this.filterContext = { registry, resourceType: 'User', locate: locateUserAttribute }
  }

  async insert (tenantId: string, user: NewUser): Promise<StoredUser> {
    try {
      return await transaction(this.orm, async sql => {
        const accountId = await this.accountFor(sql, user)
        const id = randomUUID()
        await sql.query(
          `insert into membership (id, tenant_id, account_id, user_name, external_id, status, attributes, version, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, 1, now(), now())`,
          [id, tenantId, accountId, user.userName, user.externalId ?? null, user.status, JSON.stringify(user.attributes)]
        )
        return (await this.select(sql, tenantId, id))!
      })
    } catch (error) {
      throw uniquenessError(error, user.userName)
    }
  }

  /**
   * A new account per SCIM-created User. An identity provider's email is not proof that two tenants mean
   * the same person: linking on it would let one tenant read and overwrite another tenant's personal data.
   * When the login email is taken, the account gets none (`uniqueness: none` on emails, RFC 7643 §4.1.2);
   * accounts are joined only once the person proves control of the email (activation).
   */
  private async accountFor (sql: Sql, user: NewUser): Promise<string> {
    const insert = async (email: string | null) => await sql.query<{ id: string }>(
      `insert into account (id, email, profile, password_hash, version, created_at, updated_at)
       values (?, ?, ?, ?, 1, now(), now()) on conflict (email) do nothing returning id`,
      [randomUUID(), email, JSON.stringify(user.profile), user.passwordHash ?? null]
    )
    const [created] = await insert(user.loginEmail ?? null)
    return created?.id ?? (await insert(null))[0]!.id
  }

  async get (tenantId: string, id: string): Promise<StoredUser | undefined> {
    return await this.select(reader(this.orm), tenantId, id)
  }

  private async select (sql: Sql, tenantId: string, id: string, lock = false): Promise<StoredUser | undefined> {
    if (!UUID.test(id)) return undefined
    const rows = await sql.query<UserRow>(`${SELECT_USER} where m.tenant_id = ? and m.id = ?${lock ? ' for update of m, a' : ''}`, [tenantId, id])
    return rows[0] === undefined ? undefined : toStoredUser(rows[0])
  }

  async modify (tenantId: string, id: string, mutate: (current: StoredUser, lookups: UserLookups) => Promise<UserWrite | undefined>): Promise<StoredUser | undefined> {
    let userName = ''
    try {
      return await transaction(this.orm, async sql => {
        const current = await this.select(sql, tenantId, id, true)
        if (current === undefined) return undefined
        const next = await mutate(current, {
          userExists: async other => await this.select(sql, tenantId, other) !== undefined
        })
        if (next === undefined) return current
        userName = next.userName
        await sql.query(
          `update membership set user_name = ?, external_id = ?, status = ?, attributes = ?, version = version + 1, updated_at = now()
           where tenant_id = ? and id = ?`,
          [next.userName, next.externalId ?? null, next.status, JSON.stringify(next.attributes), tenantId, id]
        )
        // Personal data is shared: touch the account (and every tenant's ETag of it) only when it changed.
        // (jsonb does not keep key order, so compare structurally.)
        if (!isDeepStrictEqual(next.profile, current.profile) || next.passwordHash !== undefined) {
          await sql.query(
            `update account set profile = ?, password_hash = coalesce(?, password_hash), version = version + 1, updated_at = now() where id = ?`,
            [JSON.stringify(next.profile), next.passwordHash ?? null, current.accountId]
          )
        }
        return await this.select(sql, tenantId, id)
      })
    } catch (error) {
      throw uniquenessError(error, userName)
    }
  }

  async delete (tenantId: string, id: string, check: (current: StoredUser) => void): Promise<boolean> {
    return await transaction(this.orm, async sql => {
      const current = await this.select(sql, tenantId, id, true)
      if (current === undefined) return false
      check(current)
      // The account stays: it may belong to other tenants; this ends this tenant's membership only.
      await sql.query('delete from group_member where tenant_id = ? and member_id = ?', [tenantId, id])
      await sql.query('delete from membership where tenant_id = ? and id = ?', [tenantId, id])
      return true
    })
  }

  async list (tenantId: string, query: UserListQuery): Promise<StoredPage<StoredUser>> {
    const sql = reader(this.orm)
    const where = ['m.tenant_id = ?']
    const params: unknown[] = [tenantId]
    if (query.filter !== undefined) {
      const fragment = filterToSql(query.filter, this.filterContext)
      where.push(`(${fragment.sql})`)
      params.push(...fragment.params)
    }
    const whereSql = where.join(' and ')
    const [{ total }] = await sql.query<{ total: string }>(
      `select count(*) as total from membership m join account a on a.id = m.account_id where ${whereSql}`, params
    ) as [{ total: string }]
    const order = query.sortBy === undefined ? 'm.id' : `${sortToSql(query.sortBy, query.sortOrder, this.filterContext)}, m.id`
    const keyset = query.after === undefined ? '' : ' and m.id > ?'
    const rows = query.limit === 0
      ? []
      : await sql.query<UserRow>(
        `${SELECT_USER} where ${whereSql}${keyset} order by ${order} limit ? offset ?`,
        [...params, ...(query.after === undefined ? [] : [query.after]), query.limit, query.offset]
      )
    return { items: rows.map(toStoredUser), total: Number(total) }
  }

  async groupsOf (tenantId: string, userIds: string[]): Promise<Map<string, GroupRef[]>> {
    const result = new Map<string, GroupRef[]>(userIds.map(id => [id, []]))
    if (userIds.length === 0) return result
    // Direct groups, and the groups those belong to (RFC 7643 §4.1.2: "direct" or "indirect").
    const rows = await reader(this.orm).query<{ member_id: string, group_id: string, depth: number, display_name: string }>(
      `with recursive reach (member_id, group_id, depth) as (
         select gm.member_id, gm.group_id, 1 from group_member gm where gm.tenant_id = ? and gm.member_id = any(?::uuid[])
         union
         select r.member_id, gm.group_id, r.depth + 1 from reach r
           join group_member gm on gm.tenant_id = ? and gm.member_id = r.group_id
         where r.depth < 32
       )
       select r.member_id, r.group_id, min(r.depth) as depth, g.display_name
       from reach r join scim_group g on g.id = r.group_id
       group by r.member_id, r.group_id, g.display_name
       order by g.display_name`,
      [tenantId, userIds, tenantId]
    )
    for (const row of rows) {
      result.get(row.member_id)?.push({ value: row.group_id, display: row.display_name, type: row.depth === 1 ? 'direct' : 'indirect' })
    }
    return result
  }
}
