import type { MikroORM } from '@mikro-orm/postgresql'
import { LOCKOUT_THRESHOLD } from '../../identity/password-policy.js'
import type { CredentialStore, LinkRecord, SessionState, SignInRecord } from '../../domain/accounts/credential-store.js'
import type { ChangeContext } from '../../domain/lifecycle/change-context.js'
import type { ChangeEffects } from '../../domain/lifecycle/effects.js'
import { catalogueValues, displayNameOf } from '../../domain/scim/user-attributes.js'
import { uuidArray } from '../scim/user-store.js'
import { reader, transaction, type Sql } from '../sql.js'
import { GRANTS_OF_MEMBERSHIP, sqlChangeEffects } from './change-effects.js'

interface LinkRow {
  id: string
  kind: LinkRecord['kind']
  tenant_id: string
  membership_id: string
  email: string
  expired: boolean
  used: boolean
  status: LinkRecord['status']
  account_id: string
  account_email: string | null
}

export class SqlCredentialStore implements CredentialStore {
  constructor (private readonly orm: MikroORM) {}

  async findSignIn (tenantId: string, email: string): Promise<SignInRecord | undefined> {
    const [row] = await reader(this.orm).query<{ id: string, account_id: string, status: SignInRecord['status'], password_hash: string | null, session_epoch: number, blocked: boolean }>(
      `select m.id, m.account_id, m.status, a.password_hash, m.session_epoch, coalesce(a.sign_in_blocked_until > now(), false) as blocked
       from account a join membership m on m.account_id = a.id and m.tenant_id = ? where a.email = ?`, [tenantId, email.trim()])
    if (row === undefined) return undefined
    return { tenantId, membershipId: row.id, accountId: row.account_id, status: row.status, passwordHash: row.password_hash ?? undefined, sessionEpoch: row.session_epoch, blocked: row.blocked }
  }

  async linkRequestedRecently (tenantId: string, membershipId: string): Promise<boolean> {
    // The audit log already records each request (SignIn.forgot): it is the counter.
    return (await reader(this.orm).query(
      `select 1 from audit_event where tenant_id = ? and target_id = ? and action = 'user.link-requested' and at > now() - interval '1 minute' limit 1`,
      [tenantId, membershipId])).length > 0
  }

  async recordSignInFailure (accountId: string): Promise<void> {
    // One statement: concurrent wrong guesses on several processes all count.
    await reader(this.orm).query(
      `update account set failed_sign_ins = failed_sign_ins + 1,
         sign_in_blocked_until = case when failed_sign_ins + 1 >= ? then now() + least(interval '1 hour', interval '1 minute' * power(2, failed_sign_ins + 1 - ?)) else sign_in_blocked_until end
       where id = ?`, [LOCKOUT_THRESHOLD, LOCKOUT_THRESHOLD, accountId])
  }

  async recordSignInSuccess (accountId: string): Promise<void> {
    await reader(this.orm).query('update account set failed_sign_ins = 0, sign_in_blocked_until = null where id = ? and failed_sign_ins > 0', [accountId])
  }

  async endSessions (tenantId: string, membershipId: string, epoch: number): Promise<void> {
    // At this epoch only: an old, already ended session cannot end the newer ones.
    await reader(this.orm).query('update membership set session_epoch = session_epoch + 1 where tenant_id = ? and id = ? and session_epoch = ?', [tenantId, membershipId, epoch])
  }

  async accountExists (email: string): Promise<boolean> {
    return (await reader(this.orm).query('select 1 from account where email = ?', [email.trim()])).length > 0
  }

  async redeemLink (tokenHash: string, context: ChangeContext, decide: (link: LinkRecord, effects: ChangeEffects) => Promise<string>): Promise<LinkRecord | undefined> {
    return await transaction(this.orm, async sql => {
      const [row] = await sql.query<LinkRow>(
        `select t.id, t.kind, t.tenant_id, t.membership_id, t.email, t.expires_at <= now() as expired, t.used_at is not null as used,
                m.status, m.account_id, a.email as account_email
         from one_time_token t join membership m on m.id = t.membership_id join account a on a.id = m.account_id
         where t.token_hash = ? for update of t, m`, [tokenHash])
      if (row === undefined) return undefined
      const link: LinkRecord = {
        id: row.id, kind: row.kind, tenantId: row.tenant_id, membershipId: row.membership_id, email: row.email, expired: row.expired,
        used: row.used, status: row.status, accountId: row.account_id, accountEmail: row.account_email ?? undefined
      }
      const effects = sqlChangeEffects(sql, link.tenantId, { ...context, actor: { type: 'account', id: link.membershipId, label: link.email } })
      const passwordHash = await decide(link, effects)
      const accountId = await this.joinAccount(sql, link)
      // A new password ends a sign-in pause too (the person proved control of the address).
      await sql.query('update account set password_hash = ?, failed_sign_ins = 0, sign_in_blocked_until = null, version = version + 1, updated_at = now() where id = ?', [passwordHash, accountId])
      await sql.query('update one_time_token set used_at = now() where tenant_id = ? and membership_id = ? and used_at is null', [link.tenantId, link.membershipId])
      const activated = link.status === 'created'
      await sql.query(
        `update membership set status = 'active', last_activity_at = now()${activated ? ', version = version + 1, updated_at = now()' : ''} where tenant_id = ? and id = ?`,
        [link.tenantId, link.membershipId])
      await effects.audit({
        action: activated ? 'user.activated' : 'user.password-reset',
        targetType: 'user',
        targetId: link.membershipId,
        changes: { password: { changed: true }, ...(activated ? { active: { from: 'created', to: 'active' } } : {}) }
      })
      return link
    })
  }

  /**
   * The account this membership belongs to from now on. A SCIM-created member whose address another
   * account held got an account without login; the person has now proven control of the address, so
   * the membership moves to that account (personal data it lacked comes along) and the empty one goes.
   */
  private async joinAccount (sql: Sql, link: LinkRecord): Promise<string> {
    if (link.accountEmail !== undefined) return link.accountId
    const [owner] = await sql.query<{ id: string }>('select id from account where email = ? for update', [link.email])
    if (owner === undefined) {
      await sql.query('update account set email = ? where id = ?', [link.email, link.accountId])
      return link.accountId
    }
    const [clash] = await sql.query<{ id: string }>('select id from membership where tenant_id = ? and account_id = ?', [link.tenantId, owner.id])
    if (clash !== undefined) return link.accountId // the owner is a member already: keep them apart
    const [orphan] = await sql.query<{ profile: Record<string, unknown> }>('select profile from account where id = ?', [link.accountId])
    await sql.query('update membership set account_id = ? where id = ?', [owner.id, link.membershipId])
    // Gone before its data moves: a professional identifier may belong to one account only.
    await sql.query('delete from account a where a.id = ? and not exists (select 1 from membership m where m.account_id = a.id)', [link.accountId])
    await sql.query('update account set profile = ?::jsonb || profile, version = version + 1, updated_at = now() where id = ?', [JSON.stringify(orphan?.profile ?? {}), owner.id])
    return owner.id
  }

  async sessionState (tenantId: string, membershipId: string): Promise<SessionState | undefined> {
    const [row] = await reader(this.orm).query<{
      status: SessionState['status'], session_epoch: number, account_id: string, email: string | null, profile: Record<string, unknown>,
      attributes: Record<string, unknown>, org_unit_ids: string[] | string, group_roles: string[] | null, group_features: string[] | null
    }>(
      `select m.status, m.session_epoch, m.account_id, a.email, a.profile, m.attributes, m.org_unit_ids, grants.roles as group_roles, grants.features as group_features
       from membership m join account a on a.id = m.account_id ${GRANTS_OF_MEMBERSHIP} where m.tenant_id = ? and m.id = ?`,
      [tenantId, membershipId])
    if (row === undefined) return undefined
    return {
      status: row.status,
      sessionEpoch: row.session_epoch,
      accountId: row.account_id,
      email: row.email ?? undefined,
      name: displayNameOf(row.profile),
      roles: [...new Set([...catalogueValues(row.attributes.roles), ...(row.group_roles ?? [])])].sort(),
      features: [...new Set([...catalogueValues(row.attributes.entitlements), ...(row.group_features ?? [])])].sort(),
      orgUnitIds: uuidArray(row.org_unit_ids)
    }
  }

  async touch (tenantId: string, membershipId: string): Promise<void> {
    // Last activity to the minute is enough; writing on every request would turn reads into writes.
    await reader(this.orm).query(
      `update membership set last_activity_at = now()
       where tenant_id = ? and id = ? and (last_activity_at is null or last_activity_at < now() - interval '1 minute')`, [tenantId, membershipId])
  }

  async withEffects<T> (tenantId: string, context: ChangeContext, work: (effects: ChangeEffects) => Promise<T>): Promise<T> {
    return await transaction(this.orm, async sql => await work(sqlChangeEffects(sql, tenantId, context)))
  }
}
