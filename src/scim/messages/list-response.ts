import { SCHEMA_URN } from '../schema/types.js'

/** @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 */
export interface ListResponse<T> {
  schemas: [typeof SCHEMA_URN.listResponse]
  totalResults: number
  startIndex?: number
  itemsPerPage: number
  /** RFC 9865 §4: present when more results follow. */
  nextCursor?: string
  previousCursor?: string
  Resources: T[]
}

export function listResponse<T> (resources: T[], page: { totalResults?: number, startIndex?: number, nextCursor?: string, previousCursor?: string } = {}): ListResponse<T> {
  const response: ListResponse<T> = {
    schemas: [SCHEMA_URN.listResponse],
    totalResults: page.totalResults ?? resources.length,
    itemsPerPage: resources.length,
    Resources: resources
  }
  if (page.startIndex !== undefined) response.startIndex = page.startIndex
  if (page.nextCursor !== undefined) response.nextCursor = page.nextCursor
  if (page.previousCursor !== undefined) response.previousCursor = page.previousCursor
  return response
}
