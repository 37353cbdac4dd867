/**
 * The floor: a bare fastify server whose one route runs one indexed primary-key SELECT through the
 * server's own database layer (same MikroORM configuration, pool size and read path). What no SCIM
 * request on this machine can beat; the benchmark reports each scenario against it.
 * Started by bench/run.ts as a child process: `node --import tsx bench/floor.ts` with the server's env.
 */
import Fastify from 'fastify'
import { loadConfig } from '../src/config/load.js'
import { openDatabase } from '../src/persistence/database.js'
import { reader } from '../src/persistence/sql.js'

const config = loadConfig()
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: undefined, poolMax: config.databasePoolMax })
const app = Fastify({ logger: false })

app.get<{ Params: { id: string } }>('/floor/:id', async (request, reply) => {
  const rows = await reader(database.orm).query<{ id: string }>('select id from membership where id = ?', [request.params.id])
  if (rows.length === 0) return await reply.code(404).send({ found: false })
  return { id: rows[0]!.id }
})
app.get('/readyz', async () => {
  await database.ping()
  return { status: 'ready' }
})

process.once('SIGTERM', () => {
  void app.close().then(async () => await database.close()).then(() => process.exit(0))
})

await app.listen({ host: config.host, port: config.port })
const address = app.server.address()
const port = typeof address === 'object' && address !== null ? address.port : config.port
process.stdout.write(`floor listening on http://${config.host}:${port}\n`)
