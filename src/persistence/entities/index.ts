export { Tenant } from './tenant.js'
export { ScimToken } from './scim-token.js'
import { Tenant } from './tenant.js'
import { ScimToken } from './scim-token.js'

export const entities = [Tenant, ScimToken]
