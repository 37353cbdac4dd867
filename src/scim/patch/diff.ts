/**
 * The operations that turn one representation into another: one replace/remove per top-level
 * attribute and per extension attribute (e.g. to replay a PUT as a PATCH, or to emit changes).
 * Read-only attributes (id, meta, groups) are the server's and never appear.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
import { invalidValue } from '../errors.js'
import type { PatchPath } from '../filter/ast.js'
import type { SchemaRegistry } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import { deepEqual, findKey, getAttribute, isObject, isUnassigned, type JsonObject, sameName } from './json.js'
import type { PatchOperation } from './operations.js'
import { extensionUrns } from './target.js'

export function diffToPatch (registry: SchemaRegistry, resourceType: string, from: JsonObject, to: JsonObject): PatchOperation[] {
  const urns = extensionUrns(registry, resourceType)
  const isExtensionKey = (key: string) => urns.some(urn => sameName(urn, key))
  const operations: PatchOperation[] = []
  const core = (key: string) => !sameName(key, 'schemas') && !isExtensionKey(key)
  for (const name of unionKeys(from, to, core)) {
    diffAttribute(registry, resourceType, undefined, name, from, to, operations)
  }
  for (const urn of urns) {
    const fromExtension = objectOrEmpty(getAttribute(from, urn))
    const toExtension = objectOrEmpty(getAttribute(to, urn))
    for (const name of unionKeys(fromExtension, toExtension, () => true)) {
      diffAttribute(registry, resourceType, urn, name, fromExtension, toExtension, operations)
    }
  }
  return operations
}

function diffAttribute (
  registry: SchemaRegistry, resourceType: string, urn: string | undefined, name: string,
  from: JsonObject, to: JsonObject, operations: PatchOperation[]
): void {
  const resolved = registry.resolve(resourceType, urn === undefined ? { attribute: name } : { uri: urn, attribute: name })
  if (resolved === undefined) throw invalidValue(`Unknown attribute "${urn === undefined ? name : `${urn}:${name}`}"`)
  const { attribute } = resolved
  if (attribute.mutability === 'readOnly') return
  const before = getAttribute(from, name)
  const after = getAttribute(to, name)
  if (isUnassigned(before) ? isUnassigned(after) : deepEqual(before, after)) return
  const path: PatchPath = urn === undefined ? { attribute: attribute.name } : { uri: urn, attribute: attribute.name }
  if (isUnassigned(after)) {
    operations.push({ op: 'remove', path })
    return
  }
  if (isComplexSingle(attribute) && isObject(before) && isObject(after)) {
    // replace merges into a complex value (RFC 7644 §3.5.2.3), so dropped sub-attributes need removes.
    for (const key of Object.keys(before)) {
      if (findKey(after, key) === undefined || isUnassigned(getAttribute(after, key))) {
        operations.push({ op: 'remove', path: { ...path, subAttribute: key } })
      }
    }
    const kept = Object.entries(after).filter(([key, value]) => !deepEqual(getAttribute(before, key), value))
    if (kept.length > 0) operations.push({ op: 'replace', path, value: after })
    return
  }
  operations.push({ op: 'replace', path, value: after })
}

const isComplexSingle = (attribute: AttributeDefinition) => attribute.type === 'complex' && !attribute.multiValued

/** Attribute names of both objects, once each (case-insensitively), first spelling wins. */
function unionKeys (a: JsonObject, b: JsonObject, keep: (key: string) => boolean): string[] {
  const seen = new Map<string, string>()
  for (const key of [...Object.keys(a), ...Object.keys(b)]) {
    if (keep(key) && !seen.has(key.toLowerCase())) seen.set(key.toLowerCase(), key)
  }
  return [...seen.values()]
}

const objectOrEmpty = (value: unknown): JsonObject => isObject(value) ? value : {}
