import { invalidCursor } from '../../scim/errors.js'

/**
 * Index paging (RFC 7644 §3.4.2.4) and cursor paging (RFC 9865) to offset/limit/keyset.
 * Out-of-range values are corrected, not refused, as §3.4.2.4 prescribes (startIndex < 1 → 1, count < 0 → 0).
 */
export interface PageRequest {
  startIndex?: number
  count?: number
  /** RFC 9865: present (possibly empty) = cursor paging; empty = the first page. */
  cursor?: string
}

export interface Page {
  mode: 'index' | 'cursor'
  startIndex: number
  offset: number
  limit: number
  after?: string
}

export interface PageLimits { defaultCount: number, maxResults: number }

export function pageOf (request: PageRequest, limits: PageLimits): Page {
  const limit = Math.min(Math.max(request.count ?? limits.defaultCount, 0), limits.maxResults)
  if (request.cursor !== undefined) {
    const after = request.cursor === '' ? undefined : decodeCursor(request.cursor)
    return { mode: 'cursor', startIndex: 1, offset: 0, limit, ...(after === undefined ? {} : { after }) }
  }
  const startIndex = Math.max(request.startIndex ?? 1, 1)
  return { mode: 'index', startIndex, offset: startIndex - 1, limit }
}

// A cursor is the last id of the previous page; opaque to clients (base64url), validated on the way in.
export function encodeCursor (lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url')
}

function decodeCursor (cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw invalidCursor(`The cursor "${cursor}" is not one this server issued`)
  return id
}
