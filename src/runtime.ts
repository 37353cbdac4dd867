import { pino } from 'pino'
import type { Config } from './config/schema.js'
import { TenantService } from './domain/tenants/tenant-service.js'
import { openDatabase, type Database } from './persistence/database.js'
import { MikroTenantStore } from './persistence/stores/tenant-store.js'
import { ScimGroups } from './domain/scim/groups.js'
import { ScimUsers } from './domain/scim/users.js'
import { SqlGroupStore } from './persistence/scim/group-store.js'
import { SqlUserStore } from './persistence/scim/user-store.js'
import { AccountAdministration } from './domain/accounts/account-administration.js'
import { SignIn } from './domain/accounts/sign-in.js'
import { MembershipLifecycle } from './domain/lifecycle/membership-lifecycle.js'
import { createMailer, type Mailer } from './mail/worker.js'
import { Enrolment } from './domain/enrolment/enrolment.js'
import { IdentityProviders } from './domain/enrolment/identity-providers.js'
import { LoginRequests } from './domain/enrolment/login-requests.js'
import { OidcRelyingParty } from './identity/oidc-client.js'
import { SecretBox } from './identity/secret-box.js'
import { TokenSigner } from './identity/signed-token.js'
import { SqlEnrolmentStore } from './persistence/enrolment/enrolment-store.js'
import { SqlAccountDirectory } from './persistence/lifecycle/account-directory.js'
import { SqlAuditLog } from './persistence/lifecycle/audit-store.js'
import { SqlCredentialStore } from './persistence/lifecycle/credential-store.js'
import { defaultSchemaDirectory, SchemaRegistry } from './scim/schema/registry.js'

/** The composition root shared by the server and the CLI: one database, the domain services on it. */
export interface Runtime {
  config: Config
  database: Database
  tenants: TenantService
  registry: SchemaRegistry
  users: ScimUsers
  groups: ScimGroups
  lifecycle: MembershipLifecycle
  signIn: SignIn
  administration: AccountAdministration
  auditLog: SqlAuditLog
  identityProviders: IdentityProviders
  enrolment: Enrolment
  loginRequests: LoginRequests
  relyingParty: OidcRelyingParty
  /** The outbox worker: the server polls with it; the CLI drains it after a command that sent mail. */
  mailer: Mailer
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
  // RFC 7644 §3.4.2.4: the page size when a client names none, and the most it may ask for.
  const logger = pino({ level: config.logLevel, name: 'carescim' })
  const limits = { defaultCount: 100, maxResults: registry.serviceProviderConfig().filter.maxResults }
  const tenantStore = new MikroTenantStore(database.orm)
  const userStore = new SqlUserStore(database.orm, registry)
  const auditLog = new SqlAuditLog(database.orm)
  const credentials = new SqlCredentialStore(database.orm)
  const lifecycle = new MembershipLifecycle({ publicUrl: config.publicUrl, activationLinkTtlHours: config.activationLinkTtlHours }, auditLog)
  const mailer = createMailer({ orm: database.orm, config, logger })
  const box = new SecretBox(config.secrets.encryptionKey)
  const enrolmentStore = new SqlEnrolmentStore(database.orm)
  const enrolment = new Enrolment(enrolmentStore, userStore, credentials, lifecycle, { nationalIdHmacKey: config.secrets.nationalIdHmacKey, box },
    { publicUrl: config.publicUrl, signer: new TokenSigner(config.secrets.sessionSigningKey, 'email-verification') })
  return {
    config,
    database,
    registry,
    tenants: new TenantService(tenantStore, config.tokenCacheTtlMs),
    users: new ScimUsers(registry, userStore, limits, lifecycle, (message, details) => logger.warn(details, message)),
    groups: new ScimGroups(registry, new SqlGroupStore(database.orm, registry), limits),
    lifecycle,
    signIn: new SignIn(credentials, userStore, tenantStore, lifecycle),
    administration: new AccountAdministration(registry, userStore, new SqlAccountDirectory(database.orm), credentials, lifecycle, auditLog),
    auditLog,
    identityProviders: new IdentityProviders(enrolmentStore, box),
    enrolment,
    loginRequests: new LoginRequests(enrolmentStore, enrolment, credentials, lifecycle, config.publicUrl),
    relyingParty: new OidcRelyingParty(`${config.publicUrl}/enroll/callback`),
    mailer,
    close: async () => {
      await mailer.worker.stop()
      mailer.transport.close()
      await database.close()
    }
  }
}

/** The services the HTTP app is built on (buildApp's dependencies but the per-process options). */
export function servicesOf (runtime: Runtime) {
  return {
    orm: runtime.database.orm,
    pingDatabase: runtime.database.ping,
    tenants: runtime.tenants,
    registry: runtime.registry,
    users: runtime.users,
    groups: runtime.groups,
    signIn: runtime.signIn,
    administration: runtime.administration,
    auditLog: runtime.auditLog,
    identityProviders: runtime.identityProviders,
    enrolment: runtime.enrolment,
    loginRequests: runtime.loginRequests,
    relyingParty: runtime.relyingParty,
    sessionSigningKey: runtime.config.secrets.sessionSigningKey
  }
}
