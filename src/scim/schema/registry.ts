/**
 * The SCIM schemas, resource types and service provider configuration of scim-schemas/, loaded
 * once at start-up, and the attribute resolver that filters, PATCH, projection and SQL share.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7 (schemas)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6 (resource types)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.1 (attribute names are case-insensitive)
 *
 * Every lookup map is built in the constructor; resolve() is a few Map.get calls.
 */
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { AttributePath } from '../filter/ast.js'
import { COMMON_ATTRIBUTES } from './common-attributes.js'
import { checkSchemaFiles, readSchemaDirectory, type ResourceTypeResource, type SchemaFiles, type SchemaResource, type ServiceProviderConfig } from './files.js'
import { writeJsonSchema, type WriteScope } from './json-schema.js'
import type { AttributeDefinition } from './types.js'

export type { ResourceTypeResource, SchemaResource, ServiceProviderConfig } from './files.js'

export interface ResolvedAttribute {
  /** URN of the schema the attribute belongs to (core or extension); the core URN for id, externalId and meta. */
  schema: string
  /** True when it lives under its URN key in a resource. */
  extension: boolean
  /** The top-level attribute, canonical name. */
  attribute: AttributeDefinition
  /** When the path names a sub-attribute. */
  subAttribute?: AttributeDefinition
}

/**
 * One schema's attributes as they appear in a resource of a given type: the core schema's at the
 * top level (the common attributes of RFC 7643 §3.1 first), each extension's under its URN key.
 */
export interface AttributeScope extends WriteScope {
  /** For an extension, `schemaExtensions[].required`; the core scope is always required. */
  required: boolean
}

/** `scim-schemas/` at the package root, from src/scim/schema/ (tsx) as from dist/scim/schema/ (built). */
export function defaultSchemaDirectory (): string {
  return fileURLToPath(new URL('../../../scim-schemas/', import.meta.url))
}

/** Lower-cased key for case-insensitive names and URNs (RFC 7643 §2.1). */
export function nameKey (name: string): string {
  return name.toLowerCase()
}

interface ResourceTypeIndex {
  definition: ResourceTypeResource
  scopes: AttributeScope[]
  scopeByUrn: Map<string, AttributeScope>
  /** Names without a URN: core first, then extension attributes whose name is unique among the extensions. */
  unqualified: Map<string, { scope: AttributeScope, attribute: AttributeDefinition }>
  validateWrite: ValidateFunction
}

export class SchemaRegistry {
  readonly #files: SchemaFiles
  readonly #schemaById = new Map<string, SchemaResource>()
  readonly #types = new Map<string, ResourceTypeIndex>()
  readonly #attributesByScope = new Map<AttributeScope, Map<string, AttributeDefinition>>()
  readonly #subAttributes = new Map<AttributeDefinition, Map<string, AttributeDefinition>>()

  /** Reads and checks every file of `dir` (default: the package's scim-schemas/). Call once, at start-up. */
  static fromDirectory (dir: string | URL = defaultSchemaDirectory()): SchemaRegistry {
    return new SchemaRegistry(readSchemaDirectory(dir instanceof URL ? fileURLToPath(dir) : dir))
  }

  /** From already-parsed documents (tests); checked like the files. */
  static fromObjects (input: Parameters<typeof checkSchemaFiles>[0]): SchemaRegistry {
    return new SchemaRegistry(checkSchemaFiles(structuredClone(input)))
  }

  private constructor (files: SchemaFiles) {
    this.#files = deepFreeze(files)
    deepFreeze(COMMON_ATTRIBUTES)
    for (const schema of files.schemas) this.#schemaById.set(nameKey(schema.id), schema)
    for (const attribute of [...COMMON_ATTRIBUTES, ...files.schemas.flatMap(s => s.attributes)]) this.#indexSubAttributes(attribute)

    const ajv = new Ajv({ allErrors: false, strict: true, verbose: true })
    addFormats.default(ajv, ['iso-date-time', 'byte'])
    for (const definition of files.resourceTypes) {
      const scopes: AttributeScope[] = [
        { schema: this.#schemaOf(definition.schema).id, extension: false, required: true, attributes: [...COMMON_ATTRIBUTES, ...this.#schemaOf(definition.schema).attributes] },
        ...(definition.schemaExtensions ?? []).map(ext => ({
          schema: this.#schemaOf(ext.schema).id, extension: true, required: ext.required, attributes: this.#schemaOf(ext.schema).attributes
        }))
      ]
      for (const scope of scopes) this.#attributesByScope.set(scope, byName(scope.attributes, `${definition.name} (${scope.schema})`))
      this.#types.set(nameKey(definition.name), {
        definition,
        scopes,
        scopeByUrn: new Map(scopes.map(scope => [nameKey(scope.schema), scope])),
        unqualified: this.#unqualifiedNames(scopes),
        validateWrite: ajv.compile(writeJsonSchema(scopes))
      })
    }
  }

  /** Every schema, as /Schemas serves it (meta.location relative to the SCIM base URL). */
  schemas (): readonly SchemaResource[] {
    return this.#files.schemas
  }

  /** A schema by its id (URN), case-insensitively. */
  schema (id: string): SchemaResource | undefined {
    return this.#schemaById.get(nameKey(id))
  }

  resourceTypes (): readonly ResourceTypeResource[] {
    return this.#files.resourceTypes
  }

  /** A resource type by name (e.g. 'User'), case-insensitively; an unknown name is a programming error. */
  resourceType (name: string): ResourceTypeResource {
    return this.#type(name).definition
  }

  serviceProviderConfig (): ServiceProviderConfig {
    return this.#files.serviceProviderConfig
  }

  /** The core scope first, then one per schema extension, in ResourceTypes.json order. */
  scopes (resourceType: string): readonly AttributeScope[] {
    return this.#type(resourceType).scopes
  }

  /** The scope a URN names for this resource type (core or extension), case-insensitively. */
  scope (resourceType: string, urn: string): AttributeScope | undefined {
    return this.#type(resourceType).scopeByUrn.get(nameKey(urn))
  }

  /** A top-level attribute of a scope by name, case-insensitively. */
  attribute (scope: AttributeScope, name: string): AttributeDefinition | undefined {
    return this.#attributesByScope.get(scope)?.get(nameKey(name))
  }

  /** A sub-attribute of a complex attribute by name, case-insensitively. */
  subAttribute (attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
    return this.#subAttributes.get(attribute)?.get(nameKey(name))
  }

  /**
   * Resolves `[URI ":"] ATTRNAME ["." subAttr]` against a resource type. Without a URI the core
   * schema (with the common attributes) is searched first, then the extensions, where a name found
   * in more than one extension is ambiguous and does not resolve.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.10
   */
  resolve (resourceType: string, path: AttributePath): ResolvedAttribute | undefined {
    const index = this.#type(resourceType)
    let found: { scope: AttributeScope, attribute: AttributeDefinition } | undefined
    if (path.uri !== undefined) {
      const scope = index.scopeByUrn.get(nameKey(path.uri))
      const attribute = scope === undefined ? undefined : this.attribute(scope, path.attribute)
      found = attribute === undefined ? undefined : { scope: scope!, attribute }
    } else {
      found = index.unqualified.get(nameKey(path.attribute))
    }
    if (found === undefined) return undefined
    const resolved: ResolvedAttribute = { schema: found.scope.schema, extension: found.scope.extension, attribute: found.attribute }
    if (path.subAttribute === undefined) return resolved
    const subAttribute = this.subAttribute(found.attribute, path.subAttribute)
    return subAttribute === undefined ? undefined : { ...resolved, subAttribute }
  }

  /** The ajv validator of a write representation (see validate.ts), compiled at construction. */
  writeValidator (resourceType: string): ValidateFunction {
    return this.#type(resourceType).validateWrite
  }

  #type (name: string): ResourceTypeIndex {
    const index = this.#types.get(nameKey(name))
    if (index === undefined) throw new Error(`Unknown SCIM resource type: ${name}`)
    return index
  }

  #schemaOf (urn: string): SchemaResource {
    // files.ts has checked that every referenced schema exists.
    return this.#schemaById.get(nameKey(urn))!
  }

  #indexSubAttributes (attribute: AttributeDefinition): void {
    if (attribute.subAttributes !== undefined && !this.#subAttributes.has(attribute)) {
      this.#subAttributes.set(attribute, byName(attribute.subAttributes, attribute.name))
    }
  }

  #unqualifiedNames (scopes: AttributeScope[]): ResourceTypeIndex['unqualified'] {
    const names: ResourceTypeIndex['unqualified'] = new Map()
    const [core, ...extensions] = scopes
    for (const attribute of core!.attributes) names.set(nameKey(attribute.name), { scope: core!, attribute })
    const ambiguous = new Set<string>()
    for (const scope of extensions) {
      for (const attribute of scope.attributes) {
        const key = nameKey(attribute.name)
        if (names.get(key)?.scope === core) continue
        if (names.has(key)) ambiguous.add(key)
        else names.set(key, { scope, attribute })
      }
    }
    for (const key of ambiguous) names.delete(key)
    return names
  }
}

function byName (attributes: readonly AttributeDefinition[], where: string): Map<string, AttributeDefinition> {
  const map = new Map<string, AttributeDefinition>()
  for (const attribute of attributes) {
    // The common attributes (id, externalId, meta) must not be redefined by a core schema.
    if (map.has(nameKey(attribute.name))) throw new Error(`${where}: attribute "${attribute.name}" is defined twice`)
    map.set(nameKey(attribute.name), attribute)
  }
  return map
}

// Served documents are shared by every request: freezing them turns an accidental mutation into an error.
function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
