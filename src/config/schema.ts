/**
 * The configuration contract: every setting, its environment variable, default and meaning.
 * The README's configuration table is written from this list; keep them in step.
 */
export interface Config {
  host: string
  port: number
  /** Base URL that links in mails and Location headers use. Defaults to http://HOST:PORT. */
  publicUrl: string
  /** PostgreSQL connection URL; unset = embedded PostgreSQL (PGlite) under dataDir. */
  databaseUrl: string | undefined
  dataDir: string
  databasePoolMax: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  smtpUrl: string | undefined
  mailFrom: string
  /** How long a SCIM bearer token → tenant lookup may be served from the in-process cache. */
  tokenCacheTtlMs: number
  activationLinkTtlHours: number
  secrets: Secrets
}

export interface Secrets {
  sessionSigningKey: string
  nationalIdHmacKey: string
  encryptionKey: string
}

export interface SettingDescription {
  key: keyof Config | `secrets.${keyof Secrets}`
  env: string
  meaning: string
  /** What a valid value looks like, for the one-line error at start-up. */
  allowed: string
}

/** Secrets: required from the environment with DATABASE_URL; generated into DATA_DIR/secrets.json otherwise. */
export const SECRET_SETTINGS: Array<{ key: keyof Secrets, env: string, meaning: string }> = [
  { key: 'sessionSigningKey', env: 'SESSION_SIGNING_KEY', meaning: 'HMAC key for session JWTs (≥ 32 characters)' },
  { key: 'nationalIdHmacKey', env: 'NATIONAL_ID_HMAC_KEY', meaning: 'key for the keyed hash of national identifiers (≥ 32 characters)' },
  { key: 'encryptionKey', env: 'ENCRYPTION_KEY', meaning: 'key for secrets stored encrypted, e.g. IdP client secrets (≥ 32 characters)' }
]

export const SETTINGS: SettingDescription[] = [
  { key: 'databaseUrl', env: 'DATABASE_URL', meaning: 'PostgreSQL URL (postgres://user:pass@host:5432/db); unset = embedded PostgreSQL under DATA_DIR', allowed: 'a postgres:// or postgresql:// URL' },
  { key: 'dataDir', env: 'DATA_DIR', meaning: 'embedded database, generated secrets and the dev mail outbox', allowed: 'a directory path' },
  { key: 'host', env: 'HOST', meaning: 'interface to listen on', allowed: 'a host name or IP address' },
  { key: 'port', env: 'PORT', meaning: 'TCP port to listen on', allowed: 'an integer from 0 to 65535' },
  { key: 'publicUrl', env: 'PUBLIC_URL', meaning: 'external base URL used in mails and Location headers (default http://HOST:PORT)', allowed: 'an http:// or https:// URL' },
  { key: 'databasePoolMax', env: 'DATABASE_POOL_MAX', meaning: 'connections per process (the embedded database always uses 1)', allowed: 'an integer from 1 to 200' },
  { key: 'smtpUrl', env: 'SMTP_URL', meaning: 'SMTP server for mail, e.g. smtp://127.0.0.1:1025; unset = mails go to the log and DATA_DIR/outbox', allowed: 'an smtp:// or smtps:// URL' },
  { key: 'mailFrom', env: 'MAIL_FROM', meaning: 'sender of outgoing mail', allowed: 'a mail address, optionally with a display name' },
  { key: 'logLevel', env: 'LOG_LEVEL', meaning: 'log verbosity', allowed: 'one of fatal, error, warn, info, debug, trace, silent' },
  { key: 'tokenCacheTtlMs', env: 'TOKEN_CACHE_TTL_MS', meaning: 'how long a verified SCIM token is cached in-process (0 = never)', allowed: 'an integer from 0 to 60000' },
  { key: 'activationLinkTtlHours', env: 'ACTIVATION_LINK_TTL_HOURS', meaning: 'validity of activation and reset links', allowed: 'an integer from 1 to 720' },
  ...SECRET_SETTINGS.map(s => ({ key: `secrets.${s.key}` as const, env: s.env, meaning: s.meaning, allowed: 'a random string of at least 32 characters' }))
]

const secretSchema = { type: 'string', minLength: 32 }

export const configJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port', 'publicUrl', 'dataDir', 'databasePoolMax', 'logLevel', 'mailFrom', 'tokenCacheTtlMs', 'activationLinkTtlHours', 'secrets'],
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    publicUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    dataDir: { type: 'string', minLength: 1 },
    databasePoolMax: { type: 'integer', minimum: 1, maximum: 200 },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    smtpUrl: { type: 'string', pattern: '^smtps?://' },
    mailFrom: { type: 'string', minLength: 3 },
    tokenCacheTtlMs: { type: 'integer', minimum: 0, maximum: 60000 },
    activationLinkTtlHours: { type: 'integer', minimum: 1, maximum: 720 },
    secrets: {
      type: 'object',
      additionalProperties: false,
      required: ['sessionSigningKey', 'nationalIdHmacKey', 'encryptionKey'],
      properties: { sessionSigningKey: secretSchema, nationalIdHmacKey: secretSchema, encryptionKey: secretSchema }
    }
  }
} as const
