/**
 * Derives, from the SCIM attribute definitions, the JSON Schema that a client's representation
 * must satisfy once validate.ts has canonicalised names, dropped readOnly attributes and
 * unassigned values. Ajv compiles it once per resource type, at registry construction.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3 (data types)
 *
 * Every schema node carries a `title` with the expected type in words: error messages quote it.
 */
import type { SchemaObject } from 'ajv'
import type { AttributeDefinition } from './types.js'

/** The attributes a resource type's representation holds: core at the top level, extensions under their URN. */
export interface WriteScope {
  schema: string
  extension: boolean
  required: boolean
  attributes: readonly AttributeDefinition[]
}

export function writeJsonSchema (scopes: readonly WriteScope[]): SchemaObject {
  const properties: Record<string, SchemaObject> = { schemas: { type: 'array', items: { type: 'string' }, title: 'an array of schema URIs' } }
  const required: string[] = []
  for (const scope of scopes) {
    const object = objectSchema(scope.attributes, 'a JSON object')
    if (!scope.extension) {
      Object.assign(properties, object.properties)
      required.push(...object.required as string[])
    } else {
      properties[scope.schema] = object
      if (scope.required) required.push(scope.schema)
    }
  }
  return { type: 'object', title: 'a JSON object', properties, required, additionalProperties: false }
}

function objectSchema (attributes: readonly AttributeDefinition[], title: string): SchemaObject & { properties: Record<string, SchemaObject> } {
  const properties: Record<string, SchemaObject> = {}
  const required: string[] = []
  // readOnly values are dropped before validation (RFC 7644 §3.5.1 "SHALL be ignored"), so a
  // required readOnly attribute such as id is never demanded from a client.
  for (const attribute of attributes.filter(a => a.mutability !== 'readOnly')) {
    properties[attribute.name] = attributeSchema(attribute)
    if (attribute.required) required.push(attribute.name)
  }
  return { type: 'object', title, properties, required, additionalProperties: false }
}

function attributeSchema (attribute: AttributeDefinition): SchemaObject {
  const single = valueSchema(attribute)
  if (!attribute.multiValued) return single
  return { type: 'array', items: single, title: `an array of ${(single.title as string).replace(/^an? /, '')} values` }
}

function valueSchema (attribute: AttributeDefinition): SchemaObject {
  switch (attribute.type) {
    case 'string':
      // "Each User MUST include a non-empty userName value" (RFC 7643 §4.1.1): required strings are non-empty.
      return attribute.required ? { type: 'string', minLength: 1, title: 'a non-empty string' } : { type: 'string', title: 'a string' }
    case 'boolean': return { type: 'boolean', title: 'a boolean' }
    case 'integer': return { type: 'integer', title: 'an integer' }
    case 'decimal': return { type: 'number', title: 'a decimal' }
    // xsd:dateTime (RFC 7643 §2.3.5): the time zone offset is optional there, hence iso-date-time.
    case 'dateTime': return { type: 'string', format: 'iso-date-time', title: 'a dateTime (xsd:dateTime, e.g. 2008-01-23T04:56:22Z)' }
    case 'reference': return { type: 'string', title: 'a reference (URI string)' }
    // RFC 7643 §2.3.6: base64 (RFC 4648 §4); ajv-formats calls it "byte".
    case 'binary': return { type: 'string', format: 'byte', title: 'a binary (base64 string)' }
    case 'complex': return objectSchema(attribute.subAttributes ?? [], 'a complex (JSON object)')
  }
}
