import type { MikroORM } from '@mikro-orm/postgresql'
import { startEmbeddedPostgres } from './embedded-postgres.js'
import { initORM, migrate } from './orm.js'

export interface DatabaseOptions {
  databaseUrl: string | undefined
  /** Where the embedded database lives; undefined = in memory. Ignored with databaseUrl. */
  dataDir: string | undefined
  poolMax: number
}

export interface Database {
  orm: MikroORM
  /** For the start banner: which database this is, without credentials. */
  description: string
  embedded: boolean
  migrate: () => Promise<string[]>
  /** Throws when the database cannot answer. */
  ping: () => Promise<void>
  close: () => Promise<void>
}

export async function openDatabase ({ databaseUrl, dataDir, poolMax }: DatabaseOptions): Promise<Database> {
  const embedded = databaseUrl === undefined ? await startEmbeddedPostgres(dataDir) : undefined
  try {
    const clientUrl = databaseUrl ?? embedded!.clientUrl
    const orm = await initORM({ clientUrl, poolMax: embedded === undefined ? poolMax : 1 })
    return {
      orm,
      embedded: embedded !== undefined,
      description: embedded === undefined
        ? `PostgreSQL at ${redactUrl(clientUrl)}`
        : `embedded PostgreSQL (PGlite) ${dataDir === undefined ? 'in memory' : 'in ' + dataDir}`,
      migrate: async () => await migrate(orm),
      ping: async () => { await orm.em.getConnection().execute('select 1') },
      close: async () => {
        await orm.close(true)
        await embedded?.stop()
      }
    }
  } catch (error) {
    await embedded?.stop()
    throw error
  }
}

function redactUrl (url: string): string {
  const parsed = new URL(url)
  if (parsed.password !== '') parsed.password = '***'
  return parsed.toString()
}
