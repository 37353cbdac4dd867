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
  /**
   * Runs `work`, inside the change's transaction, with the active holders counted before and after
   * (`countHolders` takes the lock such counts share): refused when it took the role from the last one.
   */
  keep: <T>(countHolders: (roles: string[]) => Promise<number>, work: () => Promise<T>) => Promise<T>
}

export function administratorGuard (settings: TenantSettings): AdministratorGuard {
  const roles = administratorRoles(roleCatalogueOf(settings))
  return {
    roles,
    keep: async (countHolders, work) => {
      const before = await countHolders(roles)
      const result = await work()
      if (before > 0 && await countHolders(roles) === 0) {
        throw conflict('This change would leave the tenant without an active user administrator: make someone else user administrator first')
      }
      return result
    }
  }
}
