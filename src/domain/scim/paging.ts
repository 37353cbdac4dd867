import { invalidCursor } from '../../scim/errors.js'
import type { Filter } from '../../scim/filter/ast.js'
import { parseFilter } from '../../scim/filter/index.js'

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

/** A store's list query: filter and sort translated by the store, then offset/limit or keyset. */
export interface ListQuery {
  filter?: Filter
  sortBy?: string
  sortOrder?: 'ascending' | 'descending'
  offset: number
  limit: number
  /** Keyset paging (RFC 9865): ids greater than this, ordered by id. */
  after?: string
}

export interface ListRequest extends PageRequest {
  filter?: string
  sortBy?: string
  sortOrder?: 'ascending' | 'descending'
}

export interface Paged<T> {
  items: T[]
  totalResults: number
  startIndex?: number
  nextCursor?: string
}

/**
 * One list request against a store, either paging mode. Cursor pages are ordered by id (the keyset), so
 * sortBy applies to index paging only; one extra row tells whether a next page exists.
 */
export async function listPage<T extends { id: string }> (
  request: ListRequest,
  limits: PageLimits,
  fetch: (query: ListQuery) => Promise<{ items: T[], total: number }>
): Promise<Paged<T>> {
  const page = pageOf(request, limits)
  const cursorMode = page.mode === 'cursor'
  const { items, total } = await fetch({
    ...(request.filter === undefined ? {} : { filter: parseFilter(request.filter) }),
    ...(cursorMode || request.sortBy === undefined ? {} : { sortBy: request.sortBy }),
    ...(request.sortOrder === undefined ? {} : { sortOrder: request.sortOrder }),
    offset: page.offset,
    limit: cursorMode && page.limit > 0 ? page.limit + 1 : page.limit,
    ...(page.after === undefined ? {} : { after: page.after })
  })
  const hasMore = cursorMode && items.length > page.limit
  const shown = hasMore ? items.slice(0, page.limit) : items
  return {
    items: shown,
    totalResults: total,
    ...(cursorMode ? {} : { startIndex: page.startIndex }),
    ...(hasMore ? { nextCursor: encodeCursor(shown[shown.length - 1]!.id) } : {})
  }
}
