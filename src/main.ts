import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { ConfigError, loadConfig } from './config/load.js'
import { buildApp } from './http/app.js'
import { DataDirectoryInUseError } from './persistence/data-directory-lock.js'
import { openRuntime, servicesOf, type Runtime } from './runtime.js'

let app: FastifyInstance | undefined
let runtime: Runtime | undefined

// Registered first, so that a signal during start-up (opening the embedded database takes seconds)
// still closes what is open and releases the data directory.
// SIGINT/SIGTERM: stop accepting, let in-flight requests finish, then close the database.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err !== undefined) process.stderr.write(`carescim: shutting down after an error: ${err.stack ?? err.message}\n`)
  else process.stderr.write(`carescim: ${signal ?? 'exit'}: shutting down\n`)
  await app?.close()
  await runtime?.close()
})

async function main (): Promise<void> {
  const config = loadConfig()
  process.stdout.write(config.databaseUrl === undefined
    ? `CareSCIM starting: opening the embedded database in ${config.dataDir} (the first start takes a few seconds)…\n`
    : 'CareSCIM starting: connecting to PostgreSQL…\n')
  runtime = await openRuntime(config, {
    onMigrated: applied => { if (applied.length > 0) process.stdout.write(`Applied ${applied.length} migration(s).\n`) }
  })
  app = await buildApp({
    ...servicesOf(runtime),
    publicUrl: config.publicUrl,
    logLevel: config.logLevel
  })

  await app.listen({ host: config.host, port: config.port })
  // Every process may run the outbox worker: claims skip what another process holds (FOR UPDATE SKIP LOCKED).
  runtime.mailer.worker.start()
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
    `Mail: ${config.smtpUrl === undefined ? `not sent; written to ${config.dataDir}/outbox and the log (set SMTP_URL to send)` : 'sent through SMTP_URL'}`,
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
  process.exitCode = 1
  void runtime?.close().finally(() => process.exit(1))
  if (runtime === undefined) process.exit(1)
})
