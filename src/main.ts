import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig } from './config/load.js'
import { buildApp } from './http/app.js'
import { DataDirectoryInUseError } from './persistence/data-directory-lock.js'
import { openRuntime } from './runtime.js'

async function main (): Promise<void> {
  const config = loadConfig()
  const runtime = await openRuntime(config)
  const app = await buildApp({
    orm: runtime.database.orm,
    pingDatabase: runtime.database.ping,
    tenants: runtime.tenants,
    registry: runtime.registry,
    users: runtime.users,
    groups: runtime.groups,
    publicUrl: config.publicUrl,
    logLevel: config.logLevel
  })

  // SIGINT/SIGTERM: stop accepting, let in-flight requests finish, then close the database.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
    await runtime.close()
  })

  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const createTenant = runtime.database.embedded
    ? 'stop the server, then run `npm run cli -- tenant create <slug> --json` (the embedded database belongs to one process)'
    : 'run `npm run cli -- tenant create <slug> --json`'
  process.stdout.write([
    `CareSCIM listening on http://${config.host}:${port} (public URL ${config.publicUrl})`,
    `Database: ${runtime.database.description}`,
    `SCIM base URL of a tenant: ${config.publicUrl}/scim/v2/<tenant>; API docs: ${config.publicUrl}/docs`,
    `To create a tenant: ${createTenant}`,
    ''
  ].join('\n'))
}

main().catch((error: unknown) => {
  // A configuration or start-up problem is one clear line, not a stack trace.
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError) {
    process.stderr.write(`carescim: ${error.message}\n`)
  } else {
    process.stderr.write(`carescim: failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  }
  process.exit(1)
})
