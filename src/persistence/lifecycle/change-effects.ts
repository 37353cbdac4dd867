import { randomUUID } from 'node:crypto'
import { displayNameOf } from '../../domain/scim/user-attributes.js'
import type { ChangeContext } from '../../domain/lifecycle/change-context.js'
import type { ChangeEffects, Recipient } from '../../domain/lifecycle/effects.js'
import { newLinkToken } from '../../identity/link-tokens.js'
import { enqueueMail } from '../mail/outbox-store.js'
import type { Sql } from '../sql.js'

/** Groups reached from the membership `m` of the enclosing query, at any depth (correlated: no parameters). */
export const REACH_OF_MEMBERSHIP = `with recursive reach (group_id, depth) as (
    select gm.group_id, 1 from group_member gm where gm.tenant_id = m.tenant_id and gm.member_id = m.id
    union
    select gm.group_id, r.depth + 1 from reach r join group_member gm on gm.tenant_id = m.tenant_id and gm.member_type = 'Group' and gm.member_id = r.group_id
    where r.depth < 32
  )`

/** `grants.roles`, `grants.features`: what membership `m` holds through its groups (a lateral join). */
export const GRANTS_OF_MEMBERSHIP = `left join lateral (
    ${REACH_OF_MEMBERSHIP}
    select array(select distinct x from reach join scim_group g on g.id = reach.group_id cross join unnest(g.roles) x) as roles,
           array(select distinct x from reach join scim_group g on g.id = reach.group_id cross join unnest(g.features) x) as features
  ) grants on true`

/** Memberships holding one of the roles directly (SCIM roles[].value) or through a group, at any depth. */
export const HOLDS_ROLE = `(
  exists (select 1 from jsonb_array_elements(case when jsonb_typeof(m.attributes->'roles') = 'array' then m.attributes->'roles' else '[]'::jsonb end) r
          where lower(r->>'value') = any(?::text[]))
  or exists (${REACH_OF_MEMBERSHIP} select 1 from reach join scim_group g on g.id = reach.group_id where g.roles && ?::text[]))`

export const AUDIT_COLUMNS = 'tenant_id, at, source, actor_type, actor_id, actor_label, action, target_type, target_id, changes, request_id, client_ip'

/** The audit row's values but its changes: for statements that compute the changes themselves. */
export function auditValues (tenantId: string, context: ChangeContext, action: string, targetType: string, targetId: string): { columns: string, params: unknown[] } {
  return {
    columns: AUDIT_COLUMNS,
    params: [tenantId, context.source, context.actor.type, context.actor.id ?? null, context.actor.label ?? null, action, targetType, targetId, context.requestId ?? null, context.clientIp ?? null]
  }
}

/**
 * Who made each change and from where, as a row source `<alias>(ordinal, source, actor_type, actor_id,
 * actor_label, request_id, client_ip)` (ordinal: the context's index): for one statement auditing several
 * changes. One json parameter: PostgreSQL estimates its rows alike whatever it holds, so a prepared
 * statement keeps its generic plan (an array's length shows in the estimate, and it re-planned every time).
 */
export function auditOrigins (contexts: ChangeContext[], alias: string): { sql: string, params: unknown[] } {
  const origins = contexts.map((context, ordinal) => ({
    ordinal,
    source: context.source,
    actor_type: context.actor.type,
    actor_id: context.actor.id ?? null,
    actor_label: context.actor.label ?? null,
    request_id: context.requestId ?? null,
    client_ip: context.clientIp ?? null
  }))
  return {
    sql: `jsonb_to_recordset(?::jsonb) as ${alias}(ordinal int, source text, actor_type text, actor_id text, actor_label text, request_id text, client_ip text)`,
    params: [JSON.stringify(origins)]
  }
}

export function sqlChangeEffects (sql: Sql, tenantId: string, context: ChangeContext): ChangeEffects {
  return {
    tenantId,
    context,
    audit: async entry => {
      await sql.query(
        `insert into audit_event (${AUDIT_COLUMNS}) values (?, clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [tenantId, context.source, context.actor.type, context.actor.id ?? null, context.actor.label ?? null, entry.action,
          entry.targetType ?? null, entry.targetId ?? null, entry.changes === undefined ? null : JSON.stringify(entry.changes),
          context.requestId ?? null, context.clientIp ?? null]
      )
    },
    mail: async mail => { await enqueueMail(sql, mail) },
    // One statement: concurrent processes count on the same row, and the limit holds under races.
    consumeQuota: async (action, limit) => (await sql.query(
      `insert into quota_usage (tenant_id, day, action, used) values (?, (now() at time zone 'utc')::date, ?, 1)
       on conflict (tenant_id, day, action) do update set used = quota_usage.used + 1 where quota_usage.used < ?
       returning used`, [tenantId, action, limit])).length > 0 && limit > 0,
    issueLink: async link => {
      const id = randomUUID()
      const { token, hash } = newLinkToken()
      await sql.query(
        `insert into one_time_token (id, token_hash, kind, tenant_id, membership_id, email, expires_at, created_at)
         values (?, ?, ?, ?, ?, ?, now() + make_interval(hours => ?), now())`,
        [id, hash, link.kind, tenantId, link.membershipId, link.email, link.ttlHours]
      )
      return { id, token }
    },
    revokeAccess: async membershipId => {
      await sql.query('update membership set session_epoch = session_epoch + 1 where tenant_id = ? and id = ?', [tenantId, membershipId])
      await sql.query('update one_time_token set used_at = now() where tenant_id = ? and membership_id = ? and used_at is null', [tenantId, membershipId])
    },
    membersWithRoles: async roles => {
      if (roles.length === 0) return []
      const rows = await sql.query<{ email: string, profile: Record<string, unknown> }>(
        `select a.email, a.profile from membership m join account a on a.id = m.account_id
         where m.tenant_id = ? and m.status = 'active' and a.email is not null and ${HOLDS_ROLE}`,
        [tenantId, roles, roles])
      return rows.map(row => recipientOf(row.email, row.profile))
    },
    countHoldersLocked: async (roles, excluding) => {
      await sql.query('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`administrators:${tenantId}`])
      if (roles.length === 0) return 0
      const [row] = await sql.query<{ count: string }>(
        `select count(*) as count from membership m where m.tenant_id = ? and m.status = 'active' and m.id is distinct from ?::uuid and ${HOLDS_ROLE}`,
        [tenantId, excluding ?? null, roles, roles])
      return Number(row?.count ?? 0)
    },
    groupRolesOf: async membershipId => (await sql.query<{ roles: string[] }>(
      `select grants.roles from membership m ${GRANTS_OF_MEMBERSHIP} where m.tenant_id = ? and m.id = ?`, [tenantId, membershipId]))[0]?.roles ?? [],
    createOrgUnit: async (name, parentId) => {
      const id = randomUUID()
      const rows = await sql.query(
        `insert into org_unit (id, tenant_id, parent_id, name, created_at)
         select ?, ?, ?, ?, now() where ?::uuid is null or exists (select 1 from org_unit where tenant_id = ? and id = ?) returning id`,
        [id, tenantId, parentId ?? null, name, parentId ?? null, tenantId, parentId ?? null])
      return rows.length === 0 ? undefined : { id }
    },
    saveTenantSettings: async settings => {
      await sql.query('update tenant set settings = ?, updated_at = now() where id = ?', [JSON.stringify(settings), tenantId])
    },
    linkNationalIdentity: async (accountId, identity) => {
      await sql.query(
        `insert into national_identity (kind, hash, account_id, value_encrypted, created_at) values (?, ?, ?, ?, now())
         on conflict (kind, hash) do nothing`, [identity.kind, identity.hash, accountId, identity.sealed])
    },
    decideLoginRequest: async (id, decision) => (await sql.query(
      `update login_request set status = ?, decided_by = ?, decided_at = now(), membership_id = ?, features = coalesce(?::text[], features), reason = ?
       where tenant_id = ? and id = ? and status = 'pending' returning id`,
      [decision.status, decision.decidedBy, decision.membershipId ?? null, decision.features ?? null, decision.reason ?? null, tenantId, id])).length > 0,
    setGroupGrants: async (groupId, grants) => (await sql.query(
      `update scim_group set roles = ?::text[], features = ?::text[], updated_at = now() where tenant_id = ? and id = ? returning id`,
      [grants.roles, grants.features, tenantId, groupId])).length > 0
  }
}

export function recipientOf (email: string, profile: Record<string, unknown>): Recipient {
  return { email, name: displayNameOf(profile), language: (profile.preferredLanguage ?? profile.locale) as string | undefined }
}
