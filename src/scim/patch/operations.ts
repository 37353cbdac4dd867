/**
 * The PatchOp request message: shape checks and path parsing, before anything touches a resource.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
import { invalidSyntax, invalidValue, noTarget } from '../errors.js'
import type { PatchPath } from '../filter/ast.js'
import { formatPatchPath, parsePatchPath } from '../filter/index.js'
import { SCHEMA_URN } from '../schema/types.js'
import { getAttribute, isObject } from './json.js'

export type PatchOpName = 'add' | 'remove' | 'replace'

export interface PatchOperation {
  op: PatchOpName
  /** Absent: the target is the resource itself (add/replace only). */
  path?: PatchPath
  /** Absent only for `remove`; `null` means "unassign" (RFC 7643 §2.5). */
  value?: unknown
}

const OP_NAMES = new Set<string>(['add', 'remove', 'replace'])

/**
 * Validates a PatchOp body and returns its operations in order.
 * Malformed messages → 400 invalidSyntax; bad paths → 400 invalidPath (from the path parser).
 */
export function parsePatchRequest (body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('PATCH request body must be a JSON object')
  // RFC 7643 §2.1: attribute names, message attributes included, are case insensitive.
  const schemas = getAttribute(body, 'schemas')
  if (!Array.isArray(schemas) || !schemas.some(s => typeof s === 'string' && s.toLowerCase() === SCHEMA_URN.patchOp.toLowerCase())) {
    throw invalidSyntax(`PATCH request "schemas" must contain "${SCHEMA_URN.patchOp}"`)
  }
  const operations = getAttribute(body, 'Operations')
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax('PATCH request "Operations" must be a non-empty array')
  }
  return operations.map((operation, index) => parseOperation(operation, index))
}

function parseOperation (raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`
  if (!isObject(raw)) throw invalidSyntax(`${where} must be a JSON object`)
  const op = getAttribute(raw, 'op')
  // Microsoft Entra ID sends "Add", "Replace" and "Remove"; the RFC's values are lower case.
  if (typeof op !== 'string' || !OP_NAMES.has(op.toLowerCase())) {
    throw invalidSyntax(`${where}.op must be one of "add", "remove", "replace"`)
  }
  const name = op.toLowerCase() as PatchOpName
  const operation: PatchOperation = { op: name }
  const pathText = getAttribute(raw, 'path')
  if (pathText !== undefined && pathText !== null) {
    if (typeof pathText !== 'string') throw invalidSyntax(`${where}.path must be a string`)
    operation.path = parsePatchPath(pathText)
  } else if (name === 'remove') {
    // @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.2
    throw noTarget(`${where}: "remove" requires a "path"`)
  }
  const value = getAttribute(raw, 'value')
  if (value !== undefined) {
    operation.value = value
  } else if (name !== 'remove') {
    // RFC 7644 §3.5.2.1/§3.5.2.3: the operation MUST contain a "value"; Table 9 names a missing
    // required value invalidValue.
    throw invalidValue(`${where}: "${name}" requires a "value"`)
  }
  if (operation.path === undefined && name !== 'remove' && !isObject(value)) {
    // @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.1 (path omitted: value holds attributes)
    throw invalidValue(`${where}: without "path", "value" must be an object of attributes`)
  }
  return operation
}

/** A path for error details; operations without one target the resource itself. */
export function describePath (path: PatchPath | undefined): string {
  return path === undefined ? '(no path)' : formatPatchPath(path)
}
