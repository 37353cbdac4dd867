import { invalidValue } from '../../../scim/errors.js'
import { parseAttributeList } from '../../../scim/schema/project.js'
import type { ListRequest } from '../../../domain/scim/users.js'

/** Projection parameters of any read (RFC 7644 §3.4.2.5). */
export interface Projection {
  attributes?: string[]
  excludedAttributes?: string[]
}

/** Whether the projection returns attribute `name` (e.g. `groups`, `members`): lets expensive reads be skipped. */
export function projects (projection: Projection, name: string): boolean {
  const named = (list: string[]) => list.some(a => {
    const short = a.toLowerCase().split(':').pop()!
    return short === name.toLowerCase() || short.startsWith(`${name.toLowerCase()}.`)
  })
  if (projection.attributes !== undefined) return named(projection.attributes)
  return projection.excludedAttributes === undefined || !named(projection.excludedAttributes)
}

export function projectionOf (source: { attributes?: unknown, excludedAttributes?: unknown }): Projection {
  const list = (value: unknown, name: string): string[] | undefined => {
    if (value === undefined) return undefined
    if (typeof value === 'string') return parseAttributeList(value)
    // POST /.search sends JSON arrays (RFC 7644 §3.4.3)
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value as string[]
    throw invalidValue(`${name} must be a comma-separated list of attribute names`)
  }
  const attributes = list(source.attributes, 'attributes')
  const excludedAttributes = list(source.excludedAttributes, 'excludedAttributes')
  return {
    ...(attributes === undefined ? {} : { attributes }),
    ...(excludedAttributes === undefined ? {} : { excludedAttributes })
  }
}

/** Query parameters (GET) or a SearchRequest body (POST /.search) → a list request. */
export function listRequestOf (source: Record<string, unknown>): ListRequest {
  const request: ListRequest = {}
  if (source.filter !== undefined) {
    if (typeof source.filter !== 'string') throw invalidValue('filter must be a string')
    request.filter = source.filter
  }
  if (source.sortBy !== undefined) {
    if (typeof source.sortBy !== 'string') throw invalidValue('sortBy must be an attribute name')
    request.sortBy = source.sortBy
  }
  if (source.sortOrder !== undefined) {
    // RFC 7644 §3.4.2.3: "ascending" or "descending"; case-insensitive like the rest of the protocol's keywords.
    const order = String(source.sortOrder).toLowerCase()
    if (order !== 'ascending' && order !== 'descending') throw invalidValue('sortOrder must be "ascending" or "descending"')
    request.sortOrder = order
  }
  const startIndex = integerOf(source.startIndex, 'startIndex')
  if (startIndex !== undefined) request.startIndex = startIndex
  const count = integerOf(source.count, 'count')
  if (count !== undefined) request.count = count
  if (source.cursor !== undefined) request.cursor = String(source.cursor)
  return request
}

function integerOf (value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  const number = typeof value === 'number' ? value : /^-?\d+$/.test(String(value)) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number)) throw invalidValue(`${name} must be an integer`)
  return number
}
