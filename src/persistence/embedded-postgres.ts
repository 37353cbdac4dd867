import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { citext } from '@electric-sql/pglite/contrib/citext'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { lockDataDirectory } from './data-directory-lock.js'

export interface EmbeddedPostgres {
  /** A URL for the ordinary PostgreSQL driver: one SQL dialect everywhere. */
  clientUrl: string
  stop: () => Promise<void>
}

/**
 * PostgreSQL compiled to WASM (PGlite), reached over a loopback socket so that MikroORM's own
 * postgresql driver talks to it exactly as to a server. `dataDir` undefined = in memory (tests).
 *
 * PGlite is one backend: the socket server accepts one connection, and the pool must be 1.
 */
export async function startEmbeddedPostgres (dataDir: string | undefined): Promise<EmbeddedPostgres> {
  const lock = dataDir === undefined ? undefined : lockDataDirectory(dataDir)
  try {
    let pgdata: string | undefined
    if (dataDir !== undefined) {
      pgdata = join(dataDir, 'pgdata')
      // PGlite does not create parent directories itself.
      mkdirSync(pgdata, { recursive: true })
    }
    const db = await PGlite.create(pgdata, { extensions: { citext, pg_trgm } })
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 })
    await server.start()
    return {
      clientUrl: `postgres://postgres@${server.getServerConn()}/postgres`,
      stop: async () => {
        await server.stop()
        await db.close()
        lock?.release()
      }
    }
  } catch (error) {
    lock?.release()
    throw error
  }
}
