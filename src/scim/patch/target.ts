/**
 * Resolves a PATCH path to the attribute it names: which definition, where in the representation
 * it lives (top level or under an extension's URN key), and whether it is a whole extension.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.10 (attribute notation)
 */
import { invalidPath } from '../errors.js'
import type { Filter, PatchPath } from '../filter/ast.js'
import type { SchemaRegistry } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import { describePath } from './operations.js'

export interface AttributeTarget {
  kind: 'attribute'
  /** URN key of the extension object holding the attribute; undefined for core/common attributes. */
  extension?: string
  attribute: AttributeDefinition
  subAttribute?: AttributeDefinition
  filter?: Filter
  /** Canonical name for error details, e.g. `emails.value` or `urn:…:User:employeeNumber`. */
  label: string
}

/** The bare extension URN as a path: the whole extension object is the target. */
export interface ExtensionTarget { kind: 'extension', urn: string }

export type Target = AttributeTarget | ExtensionTarget

/** Schema extensions declared for the resource type, as their URNs. */
export function extensionUrns (registry: SchemaRegistry, resourceType: string): string[] {
  return registry.scopes(resourceType).filter(scope => scope.extension).map(scope => scope.schema)
}

export function resolveTarget (registry: SchemaRegistry, resourceType: string, path: PatchPath): Target {
  if (path.filter === undefined) {
    // The parser splits `urn:…:2.0:User` at its last colon (and maybe a dot); glue it back together.
    let whole = path.uri === undefined ? path.attribute : `${path.uri}:${path.attribute}`
    if (path.subAttribute !== undefined) whole += `.${path.subAttribute}`
    const scope = registry.scope(resourceType, whole)
    if (scope?.extension === true) return { kind: 'extension', urn: scope.schema }
  }
  const attributePath = path.uri === undefined
    ? { attribute: path.attribute, subAttribute: path.subAttribute }
    : { uri: path.uri, attribute: path.attribute, subAttribute: path.subAttribute }
  const resolved = registry.resolve(resourceType, attributePath)
  if (resolved === undefined) {
    throw invalidPath(`Unknown attribute "${describePath(path)}" for resource type ${resourceType}`)
  }
  const { attribute, subAttribute } = resolved
  if (path.subAttribute !== undefined && subAttribute === undefined) {
    throw invalidPath(`Attribute "${attribute.name}" has no sub-attribute "${path.subAttribute}"`)
  }
  if (path.filter !== undefined && !(attribute.multiValued && attribute.type === 'complex')) {
    // RFC 7644 §3.5.2: "valuePath" selects values of a complex multi-valued attribute.
    throw invalidPath(`A value filter needs a multi-valued complex attribute; "${attribute.name}" is not one`)
  }
  const base = resolved.extension ? `${resolved.schema}:${attribute.name}` : attribute.name
  const target: AttributeTarget = {
    kind: 'attribute',
    attribute,
    label: subAttribute === undefined ? base : `${base}.${subAttribute.name}`
  }
  if (resolved.extension) target.extension = resolved.schema
  if (subAttribute !== undefined) target.subAttribute = subAttribute
  if (path.filter !== undefined) target.filter = path.filter
  return target
}
