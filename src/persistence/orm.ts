import { defineConfig, MikroORM } from '@mikro-orm/postgresql'
import { Migrator } from '@mikro-orm/migrations'
import { entities } from './entities/index.js'
import { migrationsList } from './migrations/index.js'

export interface OrmOptions {
  clientUrl: string
  poolMax: number
  /** Connect over a unix socket in this folder instead of the URL's host. */
  socketDirectory?: string
}

export function ormConfig ({ clientUrl, poolMax }: OrmOptions) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    // No request may fall back to a shared identity map: every request forks its own EntityManager.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      path: 'src/persistence/migrations',
      pathTs: 'src/persistence/migrations',
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name !== undefined && name !== '' ? '_' + name : ''}`
    },
    debug: false,
    // The migrator's progress lines go through our own output (CLI progress, server log), not the console.
    logger: () => {}
  })
}

export async function initORM (options: OrmOptions): Promise<MikroORM> {
  return await MikroORM.init(ormConfig(options))
}

export async function migrate (orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up()
  return applied.map(m => m.name)
}
