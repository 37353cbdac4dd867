/**
 * SCIM filters and sorting as PostgreSQL, for the repositories.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3
 */
export { filterToSql, type AttributeStorage, type CustomTest, type FilterSqlContext, type SqlFragment } from './filter-to-sql.js'
export { sortToSql } from './sort.js'
