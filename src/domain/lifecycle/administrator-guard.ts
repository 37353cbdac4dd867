import { administratorRoles } from '../access/catalogue.js'
import { conflict } from '../errors.js'
import { roleCatalogueOf, type TenantSettings } from '../tenants/tenant-service.js'

/**
 * A tenant always keeps an active user administrator. A group's change can take the role from members
 * (removing them, deleting the group, dropping it from the group's grants); the change that would take it
 * from the last active holder is refused. A user's own change is guarded in membership-lifecycle.ts.
 */
export interface AdministratorGuard {
  /** The tenant's roles that make their holder a user administrator. */
  roles: string[]
  refusal: () => Error
}

export function administratorGuard (settings: TenantSettings): AdministratorGuard {
  return {
    roles: administratorRoles(roleCatalogueOf(settings)),
    refusal: () => conflict('This change would leave the tenant without an active user administrator: make someone else user administrator first')
  }
}
