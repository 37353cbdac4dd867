/** The schema-driven core: registry and resolver, write validation, output projection. */
export { defaultSchemaDirectory, nameKey, SchemaRegistry } from './registry.js'
export type { AttributeScope, ResolvedAttribute, ResourceTypeResource, SchemaResource, ServiceProviderConfig } from './registry.js'
export { COMMON_ATTRIBUTES } from './common-attributes.js'
export { checkImmutable, prepareWrite, type WriteMode } from './validate.js'
export { compileProjection, parseAttributeList, project, type ProjectionOptions } from './project.js'
export * from './types.js'
