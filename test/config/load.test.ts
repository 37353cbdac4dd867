import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'
import { temporaryDirectory } from '../helpers/database.js'

const secrets = {
  SESSION_SIGNING_KEY: 's'.repeat(40),
  NATIONAL_ID_HMAC_KEY: 'n'.repeat(40),
  ENCRYPTION_KEY: 'e'.repeat(40)
}

t.test('defaults from config/default.json, PUBLIC_URL derived from HOST and PORT', async t => {
  const dataDir = temporaryDirectory(t)
  const config = loadConfig({ env: { DATA_DIR: dataDir } })
  t.equal(config.host, '127.0.0.1')
  t.equal(config.port, 8080)
  t.equal(config.publicUrl, 'http://127.0.0.1:8080')
  t.equal(config.databaseUrl, undefined)
  t.equal(config.logLevel, 'info')
})

t.test('environment variables override the files and are coerced', async t => {
  const config = loadConfig({
    env: { DATA_DIR: temporaryDirectory(t), PORT: '9090', HOST: '0.0.0.0', PUBLIC_URL: 'https://scim.example.org/', LOG_LEVEL: 'debug', DATABASE_URL: 'postgres://u@db:5432/carescim', ...secrets }
  })
  t.equal(config.port, 9090)
  t.equal(config.host, '0.0.0.0')
  t.equal(config.publicUrl, 'https://scim.example.org', 'trailing slash removed')
  t.equal(config.databaseUrl, 'postgres://u@db:5432/carescim')
  t.equal(config.secrets.sessionSigningKey, secrets.SESSION_SIGNING_KEY)
})

t.test('a bad value stops with one line naming the setting and what is allowed', async t => {
  const dataDir = temporaryDirectory(t)
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PORT: 'abc' }, 'Invalid setting PORT: must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'Invalid setting PORT: must be an integer from 0 to 65535 (got 70000)'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid setting LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DATABASE_URL: 'mysql://x', ...secrets }, 'Invalid setting DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://x")'],
    [{ PUBLIC_URL: 'ftp://x' }, 'Invalid setting PUBLIC_URL: must be an http:// or https:// URL (got "ftp://x")'],
    [{ SESSION_SIGNING_KEY: 'short' }, 'Invalid setting SESSION_SIGNING_KEY: must be a random string of at least 32 characters (got (hidden))']
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig({ env: { DATA_DIR: dataDir, ...env } }), new ConfigError(message), message)
  }
})

t.test('secrets are required from the environment when DATABASE_URL is set', async t => {
  t.throws(
    () => loadConfig({ env: { DATA_DIR: temporaryDirectory(t), DATABASE_URL: 'postgres://u@db/x' } }),
    { name: 'ConfigError', message: /^Missing setting SESSION_SIGNING_KEY, NATIONAL_ID_HMAC_KEY, ENCRYPTION_KEY: required when DATABASE_URL is set/ }
  )
})

t.test('embedded mode generates secrets into DATA_DIR once and keeps them', async t => {
  const dataDir = temporaryDirectory(t)
  const first = loadConfig({ env: { DATA_DIR: dataDir } })
  const file = join(dataDir, 'secrets.json')
  t.ok(existsSync(file))
  t.equal(readFileSync(file, 'utf8').includes(first.secrets.sessionSigningKey), true)
  const second = loadConfig({ env: { DATA_DIR: dataDir } })
  t.same(second.secrets, first.secrets, 'same secrets after a restart')
  t.not(first.secrets.sessionSigningKey, first.secrets.encryptionKey)
})

t.test('config files: an unknown setting is named', async t => {
  const configDir = temporaryDirectory(t)
  writeFileSync(join(configDir, 'default.json'), JSON.stringify({ host: '127.0.0.1', port: 1, dataDir: temporaryDirectory(t), logLevel: 'info', databasePoolMax: 1, tokenCacheTtlMs: 0, mailFrom: 'a@b.c', activationLinkTtlHours: 24, colour: 'blue' }))
  t.throws(() => loadConfig({ env: {}, configDir }), { message: /^Invalid configuration: unknown setting "colour"/ })
})

t.test('the server process exits non-zero with the one line on stderr', async t => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: 'not-a-port', DATA_DIR: temporaryDirectory(t) },
    encoding: 'utf8',
    timeout: 60_000
  })
  t.equal(result.status, 1)
  t.equal(result.stderr.trim(), 'carescim: Invalid setting PORT: must be an integer from 0 to 65535 (got "not-a-port")')
})
