import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/http/app.js'
import { openRuntime, servicesOf, type Runtime } from '../../src/runtime.js'
import { freshDatabaseUrl, temporaryDirectory, testConfig, type Teardown } from './database.js'

export interface TestContext {
  app: FastifyInstance
  runtime: Runtime
  /** Creates a tenant and returns its SCIM token. */
  tenant: (slug: string) => Promise<string>
}

/** One app on one fresh database for a whole test file (embedded PGlite costs seconds to start). */
export async function startTestApp (t: Teardown, env: NodeJS.ProcessEnv = {}): Promise<TestContext> {
  const databaseUrl = await freshDatabaseUrl(t)
  const config = testConfig({ ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }), DATA_DIR: temporaryDirectory(t), ...env })
  const runtime = await openRuntime(config, { inMemory: true })
  const app = await buildApp({
    ...servicesOf(runtime),
    publicUrl: config.publicUrl,
    logLevel: false
  })
  t.teardown(async () => {
    await app.close()
    await runtime.close()
  })
  return {
    app,
    runtime,
    tenant: async slug => (await runtime.tenants.createTenant(slug)).token
  }
}
