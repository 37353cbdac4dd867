/**
 * Reads and checks the scim-schemas/ folder: every `*.json` is a Schema resource (RFC 7643 §7),
 * except ResourceTypes.json (an array of RFC 7643 §6 resource types) and ServiceProviderConfig.json
 * (RFC 7643 §5). A new schema (an extension, say) is one more file: nothing here lists them.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 *
 * Start-up only: a malformed file stops the server with a message naming the file and the problem.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js'
import { SCHEMA_URN } from './types.js'

export const RESOURCE_TYPES_FILE = 'ResourceTypes.json'
export const SERVICE_PROVIDER_CONFIG_FILE = 'ServiceProviderConfig.json'

interface Meta { resourceType: string, location: string }

/** A schema as /Schemas serves it. */
export interface SchemaResource extends SchemaDefinition { schemas: string[], meta: Meta }
/** A resource type as /ResourceTypes serves it. */
export interface ResourceTypeResource extends ResourceTypeDefinition { schemas: string[], meta: Meta }

/** @see https://www.rfc-editor.org/rfc/rfc7643#section-5 */
export interface ServiceProviderConfig {
  schemas: string[]
  documentationUri?: string
  patch: { supported: boolean }
  bulk: { supported: boolean, maxOperations: number, maxPayloadSize: number }
  filter: { supported: boolean, maxResults: number }
  changePassword: { supported: boolean }
  sort: { supported: boolean }
  etag: { supported: boolean }
  authenticationSchemes: Array<{ type: string, name: string, description: string, specUri?: string, documentationUri?: string, primary?: boolean }>
  meta: Meta
}

export interface SchemaFiles {
  schemas: SchemaResource[]
  resourceTypes: ResourceTypeResource[]
  serviceProviderConfig: ServiceProviderConfig
}

const supported = { type: 'object', required: ['supported'], properties: { supported: { type: 'boolean' } } }
const meta = (resourceType: string) => ({
  type: 'object',
  required: ['resourceType', 'location'],
  properties: { resourceType: { const: resourceType }, location: { type: 'string', pattern: '^/' } },
  additionalProperties: false
})

// RFC 7643 §2.1 ATTRNAME (plus "$ref", which §2.3.7 allows for sub-attributes).
const attributeJsonSchema = {
  $id: 'scim-attribute',
  type: 'object',
  required: ['name', 'type', 'multiValued', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'],
  properties: {
    name: { type: 'string', pattern: '^(\\$ref|[A-Za-z][A-Za-z0-9_-]*)$' },
    type: { enum: ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'] },
    multiValued: { type: 'boolean' },
    description: { type: 'string' },
    required: { type: 'boolean' },
    caseExact: { type: 'boolean' },
    mutability: { enum: ['readOnly', 'readWrite', 'immutable', 'writeOnly'] },
    returned: { enum: ['always', 'never', 'default', 'request'] },
    uniqueness: { enum: ['none', 'server', 'global'] },
    canonicalValues: { type: 'array', items: { type: 'string' } },
    referenceTypes: { type: 'array', items: { type: 'string' }, minItems: 1 },
    subAttributes: { type: 'array', items: { $ref: 'scim-attribute' }, minItems: 1 }
  },
  additionalProperties: false
}

const schemaFileJsonSchema = {
  type: 'object',
  required: ['schemas', 'id', 'name', 'attributes', 'meta'],
  properties: {
    schemas: { const: [SCHEMA_URN.schema] },
    id: { type: 'string', pattern: '^urn:' },
    name: { type: 'string' },
    description: { type: 'string' },
    attributes: { type: 'array', items: { $ref: 'scim-attribute' } },
    meta: meta('Schema')
  },
  additionalProperties: false
}

const resourceTypesFileJsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['schemas', 'id', 'name', 'endpoint', 'schema', 'meta'],
    properties: {
      schemas: { const: [SCHEMA_URN.resourceType] },
      id: { type: 'string' },
      name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
      endpoint: { type: 'string', pattern: '^/[A-Za-z0-9_-]+$' },
      description: { type: 'string' },
      schema: { type: 'string' },
      schemaExtensions: {
        type: 'array',
        items: { type: 'object', required: ['schema', 'required'], properties: { schema: { type: 'string' }, required: { type: 'boolean' } }, additionalProperties: false }
      },
      meta: meta('ResourceType')
    },
    additionalProperties: false
  }
}

const serviceProviderConfigJsonSchema = {
  type: 'object',
  required: ['schemas', 'patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'authenticationSchemes', 'meta'],
  properties: {
    schemas: { const: [SCHEMA_URN.serviceProviderConfig] },
    documentationUri: { type: 'string' },
    patch: supported,
    bulk: { type: 'object', required: ['supported', 'maxOperations', 'maxPayloadSize'], properties: { supported: { type: 'boolean' }, maxOperations: { type: 'integer', minimum: 0 }, maxPayloadSize: { type: 'integer', minimum: 0 } } },
    filter: { type: 'object', required: ['supported', 'maxResults'], properties: { supported: { type: 'boolean' }, maxResults: { type: 'integer', minimum: 0 } } },
    changePassword: supported,
    sort: supported,
    etag: supported,
    authenticationSchemes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'name', 'description'],
        properties: { type: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, specUri: { type: 'string' }, documentationUri: { type: 'string' }, primary: { type: 'boolean' } }
      }
    },
    meta: meta('ServiceProviderConfig')
  }
}

const ajv = new Ajv({ allErrors: false, strict: true })
ajv.addSchema(attributeJsonSchema)
const checkSchemaFile = ajv.compile(schemaFileJsonSchema)
const checkResourceTypesFile = ajv.compile(resourceTypesFileJsonSchema)
const checkServiceProviderConfigFile = ajv.compile(serviceProviderConfigJsonSchema)

/** Reads every file of `dir` once (synchronously: this runs at start-up, before listening). */
export function readSchemaDirectory (dir: string): SchemaFiles {
  const names = readdirSync(dir).filter(name => name.endsWith('.json')).sort()
  const read = (name: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8'))
    } catch (err) {
      throw new Error(`${join(dir, name)}: ${(err as Error).message}`, { cause: err })
    }
  }
  if (!names.includes(RESOURCE_TYPES_FILE)) throw new Error(`${dir}: ${RESOURCE_TYPES_FILE} is missing`)
  if (!names.includes(SERVICE_PROVIDER_CONFIG_FILE)) throw new Error(`${dir}: ${SERVICE_PROVIDER_CONFIG_FILE} is missing`)
  const schemas = names
    .filter(name => name !== RESOURCE_TYPES_FILE && name !== SERVICE_PROVIDER_CONFIG_FILE)
    .map(name => ({ name, content: read(name) }))
  return checkSchemaFiles({
    schemas,
    resourceTypes: read(RESOURCE_TYPES_FILE),
    serviceProviderConfig: read(SERVICE_PROVIDER_CONFIG_FILE)
  })
}

/** Checks already-parsed files (tests build registries from objects through this too). */
export function checkSchemaFiles (input: { schemas: Array<{ name: string, content: unknown }>, resourceTypes: unknown, serviceProviderConfig: unknown }): SchemaFiles {
  const schemas = input.schemas.map(({ name, content }) => {
    const schema = shape<SchemaResource>(checkSchemaFile, content, name)
    checkAttributes(schema.attributes, name)
    expect(schema.meta.location === `/Schemas/${schema.id}`, name, `meta.location must be "/Schemas/${schema.id}"`)
    return schema
  })
  const ids = new Set<string>()
  for (const schema of schemas) {
    expect(!ids.has(schema.id.toLowerCase()), schema.id, 'the schema id is defined twice')
    ids.add(schema.id.toLowerCase())
  }

  const resourceTypes = shape<ResourceTypeResource[]>(checkResourceTypesFile, input.resourceTypes, RESOURCE_TYPES_FILE)
  const seen = new Set<string>()
  for (const rt of resourceTypes) {
    const where = `${RESOURCE_TYPES_FILE} (${rt.name})`
    for (const key of [`name:${rt.name}`, `endpoint:${rt.endpoint}`]) {
      expect(!seen.has(key.toLowerCase()), where, `duplicate ${key}`)
      seen.add(key.toLowerCase())
    }
    expect(rt.meta.location === `/ResourceTypes/${rt.id}`, where, `meta.location must be "/ResourceTypes/${rt.id}"`)
    const urns = [rt.schema, ...(rt.schemaExtensions ?? []).map(ext => ext.schema)]
    for (const urn of urns) expect(ids.has(urn.toLowerCase()), where, `schema ${urn} has no file in the schema folder`)
    expect(new Set(urns.map(urn => urn.toLowerCase())).size === urns.length, where, 'a schema is listed twice')
  }

  const serviceProviderConfig = shape<ServiceProviderConfig>(checkServiceProviderConfigFile, input.serviceProviderConfig, SERVICE_PROVIDER_CONFIG_FILE)
  return { schemas: servedOrder(schemas, resourceTypes), resourceTypes, serviceProviderConfig }
}

/** Each resource type's core schema then its extensions, then any other schema by file name. */
function servedOrder (schemas: SchemaResource[], resourceTypes: ResourceTypeResource[]): SchemaResource[] {
  const urns = resourceTypes.flatMap(rt => [rt.schema, ...(rt.schemaExtensions ?? []).map(ext => ext.schema)]).map(urn => urn.toLowerCase())
  const rank = (schema: SchemaResource) => {
    const at = urns.indexOf(schema.id.toLowerCase())
    return at === -1 ? urns.length : at
  }
  return schemas.map((schema, at) => ({ schema, at })).sort((a, b) => rank(a.schema) - rank(b.schema) || a.at - b.at).map(({ schema }) => schema)
}

function shape<T> (check: ValidateFunction, content: unknown, where: string): T {
  if (!check(content)) throw new Error(`${where}: ${ajv.errorsText(check.errors, { dataVar: where.replace(/\.json$/, '') })}`)
  return content as T
}

/** RFC 7643 §2.3.8 and §7 rules that a JSON Schema cannot say. */
function checkAttributes (attributes: AttributeDefinition[], where: string, parent?: string): void {
  const names = new Set<string>()
  for (const attribute of attributes) {
    const label = parent === undefined ? attribute.name : `${parent}.${attribute.name}`
    expect(!names.has(attribute.name.toLowerCase()), where, `attribute "${label}" is defined twice (names are case-insensitive)`)
    names.add(attribute.name.toLowerCase())
    const complex = attribute.type === 'complex'
    expect(complex === (attribute.subAttributes !== undefined), where, `attribute "${label}": subAttributes belong to complex attributes, and only to them`)
    expect(attribute.referenceTypes === undefined || attribute.type === 'reference', where, `attribute "${label}": referenceTypes belong to reference attributes`)
    if (attribute.subAttributes !== undefined) {
      // "A complex attribute MUST NOT contain sub-attributes that have sub-attributes."
      expect(parent === undefined, where, `attribute "${label}": a sub-attribute cannot be complex (RFC 7643 §2.3.8)`)
      checkAttributes(attribute.subAttributes, where, label)
    }
  }
}

function expect (condition: boolean, where: string, problem: string): asserts condition {
  if (!condition) throw new Error(`${where}: ${problem}`)
}
