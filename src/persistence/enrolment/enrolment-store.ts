import { randomUUID } from 'node:crypto'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { EnrolmentStore, IdentityProviderRecord, LoginRequestRecord, NationalIdMatch, NewIdentityProvider, NewLoginRequest, ProviderPurpose } from '../../domain/enrolment/enrolment-store.js'
import type { ChangeContext } from '../../domain/lifecycle/change-context.js'
import type { NationalIdKind } from '../../identity/national-id.js'
import { sqlChangeEffects } from '../lifecycle/change-effects.js'
import { isUuid, reader, transaction } from '../sql.js'


interface ProviderRow {
  id: string, tenant_id: string, purpose: ProviderPurpose, display_name: string | null, issuer: string, client_id: string, client_secret_encrypted: string, scopes: string,
  policy: 'auto' | 'review', auto_create: boolean, national_id_claim: string | null, national_id_kind: NationalIdKind | null,
  acr_values: string[], default_features: string[], created_at: Date
}

function toProvider (row: ProviderRow): IdentityProviderRecord {
  return {
    id: row.id, tenantId: row.tenant_id, purpose: row.purpose, displayName: row.display_name ?? undefined, issuer: row.issuer, clientId: row.client_id, clientSecretSealed: row.client_secret_encrypted,
    scopes: row.scopes, policy: row.policy, autoCreate: row.auto_create, nationalIdClaim: row.national_id_claim ?? undefined,
    nationalIdKind: row.national_id_kind ?? undefined, acrValues: row.acr_values, defaultFeatures: row.default_features, createdAt: new Date(row.created_at)
  }
}

const REQUEST_COLUMNS = `id, identity_provider_id, status, given_name, family_name, birthdate, email, national_id_kind, national_id_hash, national_id_encrypted,
  acr, matched_account_id, membership_id, features, reason, decided_by, decided_at, created_at`

interface RequestRow {
  id: string, identity_provider_id: string | null, status: LoginRequestRecord['status'], given_name: string | null, family_name: string | null,
  birthdate: string | null, email: string | null, national_id_kind: NationalIdKind, national_id_hash: string, national_id_encrypted: string,
  acr: string | null, matched_account_id: string | null, membership_id: string | null, features: string[], reason: string | null,
  decided_by: string | null, decided_at: Date | null, created_at: Date
}

function toRequest (row: RequestRow): LoginRequestRecord {
  return {
    id: row.id, identityProviderId: row.identity_provider_id, status: row.status, givenName: row.given_name, familyName: row.family_name,
    birthdate: row.birthdate, email: row.email, nationalIdKind: row.national_id_kind, nationalIdHash: row.national_id_hash,
    nationalIdSealed: row.national_id_encrypted, acr: row.acr, matchedAccountId: row.matched_account_id, membershipId: row.membership_id,
    features: row.features, reason: row.reason, decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at).toISOString(), createdAt: new Date(row.created_at).toISOString()
  }
}

/** The settable columns, in the order of the insert and the update. */
function providerValues (provider: NewIdentityProvider): unknown[] {
  return [provider.purpose, provider.displayName ?? null, provider.issuer, provider.clientId, provider.clientSecretSealed, provider.scopes, provider.policy,
    provider.autoCreate, provider.nationalIdClaim ?? null, provider.nationalIdKind ?? null, provider.acrValues, provider.defaultFeatures]
}

/** A provider as the audit log keeps it: never the secret, sealed or not. */
function auditedProvider ({ clientSecretSealed: _secret, ...shown }: IdentityProviderRecord): Record<string, unknown> {
  return { ...shown, clientSecret: '[sealed]' }
}

export class SqlEnrolmentStore implements EnrolmentStore {
  constructor (private readonly orm: MikroORM) {}

  async addProvider (provider: NewIdentityProvider, context: ChangeContext): Promise<IdentityProviderRecord> {
    return await transaction(this.orm, async sql => {
      const [row] = await sql.query<ProviderRow>(
        `insert into identity_provider (id, tenant_id, purpose, display_name, issuer, client_id, client_secret_encrypted, scopes, policy, auto_create,
           national_id_claim, national_id_kind, acr_values, default_features, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], now()) returning *`,
        [randomUUID(), provider.tenantId, ...providerValues(provider)])
      const record = toProvider(row!)
      await sqlChangeEffects(sql, provider.tenantId, context).audit({ action: 'idp.added', targetType: 'idp', targetId: record.id, changes: { provider: { from: null, to: auditedProvider(record) } } })
      return record
    })
  }

  async updateProvider (tenantId: string, id: string, provider: NewIdentityProvider, context: ChangeContext): Promise<IdentityProviderRecord | undefined> {
    if (!isUuid(id)) return undefined
    return await transaction(this.orm, async sql => {
      const [before] = await sql.query<ProviderRow>('select * from identity_provider where tenant_id = ? and id = ? for update', [tenantId, id])
      if (before === undefined) return undefined
      const [row] = await sql.query<ProviderRow>(
        `update identity_provider set purpose = ?, display_name = ?, issuer = ?, client_id = ?, client_secret_encrypted = ?, scopes = ?, policy = ?,
           auto_create = ?, national_id_claim = ?, national_id_kind = ?, acr_values = ?::text[], default_features = ?::text[]
         where tenant_id = ? and id = ? returning *`,
        [...providerValues(provider), tenantId, id])
      const record = toProvider(row!)
      const rotated = before.client_secret_encrypted !== record.clientSecretSealed
      await sqlChangeEffects(sql, tenantId, context).audit({ action: 'idp.changed', targetType: 'idp', targetId: id, changes: { provider: { from: auditedProvider(toProvider(before)), to: { ...auditedProvider(record), ...(rotated ? { clientSecret: '[sealed, new]' } : {}) } } } })
      return record
    })
  }

  async providers (tenantId: string, purpose?: ProviderPurpose): Promise<IdentityProviderRecord[]> {
    const rows = await reader(this.orm).query<ProviderRow>(
      `select * from identity_provider where tenant_id = ?${purpose === undefined ? '' : ' and purpose = ?'} order by created_at, id`,
      purpose === undefined ? [tenantId] : [tenantId, purpose])
    return rows.map(toProvider)
  }

  async provider (tenantId: string, id: string): Promise<IdentityProviderRecord | undefined> {
    if (!isUuid(id)) return undefined
    const [row] = await reader(this.orm).query<ProviderRow>('select * from identity_provider where tenant_id = ? and id = ?', [tenantId, id])
    return row === undefined ? undefined : toProvider(row)
  }

  async removeProvider (tenantId: string, id: string, context: ChangeContext): Promise<boolean> {
    if (!isUuid(id)) return false
    return await transaction(this.orm, async sql => {
      const removed = await sql.query('delete from identity_provider where tenant_id = ? and id = ? returning id', [tenantId, id])
      if (removed.length > 0) await sqlChangeEffects(sql, tenantId, context).audit({ action: 'idp.removed', targetType: 'idp', targetId: id })
      return removed.length > 0
    })
  }

  async matchNationalId (tenantId: string, kind: NationalIdKind, hash: string): Promise<NationalIdMatch | undefined> {
    const [row] = await reader(this.orm).query<{ account_id: string, membership_id: string | null, status: 'created' | 'active' | 'inactive' | null, kind: 'staff' | 'patient' | null }>(
      `select n.account_id, m.id as membership_id, m.status, m.kind from national_identity n
       left join membership m on m.account_id = n.account_id and m.tenant_id = ?
       where n.kind = ? and n.hash = ?`, [tenantId, kind, hash])
    if (row === undefined) return undefined
    return { accountId: row.account_id, membership: row.membership_id === null ? undefined : { id: row.membership_id, status: row.status!, kind: row.kind! } }
  }

  async queueRequest (tenantId: string, request: NewLoginRequest, context: ChangeContext): Promise<{ id: string, created: boolean }> {
    return await transaction(this.orm, async sql => {
      const id = randomUUID()
      // The partial unique index (one pending request per person and tenant) decides between concurrent sign-ups.
      const inserted = await sql.query<{ id: string }>(
        `insert into login_request (id, tenant_id, identity_provider_id, status, given_name, family_name, birthdate, email, national_id_kind,
           national_id_hash, national_id_encrypted, acr, matched_account_id, features, created_at)
         values (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', now())
         on conflict (tenant_id, national_id_kind, national_id_hash) where status = 'pending' do nothing returning id`,
        [id, tenantId, request.identityProviderId, request.givenName, request.familyName, request.birthdate, request.email, request.nationalIdKind,
          request.nationalIdHash, request.nationalIdSealed, request.acr, request.matchedAccountId])
      if (inserted.length === 0) {
        const [pending] = await sql.query<{ id: string }>(
          `select id from login_request where tenant_id = ? and national_id_kind = ? and national_id_hash = ? and status = 'pending'`,
          [tenantId, request.nationalIdKind, request.nationalIdHash])
        return { id: pending!.id, created: false }
      }
      await sqlChangeEffects(sql, tenantId, context).audit({
        action: 'login-request.created', targetType: 'login-request', targetId: id,
        changes: { givenName: { from: null, to: request.givenName }, familyName: { from: null, to: request.familyName }, nationalId: { changed: true } }
      })
      return { id, created: true }
    })
  }

  async listRequests (tenantId: string, status: LoginRequestRecord['status'] | undefined, offset: number, limit: number): Promise<{ items: LoginRequestRecord[], total: number }> {
    const where = status === undefined ? 'tenant_id = ?' : 'tenant_id = ? and status = ?'
    const params = status === undefined ? [tenantId] : [tenantId, status]
    const sql = reader(this.orm)
    const [count] = await sql.query<{ total: string }>(`select count(*) as total from login_request where ${where}`, params)
    const rows = await sql.query<RequestRow>(`select ${REQUEST_COLUMNS} from login_request where ${where} order by created_at, id limit ? offset ?`, [...params, limit, offset])
    return { items: rows.map(toRequest), total: Number(count?.total ?? 0) }
  }

  async request (tenantId: string, id: string): Promise<LoginRequestRecord | undefined> {
    if (!isUuid(id)) return undefined
    const [row] = await reader(this.orm).query<RequestRow>(`select ${REQUEST_COLUMNS} from login_request where tenant_id = ? and id = ?`, [tenantId, id])
    return row === undefined ? undefined : toRequest(row)
  }

  async confirmEmail (tenantId: string, target: { requestId: string } | { membershipId: string }, email: string, context: ChangeContext): Promise<boolean> {
    return await transaction(this.orm, async sql => {
      let updated: unknown[]
      if ('requestId' in target) {
        updated = await sql.query(`update login_request set email = ? where tenant_id = ? and id = ? and status = 'pending' returning id`, [email, tenantId, target.requestId])
      } else {
        // The address becomes the login only when the account has none and nobody else has it; it is a contact address always.
        updated = await sql.query(
          `update account a set email = case when a.email is null and not exists (select 1 from account b where b.email = ?) then ?::citext else a.email end,
             profile = case when a.profile->'emails' is not null then a.profile else a.profile || jsonb_build_object('emails', jsonb_build_array(jsonb_build_object('value', ?::text, 'type', 'home', 'primary', true))) end,
             version = a.version + 1, updated_at = now()
           from membership m where m.tenant_id = ? and m.id = ? and a.id = m.account_id returning a.id`,
          [email, email, email, tenantId, target.membershipId])
      }
      if (updated.length > 0) {
        const targetId = 'requestId' in target ? target.requestId : target.membershipId
        await sqlChangeEffects(sql, tenantId, context).audit({ action: 'enrolment.email-confirmed', targetType: 'requestId' in target ? 'login-request' : 'user', targetId, changes: { email: { from: null, to: email } } })
      }
      return updated.length > 0
    })
  }

  async findStaff (tenantId: string, email: string | undefined, subject: string | undefined): Promise<{ id: string, status: 'created' | 'active' | 'inactive' } | undefined> {
    const sql = reader(this.orm)
    if (email !== undefined) {
      const [byEmail] = await sql.query<{ id: string, status: 'created' | 'active' | 'inactive' }>(
        `select m.id, m.status from membership m join account a on a.id = m.account_id
         where m.tenant_id = ? and m.kind = 'staff' and (a.email = ? or m.user_name = ?) order by (a.email = ?) desc limit 1`, [tenantId, email, email, email])
      if (byEmail !== undefined) return byEmail
    }
    if (subject === undefined) return undefined
    const [bySubject] = await sql.query<{ id: string, status: 'created' | 'active' | 'inactive' }>(
      `select m.id, m.status from membership m where m.tenant_id = ? and m.kind = 'staff' and m.external_id = ? limit 1`, [tenantId, subject])
    return bySubject
  }
}
