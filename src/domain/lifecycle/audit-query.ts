import type { ChangeSource } from './change-context.js'

export interface AuditQuery {
  from?: Date
  to?: Date
  action?: string
  source?: ChangeSource
  targetId?: string
  actorId?: string
  /** Keyset paging: events older than this id (newest first). */
  before?: number
  limit: number
}

export interface AuditRecord {
  id: number
  at: string
  source: string
  actor: { type: string, id: string | null, label: string | null }
  action: string
  target: { type: string | null, id: string | null }
  changes: Record<string, unknown> | null
  requestId: string | null
  clientIp: string | null
}

export interface AuditReader {
  query: (tenantId: string, query: AuditQuery) => Promise<AuditRecord[]>
}
