import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { MikroORM } from '@mikro-orm/postgresql'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { AccountAdministration } from '../domain/accounts/account-administration.js'
import type { SignIn } from '../domain/accounts/sign-in.js'
import type { Enrolment } from '../domain/enrolment/enrolment.js'
import type { IdentityProviders } from '../domain/enrolment/identity-providers.js'
import type { LoginRequests } from '../domain/enrolment/login-requests.js'
import type { OidcRelyingParty } from '../identity/oidc-client.js'
import type { AuditReader } from '../domain/lifecycle/audit-query.js'
import type { ScimGroups } from '../domain/scim/groups.js'
import type { ScimUsers } from '../domain/scim/users.js'
import type { TenantService } from '../domain/tenants/tenant-service.js'
import type { SchemaRegistry } from '../scim/schema/registry.js'
import { loggerOptions } from './logger.js'
import { metricsPlugin, type PoolStats } from './plugins/metrics.js'
import fastifyAccepts from '@fastify/accepts'
import { consoleRoutes } from './console/index.js'
import { Translations } from './console/translations.js'
import { securityHeaders } from './plugins/security-headers.js'
import { apiErrorHandler } from './plugins/api-errors.js'
import { sessionsPlugin } from './plugins/sessions.js'
import { adminRoutes } from './routes/admin/index.js'
import { enrolmentRoutes } from './routes/enrolment.js'
import { authRoutes } from './routes/auth.js'
import { fhirRoutes } from './routes/fhir.js'
import { healthRoutes } from './routes/health.js'
import { scimRoutes } from './routes/scim/index.js'

export interface AppDependencies {
  orm: MikroORM
  pingDatabase: () => Promise<void>
  tenants: TenantService
  registry: SchemaRegistry
  users: ScimUsers
  groups: ScimGroups
  signIn: SignIn
  administration: AccountAdministration
  auditLog: AuditReader
  identityProviders: IdentityProviders
  enrolment: Enrolment
  loginRequests: LoginRequests
  relyingParty: OidcRelyingParty
  sessionSigningKey: string
  publicUrl: string
  /** pino level, or false for no logging (tests). */
  logLevel: string | false
  /** Override the logger destination (tests capture log lines). */
  logStream?: NodeJS.WritableStream
}

/** Builds the whole HTTP application without listening: main.ts listens, tests use inject(). */
export async function buildApp (deps: AppDependencies): Promise<FastifyInstance> {
  const logger: FastifyServerOptions['logger'] = deps.logLevel === false
    ? false
    : { ...(loggerOptions(deps.logLevel) as object), ...(deps.logStream === undefined ? {} : { stream: deps.logStream }) }
  const app = Fastify({
    logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: true,
    // Every SCIM body is bounded by maxPayloadSize below; other routes take small JSON.
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true }
  })

  // Routes outside SCIM answer errors as the admin API does; nothing internal reaches the client.
  app.setErrorHandler(apiErrorHandler)
  // Hooks that run on every request take a callback where they need not wait: an async one costs a promise each time.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  // No RequestContext per request: every store forks its own EntityManager or reads through its own
  // connection (src/persistence), and allowGlobalContext: false makes any use of the global one an error.
  // The fork per request was ~20 % of a userName lookup's CPU (bench/README.md).

  await app.register(securityHeaders)
  await app.register(fastifyAccepts)
  await app.register(swagger, {
    openapi: {
      info: { title: 'CareSCIM', version: '0.1.0', description: 'SCIM 2.0 provisioning, administration and enrolment API' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(metricsPlugin, { poolStats: () => poolStats(deps.orm) })
  await app.register(healthRoutes({ pingDatabase: deps.pingDatabase }))

  const spc = deps.registry.serviceProviderConfig() as { bulk?: { maxPayloadSize?: number } }
  await app.register(sessionsPlugin, { signingKey: deps.sessionSigningKey, signIn: deps.signIn, publicUrl: deps.publicUrl })
  const translations = Translations.load()
  await app.register(consoleRoutes({ translations }))
  await app.register(authRoutes({ signIn: deps.signIn, tenants: deps.tenants, identityProviders: deps.identityProviders }))
  await app.register(enrolmentRoutes({ tenants: deps.tenants, identityProviders: deps.identityProviders, enrolment: deps.enrolment, relyingParty: deps.relyingParty, publicUrl: deps.publicUrl, translations }))
  await app.register(adminRoutes(deps), { prefix: '/api/v1/tenants/:tenant' })
  await app.register(scimRoutes({
    tenants: deps.tenants,
    registry: deps.registry,
    users: deps.users,
    groups: deps.groups,
    publicUrl: deps.publicUrl,
    maxPayloadSize: spc.bulk?.maxPayloadSize ?? 1024 * 1024
  }), { prefix: '/scim/v2/:tenant' })
  await app.register(fhirRoutes({ tenants: deps.tenants, users: deps.users, publicUrl: deps.publicUrl }), { prefix: '/fhir/:tenant' })

  return app
}

interface TarnPool { numUsed: () => number, numFree: () => number, numPendingAcquires: () => number }

function poolStats (orm: MikroORM): PoolStats {
  const pool = (orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool
  if (pool === undefined) return { used: 0, free: 0, pending: 0 }
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() }
}
