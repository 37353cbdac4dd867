import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { AccountAdministration } from '../../../domain/accounts/account-administration.js'
import type { AuditQuery } from '../../../domain/lifecycle/audit-query.js'

const security = [{ bearer: [] }]
const filters = {
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
  action: { type: 'string', maxLength: 60 },
  source: { type: 'string', enum: ['scim', 'admin', 'self-service', 'enrolment', 'cli', 'system'] },
  targetId: { type: 'string', maxLength: 100 },
  actorId: { type: 'string', maxLength: 100 }
}
type Filters = Omit<AuditQuery, 'from' | 'to' | 'limit' | 'before'> & { from?: string, to?: string }
const EXPORT_PAGE = 1000

function queryOf (query: Filters & { before?: number, limit?: number }): AuditQuery {
  return {
    ...query,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
    limit: query.limit ?? 100
  }
}

/** The audit log: newest first, keyset paged; the export streams every matching row as NDJSON. */
export function auditRoutes (administration: AccountAdministration) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: Filters & { before?: number, limit?: number } }>('/', {
      schema: {
        tags: ['admin: audit'], security, summary: 'Audit events, newest first; pass nextBefore as before for the next page',
        querystring: { type: 'object', additionalProperties: false, properties: { ...filters, before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } }
      }
    }, async (request) => {
      const query = queryOf(request.query)
      const items = await administration.audit(await request.admin(), query)
      return { items, nextBefore: items.length === query.limit ? items.at(-1)!.id : null }
    })

    app.get<{ Querystring: Filters }>('/export', {
      schema: { tags: ['admin: audit'], security, summary: 'Every matching audit event as NDJSON (one JSON object per line)', querystring: { type: 'object', additionalProperties: false, properties: filters } }
    }, async (request, reply) => {
      const admin = await request.admin()
      const base = queryOf({ ...request.query, limit: EXPORT_PAGE })
      const first = await administration.audit(admin, base) // permission checked before the stream starts
      async function * lines () {
        let page = first
        while (page.length > 0) {
          for (const event of page) yield JSON.stringify(event) + '\n'
          if (page.length < EXPORT_PAGE) return
          page = await administration.audit(admin, { ...base, before: page.at(-1)!.id })
        }
      }
      await reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="audit.ndjson"').send(Readable.from(lines()))
    })
  }
}
