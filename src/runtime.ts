import type { Config } from './config/schema.js'
import { TenantService } from './domain/tenants/tenant-service.js'
import { openDatabase, type Database } from './persistence/database.js'
import { MikroTenantStore } from './persistence/stores/tenant-store.js'
import { defaultSchemaDirectory, SchemaRegistry } from './scim/schema/registry.js'

/** The composition root shared by the server and the CLI: one database, the domain services on it. */
export interface Runtime {
  config: Config
  database: Database
  tenants: TenantService
  registry: SchemaRegistry
  close: () => Promise<void>
}

export interface OpenRuntimeOptions {
  /** Apply pending migrations (the server always does; `carescim migrate` reports them). */
  migrate?: boolean
  /** Tests: an in-memory embedded database instead of DATA_DIR. */
  inMemory?: boolean
  onMigrated?: (applied: string[]) => void
}

export async function openRuntime (config: Config, { migrate = true, inMemory = false, onMigrated }: OpenRuntimeOptions = {}): Promise<Runtime> {
  const registry = SchemaRegistry.fromDirectory(defaultSchemaDirectory())
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: inMemory ? undefined : config.dataDir,
    poolMax: config.databasePoolMax
  })
  try {
    if (migrate) {
      const applied = await database.migrate()
      onMigrated?.(applied)
    }
  } catch (error) {
    await database.close()
    throw error
  }
  return {
    config,
    database,
    registry,
    tenants: new TenantService(new MikroTenantStore(database.orm), config.tokenCacheTtlMs),
    close: async () => await database.close()
  }
}
