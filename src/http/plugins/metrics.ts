import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export interface PoolStats { used: number, free: number, pending: number }

export interface MetricsOptions {
  poolStats: () => PoolStats
}

/**
 * Prometheus metrics at GET /metrics: request count and latency per route (a histogram's _count is the
 * counter), database pool, and the process defaults. One registry per app, so tests can build many apps.
 */
export const metricsPlugin = fp<MetricsOptions>(async function metrics (app: FastifyInstance, { poolStats }) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry]
  })
  const pool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect () {
      const stats = poolStats()
      this.set({ state: 'used' }, stats.used)
      this.set({ state: 'free' }, stats.free)
      this.set({ state: 'pending' }, stats.pending)
    }
  })
  void pool

  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: tenant slugs and ids would explode the label space.
    const route = request.routeOptions.url ?? 'unmatched'
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    done()
  })

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' }, logLevel: 'warn' }, async (_request, reply) => {
    return await reply.type(registry.contentType).send(await registry.metrics())
  })
}, { name: 'carescim-metrics' })
