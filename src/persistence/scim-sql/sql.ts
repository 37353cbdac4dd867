/**
 * PostgreSQL pieces shared by the filter and sort translations.
 *
 * Placeholders are knex-style `?`. MikroORM's `execute(sql, params)` inlines each parameter as an
 * escaped literal (pg's escapeLiteral) before knex.raw; it takes every `?` for a placeholder, even
 * inside a quoted literal, and `\?` for a literal `?`. So the SQL written here never contains a `?`
 * of its own (jsonb_exists() instead of `?`, no jsonpath filters) and never a backslash before one.
 */
import type { AttributeDefinition } from '../../scim/schema/types.js'

export interface SqlFragment { sql: string, params: unknown[] }

export const raw = (sql: string): SqlFragment => ({ sql, params: [] })
export const bind = (value: unknown): SqlFragment => ({ sql: '?', params: [value] })

/** `sql\`a = ${bind(x)}\``: interpolations are fragments, never strings, so client text cannot become SQL. */
export function sql (strings: TemplateStringsArray, ...parts: SqlFragment[]): SqlFragment {
  let text = strings[0] ?? ''
  const params: unknown[] = []
  parts.forEach((part, index) => {
    text += part.sql + (strings[index + 1] ?? '')
    params.push(...part.params)
  })
  return { sql: text, params }
}

/** `(a and b and c)`; an empty conjunction is true, an empty disjunction false. */
export function join (parts: SqlFragment[], keyword: 'and' | 'or'): SqlFragment {
  if (parts.length === 0) return raw(keyword === 'and' ? 'true' : 'false')
  return {
    sql: `(${parts.map(part => part.sql).join(` ${keyword} `)})`,
    params: parts.flatMap(part => part.params)
  }
}

/**
 * One value of an attribute: a column holding it with its own SQL type, or a jsonb expression
 * together with its text form (`->>` where possible, so expression indexes on `x->>'k'` apply).
 */
export type SqlValue =
  | { kind: 'column', sql: string }
  | { kind: 'json', sql: string, text: string }

export const columnValue = (expression: string): SqlValue => ({ kind: 'column', sql: expression })

/** `X->'k'` reads as text `X->>'k'` (the same value), so indexes written the natural way apply. */
export function jsonValue (expression: string): SqlValue {
  const member = /^(.+)->'([A-Za-z$][\w$-]*)'$/.exec(expression)
  const text = member === null ? `(${expression} #>> '{}')` : `(${member[1]}->>'${member[2]}')`
  return { kind: 'json', sql: expression, text }
}

/**
 * The element of the `exists (select 1 from … as e(v) where …)` subqueries (and `p(v)` for pr).
 * Storage SQL only appears in their FROM function arguments, so outer aliases named e or p still work.
 */
export const ELEMENT = jsonValue('e.v')

/** `x->'name'`; names come from the schema files (RFC 7643 ATTRNAME or `$ref`), never from the client. */
export function jsonMember (value: SqlValue, name: string): SqlValue {
  if (value.kind !== 'json') throw new Error(`A column holds no sub-attribute "${name}"`)
  if (!/^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/.test(name)) throw new Error(`Not an attribute name: ${JSON.stringify(name)}`)
  return { kind: 'json', sql: `(${value.sql})->'${name}'`, text: `((${value.sql})->>'${name}')` }
}

/** The elements of a jsonb array; anything else (SQL NULL, JSON null, a scalar) has none. */
export function arrayElements (expression: string): string {
  return `jsonb_array_elements(case when jsonb_typeof(${expression}) = 'array' then ${expression} else '[]'::jsonb end)`
}

/** The value as text: a column cast to text (a citext column compares as text), a json value unquoted. */
export function textOf (value: SqlValue): string {
  return value.kind === 'column' ? `(${value.sql})::text` : value.text
}

/** Not SQL NULL nor JSON null. */
export function hasValue (value: SqlValue): string {
  return value.kind === 'column' ? `(${value.sql}) is not null` : `${value.text} is not null`
}

/**
 * RFC 7644 Table 3, pr: a value that is not null nor "", or an array or object with such a value
 * somewhere inside (`strict $.**` visits the value itself and everything below it).
 */
export function isPresent (value: SqlValue, definition: AttributeDefinition): string {
  if (value.kind === 'json' && (definition.type === 'complex' || definition.multiValued)) {
    return `exists (select 1 from jsonb_path_query(${value.sql}, 'strict $.**') as p(v) where jsonb_typeof(p.v) in ('string', 'number', 'boolean') and p.v <> '""'::jsonb)`
  }
  return `(${hasValue(value)} and ${textOf(value)} <> '')`
}

/**
 * A stored xsd:dateTime as timestamptz. Without an offset it is UTC (as the evaluator reads it),
 * whatever the session's TimeZone; cut to milliseconds, as Date.parse is.
 */
export function timestampOf (text: string): string {
  return `date_trunc('milliseconds', case when ${text} ~ '([zZ]|[+-]\\d\\d:\\d\\d)$' then (${text})::timestamptz else (${text})::timestamp at time zone 'UTC' end)`
}

/** A timestamptz column as the representation writes it (Date#toISOString), for co/sw/ew. */
export function isoText (expression: string): string {
  return `to_char((${expression})::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}
