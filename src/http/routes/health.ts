import type { FastifyInstance } from 'fastify'

export interface HealthOptions {
  /** Resolves when the database answers; rejects otherwise. */
  pingDatabase: () => Promise<void>
  readinessTimeoutMs?: number
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, reason: { type: 'string' } },
  required: ['status']
}

export function healthRoutes ({ pingDatabase, readinessTimeoutMs = 2000 }: HealthOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/healthz', {
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: statusSchema } },
      logLevel: 'warn'
    }, async () => ({ status: 'ok' }))

    app.get('/readyz', {
      schema: { tags: ['operations'], summary: 'The database is reachable', response: { 200: statusSchema, 503: statusSchema } },
      logLevel: 'warn'
    }, async (request, reply) => {
      try {
        await withTimeout(pingDatabase(), readinessTimeoutMs)
        return { status: 'ready' }
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed')
        return await reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' })
      }
    })
  }
}

async function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
