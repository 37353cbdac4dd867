/**
 * Abstract syntax of SCIM filters and PATCH paths.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2 (filter ABNF, Figure 1)
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 (PATH ABNF, Figure 3)
 *
 * Attribute names are kept as written by the client; resolving them (case-insensitively, against the
 * schemas) is the schema registry's job, not the parser's.
 */

/** `[URI ":"] ATTRNAME *1subAttr`, e.g. `urn:ietf:params:scim:schemas:core:2.0:User:name.givenName`. */
export interface AttributePath {
  /** Schema URN prefix when the client wrote one (without the trailing colon). */
  uri?: string
  attribute: string
  subAttribute?: string
}

export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le'

/** compValue = false / null / true / number / string (RFC 7644 §3.4.2.2; JSON literals, RFC 7159). */
export type ComparisonValue = string | number | boolean | null

export type Filter =
  | { kind: 'compare', path: AttributePath, op: ComparisonOperator, value: ComparisonValue }
  | { kind: 'present', path: AttributePath }
  | { kind: 'and', filters: Filter[] }
  | { kind: 'or', filters: Filter[] }
  | { kind: 'not', filter: Filter }
  /**
   * `emails[type eq "work" and value co "@example.com"]`: `filter` is evaluated per element of the
   * multi-valued attribute `path`; attribute paths inside it name sub-attributes of that attribute.
   */
  | { kind: 'valuePath', path: AttributePath, filter: Filter }

/**
 * A PATCH operation's path: `attrPath / valuePath [subAttr]`.
 * `emails[type eq "work"].value` → `{ attribute: 'emails', filter: …, subAttribute: 'value' }`.
 */
export interface PatchPath extends AttributePath {
  filter?: Filter
}
