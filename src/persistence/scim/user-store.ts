import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import type { MikroORM } from '@mikro-orm/postgresql'
import { HEALTHCARE_URN, type MemberDirectory, type MemberFacts } from '../../domain/healthcare/extension.js'
import type { ListQuery } from '../../domain/scim/paging.js'
import type { Followup, GroupRef, NewUser, StoredPage, StoredUser, UserLookups, UserStore, UserWrite } from '../../domain/scim/user-store.js'
import { uniqueness } from '../../scim/errors.js'
import type { SchemaRegistry } from '../../scim/schema/registry.js'
import { orderBy, tenantWhere } from './list-sql.js'
import { isUuid, reader, sqlString, transaction, violatedUniqueConstraint, type Sql } from '../sql.js'
import { locateUserAttribute } from './user-storage.js'
import { loginEmailOf } from '../../domain/scim/user-attributes.js'
import { sqlChangeEffects } from '../lifecycle/change-effects.js'
import { foldStaffTally, isWholeStaffList, TALLY_COLUMNS, wholeStaffPage } from './staff-tally.js'

/**
 * A User as stored: the membership's part, the account's part (`user_row` on each table) and its groups
 * (`user_groups`, none when it is in none), kept by triggers (migration stored_user_rows) whenever what a
 * part depends on changes: its own row, a supervisor's status, the groups' members, names and nesting.
 */
interface MembershipPart {
  id: string
  account_id: string
  user_name: string
  external_id: string | null
  status: StoredUser['status']
  kind: StoredUser['kind']
  attributes: Record<string, unknown>
  m_version: number
  created_at: string
  m_updated_at: string
  session_epoch: number
  org_unit_ids: string[]
  last_activity_at: string | null
  supervisor_active: boolean | null
}

interface AccountPart {
  profile: Record<string, unknown>
  a_version: number
  registration_seq: number
  email: string | null
  a_updated_at: string
}

interface UserRow { m: MembershipPart, a: AccountPart, groups: GroupRef[] | null }

const URN = sqlString(HEALTHCARE_URN)
const SUPERVISOR_ID = `m.attributes->${URN}->'supervisingUser'->>'value'`
const USERS = 'membership m join account a on a.id = m.account_id'
const WITH_GROUPS = `${USERS} left join user_groups ug on ug.member_id = m.id`

/**
 * The stored parts as they are: PostgreSQL sends plain json as stored and pg decodes three fields, where
 * assembling a User per read (join, supervisor, the walk up the groups, the json) cost PostgreSQL three
 * times a primary-key select. A filter or sort may still read the columns of membership and account.
 */
const SELECT_USER = `select m.user_row as m, a.user_row as a, ug.groups from ${WITH_GROUPS}`

// Account storage is aliased `a` (user-storage.ts); a filter or sort that never names it pages memberships alone.
const READS_ACCOUNT = /(?<![\w.])a\./

interface FactsRow { id: string, status: string, agb_code: string | null, big_number: string | null, supervisor_id: string | null }

const SELECT_FACTS = `select m.id, m.status, a.profile->${URN}->>'agbCode' as agb_code, a.profile->${URN}->>'bigNumber' as big_number,
  ${SUPERVISOR_ID} as supervisor_id from ${USERS}`

function toFacts (row: FactsRow | undefined): MemberFacts | undefined {
  if (row === undefined) return undefined
  return { id: row.id, active: row.status !== 'inactive', agbCode: row.agb_code ?? undefined, bigNumber: row.big_number ?? undefined, supervisorId: row.supervisor_id ?? undefined }
}

/** `groups`: whether the caller asked for User.groups (a StoredUser without them was read without). */
function toStoredUser ({ m, a, groups: userGroups }: UserRow, groups: boolean): StoredUser {
  const modified = new Date(m.m_updated_at)
  const accountModified = new Date(a.a_updated_at)
  return {
    id: m.id,
    accountId: m.account_id,
    userName: m.user_name,
    externalId: m.external_id ?? undefined,
    status: m.status,
    kind: m.kind,
    profile: a.profile,
    attributes: m.attributes,
    version: `${m.m_version}.${a.a_version}`,
    registrationSequence: Number(a.registration_seq),
    supervisorActive: m.supervisor_active ?? (m.attributes[HEALTHCARE_URN] === undefined ? undefined : false),
    created: new Date(m.created_at),
    lastModified: accountModified > modified ? accountModified : modified,
    loginEmail: a.email ?? undefined,
    contactEmail: loginEmailOf({ emails: a.profile.emails, userName: m.user_name }),
    sessionEpoch: m.session_epoch,
    orgUnitIds: m.org_unit_ids,
    lastActivityAt: m.last_activity_at === null ? undefined : new Date(m.last_activity_at),
    ...(groups ? { groups: userGroups ?? [] } : {})
  }
}

/** uuid[] arrives parsed or, through some drivers, as its text form `{a,b}`. */
export function uuidArray (value: string[] | string): string[] {
  if (Array.isArray(value)) return value
  return value === '{}' ? [] : value.slice(1, -1).split(',')
}


/** Rethrows a unique violation as the SCIM error a client can act on. */
function uniquenessError (error: unknown, userName: string): unknown {
  switch (violatedUniqueConstraint(error)) {
    case 'membership_tenant_user_name_unique': return uniqueness(`userName "${userName}" is already in use in this tenant`)
    case 'membership_tenant_account_unique': return uniqueness('This account is already a member of this tenant')
    // Platform-wide: say only that it is taken, nothing of whose it is or where.
    case 'account_agb_code_unique': return uniqueness(`${HEALTHCARE_URN}:agbCode is already registered to another account`, `${HEALTHCARE_URN}:agbCode`)
    case 'account_big_number_unique': return uniqueness(`${HEALTHCARE_URN}:bigNumber is already registered to another account`, `${HEALTHCARE_URN}:bigNumber`)
    case 'account_uzi_number_unique': return uniqueness(`${HEALTHCARE_URN}:uziNumber is already registered to another account`, `${HEALTHCARE_URN}:uziNumber`)
    case 'account_lanr_unique': return uniqueness(`${HEALTHCARE_URN}:lanr is already registered to another account`, `${HEALTHCARE_URN}:lanr`)
    default: return error
  }
}

export class SqlUserStore implements UserStore {
  private readonly filterContext

  constructor (private readonly orm: MikroORM, registry: SchemaRegistry) {
    this.filterContext = { registry, resourceType: 'User', locate: locateUserAttribute }
  }

  async insert (tenantId: string, user: NewUser, followup?: Followup): Promise<StoredUser> {
    try {
      return await transaction(this.orm, async sql => {
        const accountId = await this.accountFor(sql, user)
        const id = randomUUID()
        await sql.query(
          `insert into membership (id, tenant_id, account_id, user_name, external_id, status, kind, attributes, org_unit_ids, version, created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[], 1, now(), now())`,
          [id, tenantId, accountId, user.userName, user.externalId ?? null, user.status, user.kind ?? 'staff', JSON.stringify(user.attributes), user.orgUnitIds ?? []]
        )
        const stored = (await this.select(sql, tenantId, id))!
        if (followup !== undefined) await followup.run(sqlChangeEffects(sql, tenantId, followup.context), undefined, stored)
        return stored
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
    if (user.accountId !== undefined) return user.accountId
    if (user.attachToExistingAccount === true && user.loginEmail !== undefined) {
      const [existing] = await sql.query<{ id: string }>('select id from account where email = ?', [user.loginEmail])
      if (existing !== undefined) return existing.id
    }
    const insert = async (email: string | null) => await sql.query<{ id: string }>(
      `insert into account (id, email, profile, password_hash, registration_seq, version, created_at, updated_at)
       values (?, ?, ?, ?, nextval('account_registration_seq'), 1, now(), now()) on conflict (email) do nothing returning id`,
      [randomUUID(), email, JSON.stringify(user.profile), user.passwordHash ?? null]
    )
    const [created] = await insert(user.loginEmail ?? null)
    return created?.id ?? (await insert(null))[0]!.id
  }

  async get (tenantId: string, id: string, groups = false): Promise<StoredUser | undefined> {
    return await this.select(reader(this.orm), tenantId, id, { groups })
  }

  private async select (sql: Sql, tenantId: string, id: string, { lock = false, groups = false } = {}): Promise<StoredUser | undefined> {
    if (!isUuid(id)) return undefined
    const rows = await sql.query<UserRow>(`${SELECT_USER} where m.tenant_id = ? and m.id = ?${lock ? ' for update of m, a' : ''}`, [tenantId, id])
    return rows[0] === undefined ? undefined : toStoredUser(rows[0], groups)
  }

  async modify (tenantId: string, id: string, mutate: (current: StoredUser, lookups: UserLookups) => Promise<UserWrite | undefined>, followup?: Followup): Promise<StoredUser | undefined> {
    let userName = ''
    try {
      return await transaction(this.orm, async sql => {
        const current = await this.select(sql, tenantId, id, { lock: true })
        if (current === undefined) return undefined
        const next = await mutate(current, this.lookups(sql, tenantId))
        if (next === undefined) return await this.select(sql, tenantId, id, { groups: true })
        userName = next.userName
        // Personal data is shared: touch the account (and every tenant's ETag of it) only when it changed.
        // (jsonb does not keep key order, so compare structurally.)
        const accountChanged = !isDeepStrictEqual(next.profile, current.profile) || next.passwordHash !== undefined
        // Likewise the membership: a change of personal data alone leaves its row (and the visibility map
        // that index-only counts and paging rely on) untouched; a write that changes nothing still bumps it.
        const membershipChanged = next.userName !== current.userName || (next.externalId ?? undefined) !== current.externalId ||
          next.status !== current.status || !isDeepStrictEqual(next.attributes, current.attributes) ||
          (next.orgUnitIds !== undefined && !isDeepStrictEqual(next.orgUnitIds, current.orgUnitIds))
        if (membershipChanged || !accountChanged) {
          await sql.query(
            `update membership set user_name = ?, external_id = ?, status = ?, attributes = ?, org_unit_ids = coalesce(?::uuid[], org_unit_ids),
               version = version + 1, updated_at = now()
             where tenant_id = ? and id = ?`,
            [next.userName, next.externalId ?? null, next.status, JSON.stringify(next.attributes), next.orgUnitIds ?? null, tenantId, id]
          )
        }
        if (accountChanged) {
          await sql.query(
            `update account set profile = ?, password_hash = coalesce(?, password_hash), version = version + 1, updated_at = now() where id = ?`,
            [JSON.stringify(next.profile), next.passwordHash ?? null, current.accountId]
          )
        }
        const stored = (await this.select(sql, tenantId, id, { groups: true }))!
        if (followup !== undefined) await followup.run(sqlChangeEffects(sql, tenantId, followup.context), current, stored)
        return stored
      })
    } catch (error) {
      throw uniquenessError(error, userName)
    }
  }

  async delete (tenantId: string, id: string, check: (current: StoredUser, lookups: UserLookups) => Promise<void>, followup?: Followup): Promise<boolean> {
    return await transaction(this.orm, async sql => {
      const current = await this.select(sql, tenantId, id, { lock: true })
      if (current === undefined) return false
      await check(current, this.lookups(sql, tenantId))
      // The account stays: it may belong to other tenants; this ends this tenant's membership only.
      await sql.query('delete from group_member where tenant_id = ? and member_id = ?', [tenantId, id])
      if (followup !== undefined) await followup.run(sqlChangeEffects(sql, tenantId, followup.context), current, undefined)
      await sql.query('delete from membership where tenant_id = ? and id = ?', [tenantId, id])
      return true
    })
  }

  directory (tenantId: string): MemberDirectory {
    return this.lookups(reader(this.orm), tenantId)
  }

  private lookups (sql: Sql, tenantId: string): UserLookups {
    const facts = async (where: string, params: unknown[]) =>
      toFacts((await sql.query<FactsRow>(`${SELECT_FACTS} where m.tenant_id = ? and ${where} limit 1`, [tenantId, ...params]))[0])
    return {
      userExists: async id => isUuid(id) && await facts('m.id = ?', [id]) !== undefined,
      member: async id => isUuid(id) ? await facts('m.id = ?', [id]) : undefined,
      // A userName first, else a BIG number (Entra sends the supervisor as one simple string).
      memberByReference: async reference => await facts('m.user_name = ?', [reference]) ??
        await facts(`a.profile->${URN}->>'bigNumber' = ?`, [reference]),
      supervisees: async id => Number((await sql.query<{ count: string }>(
        `select count(*) as count from membership m where m.tenant_id = ? and ${SUPERVISOR_ID} = ?`, [tenantId, id]))[0]?.count ?? 0)
    }
  }

  async list (tenantId: string, query: ListQuery, kind?: StoredUser['kind'], groups = false): Promise<StoredPage<StoredUser>> {
    if (isWholeStaffList(query, kind)) return await this.listWholeStaff(tenantId, query, groups)
    const sql = reader(this.orm)
    const scoped = tenantWhere('m', tenantId, query, this.filterContext)
    const whereSql = kind === undefined ? scoped.sql : `${scoped.sql} and m.kind = ?`
    const params = kind === undefined ? scoped.params : [...scoped.params, kind]
    const order = orderBy('m', query, this.filterContext)
    // The account is joined only when the filter or sort reads it: counting and paging plain
    // memberships stays on the (tenant_id, id) index, and a userName lookup plans one table.
    const from = READS_ACCOUNT.test(whereSql) || READS_ACCOUNT.test(order) ? USERS : 'membership m'
    const count = async () => Number((await sql.query<{ total: string }>(`select count(*) as total from ${from} where ${whereSql}`, params))[0]?.total ?? 0)
    if (query.limit === 0) return { items: [], total: await count() }
    // The page size as a literal (an integer, bounded by maxResults): with `limit $n` PostgreSQL keeps
    // re-planning the statement instead of settling on a generic plan (see staff-tally.ts).
    const limit = `limit ${Math.trunc(query.limit)}`
    const rows = query.offset === 0 && query.after === undefined
      // A first page (every lookup by userName) in one pass: there is nothing to skip.
      ? await sql.query<UserRow>(`${SELECT_USER} where ${whereSql} order by ${order} ${limit}`, params)
      // Ids first: an offset skips rows that are never read, then only the page's rows are.
      : await sql.query<UserRow>(
        `${SELECT_USER} where m.tenant_id = ? and m.id = any(array(
           select m.id from ${from} where ${whereSql}${query.after === undefined ? '' : ' and m.id > ?'} order by ${order} ${limit} offset ?
         )) order by ${order}`,
        [tenantId, ...params, ...(query.after === undefined ? [] : [query.after]), query.offset]
      )
    // A first page that is not full is the whole result (every lookup by userName): no count needed.
    const complete = query.offset === 0 && query.after === undefined && rows.length < query.limit
    return { items: rows.map(row => toStoredUser(row, groups)), total: complete ? rows.length : await count() }
  }

  /**
   * Every staff member in id order (no filter, no sortBy): counted by the tally, deep offsets skip buckets.
   * The page travels as one json value: one field to decode instead of twenty per row (pg's row parsing
   * and type parsers cost more than the query on a 100-row page).
   */
  private async listWholeStaff (tenantId: string, query: ListQuery, groups: boolean): Promise<StoredPage<StoredUser>> {
    const sql = reader(this.orm)
    const page = wholeStaffPage(tenantId, query)
    const [row] = await sql.query<{ users: UserRow[], total: number, tally_entries: number }>(
      `${page.with} select coalesce((select json_agg(json_build_object('m', m.user_row, 'a', a.user_row, 'groups', ug.groups) order by m.id) from ${WITH_GROUPS} where m.tenant_id = ? and ${page.ids.sql}), '[]') as users,
        ${TALLY_COLUMNS}`,
      [tenantId, ...(query.after === undefined ? [query.offset] : []), tenantId, ...page.ids.params])
    await foldStaffTally(sql, tenantId, row!.tally_entries)
    return { items: row!.users.map(user => toStoredUser(user, groups)), total: row!.total }
  }
}
