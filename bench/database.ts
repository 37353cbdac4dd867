import { randomBytes } from 'node:crypto'
import { loadConfig } from '../src/config/load.js'
import { initORM } from '../src/persistence/orm.js'
import { openRuntime, type Runtime } from '../src/runtime.js'

/**
 * The environment of every process of a run (seeder, server, floor): one database, one set of secrets,
 * the configured pool size. Secrets are random per run; nothing the benchmark reads depends on them.
 * The data directory is the run's own: without SMTP the server writes each mail there as a file (the
 * POST scenario's activation mails), and those should not pile up in the working tree's ./data.
 */
export function serverEnvironment (databaseUrl: string, dataDir: string): Record<string, string> {
  const secret = () => randomBytes(48).toString('base64url')
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    SESSION_SIGNING_KEY: secret(),
    NATIONAL_ID_HMAC_KEY: secret(),
    ENCRYPTION_KEY: secret()
  }
}

/** Creates the bench database when it does not exist (through the `postgres` maintenance database). */
export async function ensureDatabase (databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl)
  const name = url.pathname.slice(1)
  url.pathname = '/postgres'
  const orm = await initORM({ clientUrl: url.toString(), poolMax: 1 })
  try {
    const connection = orm.em.getConnection()
    const found = await connection.execute<Array<{ one: number }>>('select 1 as one from pg_database where datname = ?', [name])
    if (found.length > 0) return false
    // The name is checked by benchSettings (letters, digits, _): safe to quote as an identifier.
    await connection.execute(`create database "${name}"`)
    return true
  } finally {
    await orm.close(true)
  }
}

/**
 * Statements still running in the bench database (other than its own): a scenario whose clients gave up
 * leaves the server's queries behind, and they would slow the next scenario down.
 */
export interface DatabaseMonitor {
  activeStatements: () => Promise<number>
  close: () => Promise<void>
}

export async function openMonitor (databaseUrl: string): Promise<DatabaseMonitor> {
  const orm = await initORM({ clientUrl: databaseUrl, poolMax: 1 })
  const connection = orm.em.getConnection()
  return {
    activeStatements: async () => {
      const [row] = await connection.execute<Array<{ n: string }>>(
        "select count(*) as n from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()")
      return Number(row?.n ?? 0)
    },
    close: async () => await orm.close(true)
  }
}

/** Raw SQL on the runtime's connection, outside any transaction (knex `?` placeholders). */
export type Execute = <T>(sql: string, params?: unknown[]) => Promise<T[]>

export function executor (runtime: Runtime): Execute {
  const connection = runtime.database.orm.em.getConnection()
  return async <T>(sql: string, params: unknown[] = []) => await connection.execute<T[]>(sql, params as never[])
}

/** The server's own composition root on the bench database (applies the migrations, as the server does). */
export async function openBenchRuntime (environment: Record<string, string>): Promise<Runtime> {
  return await openRuntime(loadConfig({ env: environment }))
}
