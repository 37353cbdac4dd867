import type { ListQuery } from '../../domain/scim/paging.js'
import { filterToSql, sortToSql, type FilterSqlContext, type SqlFragment } from '../scim-sql/index.js'

/** `<alias>.tenant_id = ?` and the client's filter: every list is scoped by the authenticated tenant first. */
export function tenantWhere (alias: string, tenantId: string, query: ListQuery, context: FilterSqlContext): SqlFragment {
  if (query.filter === undefined) return { sql: `${alias}.tenant_id = ?`, params: [tenantId] }
  const fragment = filterToSql(query.filter, context)
  return { sql: `${alias}.tenant_id = ? and (${fragment.sql})`, params: [tenantId, ...fragment.params] }
}

/** The client's sort, then the id: a total order, so pages never overlap or skip. */
export function orderBy (alias: string, query: ListQuery, context: FilterSqlContext): string {
  return query.sortBy === undefined ? `${alias}.id` : `${sortToSql(query.sortBy, query.sortOrder, context)}, ${alias}.id`
}
