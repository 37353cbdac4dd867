/**
 * The attributes every resource carries whatever its schema: id, externalId and meta.
 * They are not part of any schema's `attributes` (so /Schemas does not list them), but filters,
 * PATCH paths, projection and validation resolve them like any other attribute.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1
 */
import type { AttributeDefinition } from './types.js'

const readOnlyDefault = { multiValued: false, required: false, mutability: 'readOnly', returned: 'default', uniqueness: 'none' } as const

export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze([
  {
    name: 'id',
    type: 'string',
    multiValued: false,
    description: 'A unique identifier for a SCIM resource as defined by the service provider.',
    // "required": the service provider always assigns it; clients never send it (it is readOnly).
    required: true,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server'
  },
  {
    name: 'externalId',
    type: 'string',
    multiValued: false,
    description: 'A String that is an identifier for the resource as defined by the provisioning client.',
    required: false,
    caseExact: true,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none'
  },
  {
    name: 'meta',
    type: 'complex',
    description: 'A complex attribute containing resource metadata.',
    caseExact: false,
    ...readOnlyDefault,
    subAttributes: [
      { name: 'resourceType', type: 'string', description: 'The name of the resource type of the resource.', caseExact: true, ...readOnlyDefault },
      { name: 'created', type: 'dateTime', description: 'The "DateTime" that the resource was added to the service provider.', caseExact: false, ...readOnlyDefault },
      { name: 'lastModified', type: 'dateTime', description: 'The most recent DateTime that the details of this resource were updated at the service provider.', caseExact: false, ...readOnlyDefault },
      { name: 'location', type: 'reference', referenceTypes: ['uri'], description: 'The URI of the resource being returned.', caseExact: true, ...readOnlyDefault },
      { name: 'version', type: 'string', description: 'The version of the resource being returned.', caseExact: true, ...readOnlyDefault }
    ]
  }
] satisfies AttributeDefinition[])
