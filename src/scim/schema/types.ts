/**
 * SCIM schema definitions as served by /Schemas and /ResourceTypes.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7 (schema definition)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6 (resource types)
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.2 (characteristics and their defaults)
 */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary'
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
export type Returned = 'always' | 'never' | 'default' | 'request'
export type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDefinition {
  name: string
  type: AttributeType
  multiValued: boolean
  description?: string
  required: boolean
  caseExact: boolean
  mutability: Mutability
  returned: Returned
  uniqueness: Uniqueness
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: AttributeDefinition[]
}

export interface SchemaDefinition {
  id: string
  name?: string
  description?: string
  attributes: AttributeDefinition[]
}

export interface ResourceTypeDefinition {
  id: string
  name: string
  endpoint: string
  description?: string
  schema: string
  schemaExtensions?: Array<{ schema: string, required: boolean }>
}

export const SCHEMA_URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema'
} as const
