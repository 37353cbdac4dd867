import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { configJsonSchema, SECRET_SETTINGS, SETTINGS, type Config, type Secrets } from './schema.js'

/** A bad setting: the message is one line naming the setting and what is allowed. */
export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv
  /** Folder with default.json and optional <NODE_ENV>.json / local.json. */
  configDir?: string
}

const ajv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: false })
addFormats.default(ajv)
const validate = ajv.compile(configJsonSchema)

export function defaultConfigDirectory (): string {
  // src/config/load.ts and dist/config/load.js are both two levels below the package root
  return new URL('../../config/', import.meta.url).pathname
}

/** Environment variables over config/ files; validated; secrets resolved. */
export function loadConfig ({ env = process.env, configDir = defaultConfigDirectory() }: LoadConfigOptions = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const file of ['default.json', `${env.NODE_ENV ?? 'development'}.json`, 'local.json']) {
    const path = join(configDir, file)
    if (existsSync(path)) Object.assign(raw, readJson(path))
  }
  const secrets: Record<string, unknown> = { ...(raw.secrets as object | undefined) }
  for (const setting of SETTINGS) {
    const value = env[setting.env]
    if (value === undefined || value === '') continue
    if (setting.key.startsWith('secrets.')) secrets[setting.key.slice('secrets.'.length)] = value
    else raw[setting.key] = value
  }
  raw.secrets = secrets

  // Check everything but the secrets first: resolving secrets needs a valid dataDir.
  const candidate = { ...raw, publicUrl: raw.publicUrl ?? `http://${String(raw.host)}:${String(raw.port)}`, secrets: placeholderSecrets() }
  check(candidate)
  const config = candidate as unknown as Config
  config.publicUrl = config.publicUrl.replace(/\/+$/, '')
  config.dataDir = resolve(config.dataDir)
  config.secrets = resolveSecrets(secrets, config)
  check(config)
  return config
}

function check (candidate: unknown): void {
  if (validate(candidate)) return
  const error = validate.errors?.[0]
  if (error === undefined) throw new ConfigError('Invalid configuration')
  const path = error.instancePath.split('/').filter(Boolean)
  const key = error.keyword === 'additionalProperties'
    ? String((error.params as { additionalProperty: string }).additionalProperty)
    : path.join('.')
  const setting = SETTINGS.find(s => s.key === key)
  if (setting === undefined) throw new ConfigError(`Invalid configuration: unknown setting "${key}" (known: ${SETTINGS.map(s => s.key).join(', ')})`)
  const got = path.reduce<unknown>((value, part) => (value as Record<string, unknown>)?.[part], candidate)
  const shown = setting.key.startsWith('secrets.') ? '(hidden)' : JSON.stringify(got)
  throw new ConfigError(`Invalid setting ${setting.env}: must be ${setting.allowed} (got ${shown})`)
}

function placeholderSecrets (): Secrets {
  const filler = 'x'.repeat(32)
  return { sessionSigningKey: filler, nationalIdHmacKey: filler, encryptionKey: filler }
}

/**
 * With DATABASE_URL the secrets must come from the environment (several processes must share them);
 * in embedded mode they are generated once into DATA_DIR/secrets.json so that `npm start` just works.
 */
function resolveSecrets (given: Record<string, unknown>, config: Config): Secrets {
  const missing = SECRET_SETTINGS.filter(s => given[s.key] === undefined)
  if (missing.length === 0) return given as unknown as Secrets
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(`Missing setting ${missing.map(s => s.env).join(', ')}: required when DATABASE_URL is set (a random string of at least 32 characters, e.g. from \`openssl rand -base64 48\`)`)
  }
  const file = join(config.dataDir, 'secrets.json')
  const stored = existsSync(file) ? readJson(file) as Record<string, string> : {}
  let generated = false
  for (const setting of missing) {
    if (typeof stored[setting.key] !== 'string') {
      stored[setting.key] = randomBytes(48).toString('base64url')
      generated = true
    }
  }
  if (generated) {
    mkdirSync(config.dataDir, { recursive: true })
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
  }
  return { ...stored, ...given } as unknown as Secrets
}

function readJson (path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch (error) {
    throw new ConfigError(`Invalid configuration file ${path}: ${(error as Error).message}`)
  }
}
