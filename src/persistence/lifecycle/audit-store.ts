import type { MikroORM } from '@mikro-orm/postgresql'
import type { AuditQuery, AuditReader, AuditRecord } from '../../domain/lifecycle/audit-query.js'
import type { ChangeContext } from '../../domain/lifecycle/change-context.js'
import type { AuditEntry } from '../../domain/lifecycle/effects.js'
import type { AuditLog } from '../../domain/lifecycle/membership-lifecycle.js'
import { reader, transaction } from '../sql.js'
import { sqlChangeEffects } from './change-effects.js'

interface AuditRow {
  id: string
  at: Date
  source: string
  actor_type: string
  actor_id: string | null
  actor_label: string | null
  action: string
  target_type: string | null
  target_id: string | null
  changes: Record<string, unknown> | null
  request_id: string | null
  client_ip: string | null
}

export class SqlAuditLog implements AuditLog, AuditReader {
  constructor (private readonly orm: MikroORM) {}

  async record (tenantId: string, context: ChangeContext, entry: AuditEntry): Promise<void> {
    await transaction(this.orm, async sql => { await sqlChangeEffects(sql, tenantId, context).audit(entry) })
  }

  /** Newest first; the id is the keyset (ids only grow). */
  async query (tenantId: string, query: AuditQuery): Promise<AuditRecord[]> {
    const where = ['tenant_id = ?']
    const params: unknown[] = [tenantId]
    const add = (condition: string, value: unknown) => { if (value !== undefined) { where.push(condition); params.push(value) } }
    add('at >= ?', query.from)
    add('at < ?', query.to)
    add('action = ?', query.action)
    add('source = ?', query.source)
    add('target_id = ?', query.targetId)
    add('actor_id = ?', query.actorId)
    add('id < ?', query.before)
    const rows = await reader(this.orm).query<AuditRow>(
      `select * from audit_event where ${where.join(' and ')} order by id desc limit ?`, [...params, query.limit])
    return rows.map(row => ({
      id: Number(row.id),
      at: new Date(row.at).toISOString(),
      source: row.source,
      actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
      action: row.action,
      target: { type: row.target_type, id: row.target_id },
      changes: row.changes,
      requestId: row.request_id,
      clientIp: row.client_ip
    }))
  }
}
