import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MikroORM } from '@mikro-orm/postgresql'
import { loadConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'

/** The smallest part of tap's Test that the helpers need. */
export interface Teardown { teardown: (fn: () => unknown) => void }

/**
 * A database of its own for one test file: with TEST_DATABASE_URL, a new PostgreSQL database on that
 * server (dropped afterwards); without it, undefined = the embedded database, in memory.
 */
export async function freshDatabaseUrl (t: Teardown): Promise<string | undefined> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (serverUrl === undefined || serverUrl === '') return undefined
  const name = `carescim_test_${randomBytes(6).toString('hex')}`
  await withAdminConnection(serverUrl, async orm => { await orm.em.getConnection().execute(`create database "${name}"`) })
  t.teardown(async () => {
    await withAdminConnection(serverUrl, async orm => { await orm.em.getConnection().execute(`drop database if exists "${name}" with (force)`) })
  })
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function withAdminConnection (url: string, work: (orm: MikroORM) => Promise<void>): Promise<void> {
  const orm = await MikroORM.init({ clientUrl: url, entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true, pool: { min: 0, max: 1 } })
  try {
    await work(orm)
  } finally {
    await orm.close(true)
  }
}

export function temporaryDirectory (t: Teardown, prefix = 'carescim-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const TEST_SECRETS = {
  SESSION_SIGNING_KEY: 'test-session-signing-key-0123456789abcdef',
  NATIONAL_ID_HMAC_KEY: 'test-national-id-hmac-key-0123456789abcdef',
  ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef-0123'
}

export function testConfig (overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    env: { LOG_LEVEL: 'silent', PUBLIC_URL: 'http://carescim.test', TOKEN_CACHE_TTL_MS: '0', NODE_ENV: 'test', ...TEST_SECRETS, ...overrides }
  })
}
