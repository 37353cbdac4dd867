/**
 * sortBy / sortOrder as a PostgreSQL ORDER BY expression.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3
 *
 * - sortBy is an attribute path (RFC 7644 §3.10), e.g. `name.givenName` or
 *   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`; a filter is refused.
 * - A multi-valued attribute sorts by "the value of the primary attribute, if any, or else the first
 *   value in the list": the element with `"primary": true`, else the first element; of it, the
 *   sub-attribute named, or `value` when none is.
 * - "If there is no data for the specified sortBy value, they are sorted via the sortOrder
 *   parameter; i.e., they are ordered last if ascending and first if descending": NULLS LAST / FIRST.
 *   An empty string is data (it sorts first when ascending).
 * - Strings: "case-insensitive Unicode alphabetic sort order with no specific locale implied" for
 *   caseExact false, case-sensitive otherwise: lower() and collate "C" (code-point order).
 * - The RFC does not say how to answer a sortBy naming no sortable attribute. A 400 invalidValue
 *   (RFC 7644 §3.12: "the value specified was not compatible with the operation") rather than silently
 *   unsorted results, which a client paging through them could not tell apart from sorted ones.
 *
 * One expression: the caller appends its own tie-breaker (`, m.id`) so that pages are stable.
 * Nothing from the client reaches the SQL text: names come from the schema, SQL from `locate`.
 */
import { invalidValue, ScimError } from '../../scim/errors.js'
import { formatAttributePath, parsePatchPath, type PatchPath } from '../../scim/filter/index.js'
import type { AttributeDefinition } from '../../scim/schema/types.js'
import type { FilterSqlContext } from './filter-to-sql.js'
import { arrayElements, jsonMember, jsonValue, textOf, timestampOf, type SqlValue } from './sql.js'

export function sortToSql (sortBy: string, sortOrder: 'ascending' | 'descending' | undefined, context: FilterSqlContext): string {
  const path = parseSortBy(sortBy)
  const name = formatAttributePath(path)
  const resolved = context.registry.resolve(context.resourceType, path)
  if (resolved === undefined) throw invalidValue(`sortBy: unknown attribute "${name}" for resource type ${context.resourceType}`)
  const { attribute, subAttribute } = resolved
  let definition = subAttribute ?? attribute
  if (definition.type === 'complex' && !definition.multiValued) {
    throw invalidValue(`sortBy: "${name}" is a complex attribute; sort by one of its sub-attributes, e.g. "${name}.${definition.subAttributes?.[0]?.name ?? 'value'}"`)
  }
  const storage = context.locate(resolved)
  if (storage === undefined || storage.kind === 'custom') throw invalidValue(`sortBy: the results cannot be sorted by "${name}"`)

  let key: string
  if (storage.kind === 'column') {
    key = sortKey({ kind: 'column', sql: storage.sql }, definition)
  } else if (!attribute.multiValued) {
    const top = jsonValue(storage.sql)
    key = sortKey(subAttribute === undefined ? top : jsonMember(top, subAttribute.name), definition)
  } else {
    let member = subAttribute?.name
    if (member === undefined && attribute.type === 'complex') {
      const significant = context.registry.subAttribute(attribute, 'value')
      if (significant === undefined) throw invalidValue(`sortBy: "${name}" has no "value"; sort by one of its sub-attributes`)
      definition = significant
      member = significant.name
    }
    const element = jsonValue('e.v')
    const value = sortKey(member === undefined ? element : jsonMember(element, member), definition)
    key = `(select ${value} from ${arrayElements(storage.sql)} with ordinality as e(v, n) order by coalesce(e.v->'primary' = 'true'::jsonb, false) desc, e.n limit 1)`
  }

  return `${key} ${sortOrder === 'descending' ? 'desc nulls first' : 'asc nulls last'}`
}

function parseSortBy (sortBy: string): PatchPath {
  let path: PatchPath
  try {
    path = parsePatchPath(sortBy)
  } catch (error) {
    if (error instanceof ScimError) throw invalidValue(`sortBy: ${error.message}`)
    throw error
  }
  if (path.filter !== undefined) throw invalidValue(`sortBy must be an attribute path, not a filter: ${JSON.stringify(sortBy)}`)
  return path
}

/** The value in the attribute type's order; NULL when missing or of another JSON type. */
function sortKey (value: SqlValue, definition: AttributeDefinition): string {
  const json = value.kind === 'json'
  switch (definition.type) {
    case 'integer':
    case 'decimal':
      return json ? `(case when jsonb_typeof(${value.sql}) = 'number' then (${value.sql})::numeric end)` : `(${value.sql})`
    case 'boolean':
      return json ? `(case when jsonb_typeof(${value.sql}) = 'boolean' then (${value.sql})::boolean end)` : `(${value.sql})`
    case 'dateTime':
      return json ? `(case when jsonb_typeof(${value.sql}) = 'string' then ${timestampOf(value.text)} end)` : `(${value.sql})`
    default:
      return definition.caseExact ? `${textOf(value)} collate "C"` : `lower(${textOf(value)}) collate "C"`
  }
}
