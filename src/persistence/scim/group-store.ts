import { randomUUID } from 'node:crypto'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { GroupChange, GroupStore, GroupWrite, MemberRef, StoredGroup } from '../../domain/scim/group-store.js'
import type { ListQuery } from '../../domain/scim/paging.js'
import type { StoredPage } from '../../domain/scim/user-store.js'
import { invalidFilter, invalidValue, preconditionFailed } from '../../scim/errors.js'
import { netMemberChanges, type MemberChange, type NetMemberChange } from '../../scim/patch/index.js'
import type { ResolvedAttribute, SchemaRegistry } from '../../scim/schema/registry.js'
import type { AttributeStorage } from '../scim-sql/index.js'
import { orderBy, tenantWhere } from './list-sql.js'
import type { AdministratorGuard } from '../../domain/lifecycle/administrator-guard.js'
import type { ChangeContext } from '../../domain/lifecycle/change-context.js'
import { changedFields } from '../../domain/lifecycle/changed-fields.js'
import { AUDIT_COLUMNS, auditOrigins, auditValues, sqlChangeEffects } from '../lifecycle/change-effects.js'
import { KeyedBatches, type Outcome } from '../keyed-batches.js'
import { isUuid, reader, sqlString, transaction, type Sql } from '../sql.js'
import { locateMeta } from './user-storage.js'

interface GroupRow {
  id: string
  display_name: string
  external_id: string | null
  attributes: Record<string, unknown>
  version: number
  created_at: Date
  updated_at: Date
}

const SELECT_GROUP = 'select g.id, g.display_name, g.external_id, g.attributes, g.version, g.created_at, g.updated_at from scim_group g'

function toStoredGroup (row: GroupRow): StoredGroup {
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id ?? undefined,
    attributes: row.attributes,
    version: String(row.version),
    created: new Date(row.created_at),
    lastModified: new Date(row.updated_at)
  }
}

export function locateGroupAttribute ({ attribute, subAttribute, extension, schema }: ResolvedAttribute): AttributeStorage | undefined {
  if (extension) return { kind: 'json', sql: `g.attributes->${sqlString(schema)}->${sqlString(attribute.name)}` }
  switch (attribute.name) {
    case 'id': return { kind: 'column', sql: 'g.id::text' }
    case 'displayName': return { kind: 'column', sql: 'g.display_name' }
    case 'externalId': return { kind: 'column', sql: 'g.external_id' }
    case 'meta': return locateMeta(subAttribute?.name, 'g.created_at', 'g.updated_at', 'Group')
    case 'members': return { kind: 'custom', compile: ({ op, value, subAttribute }) => membersTest(op, value, subAttribute) }
  }
  return { kind: 'json', sql: `g.attributes->${sqlString(attribute.name)}` }
}

// Group.members in filters: by member id or type, or presence; the rows are never loaded for this.
function membersTest (op: string, value: unknown, subAttribute: string | undefined) {
  const base = 'exists (select 1 from group_member gm where gm.tenant_id = g.tenant_id and gm.group_id = g.id'
  if (op === 'pr') return { sql: `${base})`, params: [] }
  if (op === 'eq' && typeof value === 'string' && (subAttribute === undefined || subAttribute === 'value')) {
    return { sql: `${base} and gm.member_id::text = ?)`, params: [value.toLowerCase()] }
  }
  if (op === 'eq' && typeof value === 'string' && subAttribute === 'type') return { sql: `${base} and gm.member_type = ?)`, params: [value] }
  throw invalidFilter('Filters on members support "eq" on value or type, and "pr"')
}

/**
 * Rows when a group, or a group it belongs to at any depth, grants one of the roles to its members (the body
 * of an `exists`). Parameters: the group's id, the tenant's id twice, the roles (text[]).
 */
const GRANTING_GROUP = `with recursive up (id) as (
    select ?::uuid
    union
    select gm.group_id from group_member gm join up on gm.member_id = up.id where gm.tenant_id = ? and gm.member_type = 'Group'
  ) select 1 from up join scim_group g on g.id = up.id where g.tenant_id = ? and g.roles && ?::text[]`

/** Member rows a change added and removed. */
interface MemberRows { added: string[], removed: string[] }

const NO_MEMBER_ROWS: MemberRows = { added: [], removed: [] }

/** The 400 for member ids that name no User or Group of the tenant. */
function noSuchMembers (ids: string[]): Error {
  return invalidValue(`members: no User or Group with id ${ids.map(id => `"${id}"`).join(', ')} in this tenant`)
}

/** One member PATCH on the one-statement path: distinct, lower-case member ids (netMemberChanges). */
interface MemberJob {
  tenantId: string
  groupId: string
  added: string[]
  removed: string[]
  guardedRoles: string[]
  context: ChangeContext
}

/** What the statement did for a job; 'has groups' and 'grants administration' go the other paths. */
type MemberJobResult = StoredGroup | undefined | 'unchanged' | 'has groups' | 'grants administration'

// A batch stays one short statement: at most this many jobs, and member ids in all.
const MAX_BATCHED_JOBS = 64
const MAX_BATCHED_MEMBERS = 1000

/** Whether `next` may share the batch's statement: the same guarded roles, no member in common, and room. */
function joinsBatch (batch: MemberJob[], next: MemberJob): boolean {
  const members = (job: MemberJob) => [...job.added, ...job.removed]
  const nextMembers = new Set(members(next))
  return batch.length < MAX_BATCHED_JOBS &&
    next.guardedRoles.join() === batch[0]!.guardedRoles.join() &&
    batch.reduce((count, job) => count + members(job).length, nextMembers.size) <= MAX_BATCHED_MEMBERS &&
    !batch.some(job => members(job).some(member => nextMembers.has(member)))
}

/** Two changes' rows one after the other: a member removed and added back (a replace) is in neither list. */
function followedBy (first: MemberRows, then: MemberRows): MemberRows {
  const without = (ids: string[], others: string[]) => { const set = new Set(others); return ids.filter(id => !set.has(id)) }
  return {
    added: [...without(first.added, then.removed), ...without(then.added, first.removed)],
    removed: [...without(first.removed, then.added), ...without(then.removed, first.added)]
  }
}

/** A group's audit row: the changed attributes and, as the one-statement path records them, the member rows. */
async function audit (sql: Sql, tenantId: string, context: ChangeContext, action: string, before: StoredGroup | undefined, after: StoredGroup | undefined, members = NO_MEMBER_ROWS): Promise<void> {
  const view = (group: StoredGroup | undefined) => group === undefined ? undefined : { displayName: group.displayName, externalId: group.externalId, ...group.attributes }
  const changes = changedFields(view(before), view(after))
  if (members.added.length > 0 || members.removed.length > 0) changes.members = members
  await sqlChangeEffects(sql, tenantId, context).audit({ action, targetType: 'group', targetId: (after ?? before)!.id, changes })
}

/**
 * Member rows go in in id order: a trigger rewrites each member's stored groups (user_groups, migration
 * stored_user_rows), so that two changes adding the same users lock those rows in the same order.
 */
export class SqlGroupStore implements GroupStore {
  private readonly filterContext

  constructor (private readonly orm: MikroORM, registry: SchemaRegistry) {
    this.filterContext = { registry, resourceType: 'Group', locate: locateGroupAttribute }
  }

  async insert (tenantId: string, group: GroupWrite, memberIds: string[], context: ChangeContext): Promise<StoredGroup> {
    return await transaction(this.orm, async sql => {
      const id = randomUUID()
      await sql.query(
        `insert into scim_group (id, tenant_id, display_name, external_id, attributes, version, created_at, updated_at)
         values (?, ?, ?, ?, ?, 1, now(), now())`,
        [id, tenantId, group.displayName, group.externalId ?? null, JSON.stringify(group.attributes)]
      )
      const added = await this.addMembers(sql, tenantId, id, memberIds)
      const created = (await this.select(sql, tenantId, id))!
      await audit(sql, tenantId, context, 'group.created', undefined, created, { added, removed: [] })
      return created
    })
  }

  async get (tenantId: string, id: string): Promise<StoredGroup | undefined> {
    return await this.select(reader(this.orm), tenantId, id)
  }

  private async select (sql: Sql, tenantId: string, id: string, lock = false): Promise<StoredGroup | undefined> {
    if (!isUuid(id)) return undefined
    const rows = await sql.query<GroupRow>(`${SELECT_GROUP} where g.tenant_id = ? and g.id = ?${lock ? ' for update' : ''}`, [tenantId, id])
    return rows[0] === undefined ? undefined : toStoredGroup(rows[0])
  }

  async modify (tenantId: string, id: string, change: (current: StoredGroup) => GroupChange | undefined, context: ChangeContext, guard?: AdministratorGuard): Promise<StoredGroup | undefined> {
    return await transaction(this.orm, async sql => {
      // The row lock serialises concurrent member PATCHes of one group: none is lost.
      const current = await this.select(sql, tenantId, id, true)
      if (current === undefined) return undefined
      const next = change(current)
      if (next === undefined) return current
      const removes = next.memberChanges.some(memberChange => memberChange.kind !== 'add')
      const members = await this.keepingAdministrators(sql, tenantId, id, removes ? guard : undefined, context, async () => {
        let rows = NO_MEMBER_ROWS
        for (const memberChange of next.memberChanges) rows = followedBy(rows, await this.applyMemberChange(sql, tenantId, id, memberChange))
        return rows
      })
      const membersChanged = members.added.length > 0 || members.removed.length > 0
      if (next.write !== undefined) {
        await sql.query('update scim_group set display_name = ?, external_id = ?, attributes = ? where tenant_id = ? and id = ?',
          [next.write.displayName, next.write.externalId ?? null, JSON.stringify(next.write.attributes), tenantId, id])
      }
      if (!membersChanged && next.write === undefined) return current
      await sql.query('update scim_group set version = version + 1, updated_at = now() where tenant_id = ? and id = ?', [tenantId, id])
      const updated = (await this.select(sql, tenantId, id))!
      await audit(sql, tenantId, context, 'group.updated', current, updated, members)
      return updated
    })
  }

  /**
   * Member rows only. Without If-Match (not `strict`: the IdPs' usual request), without a replace of all
   * members, and when every added member is a User, one statement does it all: it checks the members, locks
   * the group, writes the member rows, the audit event and bumps the version only when rows changed, so the
   * row lock lasts that statement alone. Concurrent PATCHes of one group share that statement (memberBatches).
   * Otherwise (If-Match, groups as members: the cycle check, a replace) the steps below.
   */
  async changeMembers (tenantId: string, id: string, changes: MemberChange[], check: (current: StoredGroup) => void, strict: boolean, context: ChangeContext, guard?: AdministratorGuard): Promise<StoredGroup | undefined> {
    const net = netMemberChanges(changes)
    // A removal from a group that grants the administrator role goes the guarded way: one transaction that
    // counts the holders before and after (modify).
    const guardedRoles = guard !== undefined && (net.clearOthers || net.absent.length > 0) ? guard.roles : []
    const guarded = async () => await this.modify(tenantId, id, current => { check(current); return { memberChanges: changes } }, context, guard)
    if (!strict && !net.clearOthers && isUuid(id) && net.present.every(member => isUuid(member))) {
      const added = [...new Set(net.present)]
      const job: MemberJob = { tenantId, groupId: id, added, removed: net.absent.filter(member => isUuid(member)), guardedRoles, context }
      const done = await this.memberBatches.run(`${tenantId}/${id}`, job)
      if (done === 'grants administration') return await guarded()
      if (done === 'unchanged') return await this.get(tenantId, id)
      if (done !== 'has groups') return done
    }
    if (await this.grantsThrough(reader(this.orm), tenantId, id, guardedRoles)) return await guarded()
    return await this.changeMembersStepwise(tenantId, id, net, check, strict, context)
  }

  /**
   * Group commit of member PATCHes, per group: those that arrive while the group's statement runs share the
   * next one (queued here, not as backends waiting on the row lock, each holding a pooled connection).
   * A batch's jobs name distinct members, so their order inside it changes nothing; the row lock still
   * orders writers from other processes.
   */
  private readonly memberBatches = new KeyedBatches<MemberJob, MemberJobResult>(
    async jobs => await this.changeUserMembers(jobs),
    joinsBatch
  )

  /**
   * The one-statement path for a batch of jobs on one group. Nothing is written for a job, and it says
   * why, when one of its added members is a Group ('has groups') or is missing (invalidValue), or when
   * the group grants one of `guardedRoles` ('grants administration'). Each job that changed rows has its
   * own audit event and version (in job order).
   */
  private async changeUserMembers (jobs: MemberJob[]): Promise<Array<Outcome<MemberJobResult>>> {
    const { tenantId, groupId, guardedRoles } = jobs[0]!
    // As json, as the origins are (auditOrigins says why).
    const entries = JSON.stringify(jobs.flatMap((job, index) => [
      ...job.added.map(member => ({ job: index, member_id: member, adds: true })),
      ...job.removed.map(member => ({ job: index, member_id: member, adds: false }))
    ]))
    const origins = auditOrigins(jobs.map(job => job.context), 'a')
    const [row] = await reader(this.orm).query<GroupRow & { changed_jobs: number[], changed: number, unusable: Array<{ job: number, id: string, type: 'Group' | null }>, guarded: boolean }>(
      `with target as (select id from scim_group where tenant_id = ? and id = ? for update),
       entries as (select * from jsonb_to_recordset(?::jsonb) as e(job int, member_id uuid, adds boolean)),
       jobs as (select * from ${origins.sql}),
       found as (
         select e.job, e.member_id, case
           when exists (select 1 from membership m where m.tenant_id = ? and m.id = e.member_id) then 'User'
           when exists (select 1 from scim_group s where s.tenant_id = ? and s.id = e.member_id) then 'Group' end as type
         from entries e where e.adds),
       guarded as (select exists (${GRANTING_GROUP}) as yes),
       go as (
         select j.ordinal as job from jobs j, target, guarded
         where not guarded.yes and not exists (select 1 from found f where f.job = j.ordinal and f.type is distinct from 'User')),
       removed as (
         delete from group_member gm using entries e join go on go.job = e.job
         where not e.adds and gm.tenant_id = ? and gm.group_id = ? and gm.member_id = e.member_id returning e.job, gm.member_id),
       inserted as (
         insert into group_member (tenant_id, group_id, member_id, member_type, created_at)
         select ?, ?, f.member_id, 'User', now() from found f join go on go.job = f.job order by f.member_id
         on conflict do nothing returning member_id),
       changes as (
         select go.job,
           coalesce((select jsonb_agg(i.member_id) from inserted i join entries e on e.adds and e.member_id = i.member_id where e.job = go.job), '[]') as added,
           coalesce((select jsonb_agg(r.member_id) from removed r where r.job = go.job), '[]') as removed
         from go),
       changed as (select job, added, removed from changes where added <> '[]' or removed <> '[]'),
       audited as (
         insert into audit_event (${AUDIT_COLUMNS})
         select ?, clock_timestamp(), a.source, a.actor_type, a.actor_id, a.actor_label, 'group.members-changed', 'group', ?,
           jsonb_build_object('members', jsonb_build_object('added', c.added, 'removed', c.removed)), a.request_id, a.client_ip
         from changed c join jobs a on a.ordinal = c.job order by c.job),
       bumped as (
         update scim_group g set version = g.version + (select count(*) from changed), updated_at = now() from target
         where g.id = target.id and exists (select 1 from changed)
         returning g.id, g.display_name, g.external_id, g.attributes, g.version, g.created_at, g.updated_at, 1 as changed)
       select r.*, (select coalesce(array_agg(job order by job), '{}') from changed) as changed_jobs,
         (select coalesce(json_agg(json_build_object('job', f.job, 'id', f.member_id, 'type', f.type)), '[]') from found f where f.type is distinct from 'User') as unusable,
         (select yes from guarded) as guarded
       from (
         select * from bumped
         union all
         select g.id, g.display_name, g.external_id, g.attributes, g.version, g.created_at, g.updated_at, 0 from scim_group g join target on g.id = target.id
       ) r order by r.changed desc limit 1`,
      [tenantId, groupId, entries, ...origins.params, tenantId, tenantId, groupId, tenantId, tenantId, guardedRoles,
        tenantId, groupId, tenantId, groupId, tenantId, groupId]
    )
    if (row === undefined) return jobs.map(() => ({ value: undefined }))
    const lastVersion = row.version
    return jobs.map((_, index) => {
      const unusable = row.unusable.filter(entry => entry.job === index)
      // Nothing was written for a job unless every added member was found as a User and the group grants no guarded role.
      if (unusable.some(entry => entry.type === 'Group')) return { value: 'has groups' }
      if (unusable.length > 0) return { error: noSuchMembers(unusable.map(entry => entry.id)) }
      if (row.guarded) return { value: 'grants administration' }
      const position = row.changed_jobs.indexOf(index)
      // Unchanged: the caller reads the group afresh (the statement's snapshot may predate a concurrent change's commit).
      if (position === -1) return { value: 'unchanged' }
      return { value: toStoredGroup({ ...row, version: lastVersion - row.changed_jobs.length + position + 1 }) }
    })
  }

  /**
   * Step by step: `check` sees the current version first; with `strict` the write then requires that
   * version (a concurrent change in between fails it with 412). The member rows, the lock, the audit
   * event and the version bump are still one statement.
   */
  private async changeMembersStepwise (tenantId: string, id: string, net: NetMemberChange, check: (current: StoredGroup) => void, strict: boolean, context: ChangeContext): Promise<StoredGroup | undefined> {
    const sql = reader(this.orm)
    const current = await this.select(sql, tenantId, id)
    if (current === undefined) return undefined
    check(current)
    const added = await this.resolveMembers(sql, tenantId, id, net.present)
    // With clearOthers the delete keeps the new members; otherwise it removes the absent ones.
    const deleteArgument = net.clearOthers ? added.map(m => m.id) : net.absent.filter(member => isUuid(member))
    const audited = auditValues(tenantId, context, 'group.members-changed', 'group', id)
    const [row] = await sql.query<GroupRow>(
      `with target as (select id from scim_group where tenant_id = ? and id = ?${strict ? ' and version = ?' : ''} for update),
       removed as (
         delete from group_member gm using target where gm.tenant_id = ? and gm.group_id = target.id
         and ${net.clearOthers ? 'gm.member_id <> all(?::uuid[])' : 'gm.member_id = any(?::uuid[])'} returning gm.member_id),
       inserted as (
         insert into group_member (tenant_id, group_id, member_id, member_type, created_at)
         select ?, target.id, u.id, u.type, now() from target, unnest(?::uuid[], ?::text[]) as u(id, type) order by u.id
         on conflict do nothing returning member_id),
       audited as (
         insert into audit_event (${audited.columns})
         select ?, clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, jsonb_build_object('members', jsonb_build_object(
           'added', coalesce((select jsonb_agg(member_id) from inserted), '[]'), 'removed', coalesce((select jsonb_agg(member_id) from removed), '[]'))), ?, ?
         where exists (select 1 from removed) or exists (select 1 from inserted))
       update scim_group g set version = g.version + 1, updated_at = now() from target
       where g.id = target.id and (exists (select 1 from removed) or exists (select 1 from inserted))
       returning g.id, g.display_name, g.external_id, g.attributes, g.version, g.created_at, g.updated_at`,
      [tenantId, id, ...(strict ? [Number(current.version)] : []), tenantId, deleteArgument, tenantId, added.map(m => m.id), added.map(m => m.type), ...audited.params]
    )
    if (row !== undefined) return toStoredGroup(row)
    // Nothing changed, or (with If-Match) the version moved on since `check`.
    const now = await this.select(sql, tenantId, id)
    if (strict && now !== undefined && now.version !== current.version) throw preconditionFailed()
    return now
  }

  /**
   * Runs `work` (which may take roles from members) under the guard when the group, or a group it belongs
   * to at any depth, grants the administrator role; as it is otherwise.
   */
  private async keepingAdministrators<T> (sql: Sql, tenantId: string, groupId: string, guard: AdministratorGuard | undefined, context: ChangeContext, work: () => Promise<T>): Promise<T> {
    if (guard === undefined || !await this.grantsThrough(sql, tenantId, groupId, guard.roles)) return await work()
    const effects = sqlChangeEffects(sql, tenantId, context)
    return await guard.keep(async roles => await effects.countHoldersLocked(roles), work)
  }

  /** Whether the group, or a group it belongs to at any depth, grants one of the roles to its members. */
  private async grantsThrough (sql: Sql, tenantId: string, groupId: string, roles: string[]): Promise<boolean> {
    if (roles.length === 0 || !isUuid(groupId)) return false
    return (await sql.query(`${GRANTING_GROUP} limit 1`, [groupId, tenantId, tenantId, roles])).length > 0
  }

  private async applyMemberChange (sql: Sql, tenantId: string, groupId: string, change: MemberChange): Promise<MemberRows> {
    const removed = async (where: string, params: unknown[]) => (await sql.query<{ member_id: string }>(
      `delete from group_member where tenant_id = ? and group_id = ?${where} returning member_id`, [tenantId, groupId, ...params])).map(row => row.member_id)
    switch (change.kind) {
      case 'add':
        return { added: await this.addMembers(sql, tenantId, groupId, change.ids), removed: [] }
      case 'remove': {
        const ids = change.ids.filter(id => isUuid(id))
        return { added: [], removed: ids.length === 0 ? [] : await removed(' and member_id = any(?::uuid[])', [ids]) }
      }
      case 'removeAll':
        return { added: [], removed: await removed('', []) }
      case 'replaceAll':
        return followedBy({ added: [], removed: await removed('', []) }, { added: await this.addMembers(sql, tenantId, groupId, change.ids), removed: [] })
    }
  }

  /** The ids of the rows inserted (members already there are not). */
  private async addMembers (sql: Sql, tenantId: string, groupId: string, memberIds: string[]): Promise<string[]> {
    const found = await this.resolveMembers(sql, tenantId, groupId, memberIds)
    if (found.length === 0) return []
    const inserted = await sql.query<{ member_id: string }>(
      `insert into group_member (tenant_id, group_id, member_id, member_type, created_at)
       select ?, ?, u.id, u.type, now() from unnest(?::uuid[], ?::text[]) as u(id, type) order by u.id
       on conflict do nothing returning member_id`,
      [tenantId, groupId, found.map(f => f.id), found.map(f => f.type)]
    )
    return inserted.map(row => row.member_id)
  }

  /** Members must be Users or Groups of this tenant; a group may not (transitively) contain itself. */
  private async resolveMembers (sql: Sql, tenantId: string, groupId: string, memberIds: string[]): Promise<Array<{ id: string, type: 'User' | 'Group' }>> {
    const ids = [...new Set(memberIds.map(id => id.toLowerCase()))]
    if (ids.length === 0) return []
    const invalid = ids.filter(id => !isUuid(id))
    if (invalid.length > 0) throw noSuchMembers(invalid)
    const found = await sql.query<{ id: string, type: 'User' | 'Group' }>(
      `select id::text, 'User' as type from membership where tenant_id = ? and id = any(?::uuid[])
       union all select id::text, 'Group' from scim_group where tenant_id = ? and id = any(?::uuid[])`,
      [tenantId, ids, tenantId, ids]
    )
    const foundIds = new Set(found.map(f => f.id))
    const missing = ids.filter(id => !foundIds.has(id))
    if (missing.length > 0) throw noSuchMembers(missing)
    const groups = found.filter(f => f.type === 'Group').map(f => f.id)
    if (groups.length > 0 && await this.reaches(sql, tenantId, groups, groupId)) {
      throw invalidValue('members: adding this group would make a group a member of itself (a cycle)')
    }
    return found
  }

  /** Whether `target` is one of `from` or a group nested (at any depth) inside them. */
  private async reaches (sql: Sql, tenantId: string, from: string[], target: string): Promise<boolean> {
    const rows = await sql.query(
      `with recursive down (id) as (
         select unnest(?::uuid[])
         union
         select gm.member_id from group_member gm join down d on gm.group_id = d.id
         where gm.tenant_id = ? and gm.member_type = 'Group'
       ) select 1 from down where id = ? limit 1`,
      [from, tenantId, target]
    )
    return rows.length > 0
  }

  async delete (tenantId: string, id: string, check: (current: StoredGroup) => void, context: ChangeContext, guard?: AdministratorGuard): Promise<boolean> {
    return await transaction(this.orm, async sql => {
      const current = await this.select(sql, tenantId, id, true)
      if (current === undefined) return false
      check(current)
      await this.keepingAdministrators(sql, tenantId, id, guard, context, async () => {
        // Its own member rows go by the foreign key's cascade; its rows as a member of other groups here.
        await sql.query('delete from group_member where tenant_id = ? and member_id = ?', [tenantId, id])
        await sql.query('delete from scim_group where tenant_id = ? and id = ?', [tenantId, id])
      })
      await audit(sql, tenantId, context, 'group.deleted', current, undefined)
      return true
    })
  }

  async list (tenantId: string, query: ListQuery): Promise<StoredPage<StoredGroup>> {
    const sql = reader(this.orm)
    const { sql: whereSql, params } = tenantWhere('g', tenantId, query, this.filterContext)
    const counted = await sql.query<{ total: string }>(`select count(*) as total from scim_group g where ${whereSql}`, params)
    const order = orderBy('g', query, this.filterContext)
    const keyset = query.after === undefined ? '' : ' and g.id > ?'
    const rows = query.limit === 0
      ? []
      : await sql.query<GroupRow>(
        `${SELECT_GROUP} where ${whereSql}${keyset} order by ${order} limit ? offset ?`,
        [...params, ...(query.after === undefined ? [] : [query.after]), query.limit, query.offset]
      )
    return { items: rows.map(toStoredGroup), total: Number(counted[0]?.total ?? 0) }
  }

  async membersOf (tenantId: string, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
    const result = new Map<string, MemberRef[]>(groupIds.map(id => [id, []]))
    if (groupIds.length === 0) return result
    const rows = await reader(this.orm).query<{ group_id: string, member_id: string, member_type: 'User' | 'Group', display: string | null }>(
      `select gm.group_id, gm.member_id, gm.member_type,
              coalesce(a.profile->>'displayName', m.user_name, g.display_name) as display
       from group_member gm
       left join membership m on gm.member_type = 'User' and m.id = gm.member_id
       left join account a on a.id = m.account_id
       left join scim_group g on gm.member_type = 'Group' and g.id = gm.member_id
       where gm.tenant_id = ? and gm.group_id = any(?::uuid[])
       order by gm.group_id, gm.member_id`,
      [tenantId, groupIds]
    )
    for (const row of rows) result.get(row.group_id)?.push({ value: row.member_id, type: row.member_type, display: row.display ?? undefined })
    return result
  }
}
