import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { sendConsole } from './pages.js'
import { PUBLIC_DIR, type Translations } from './translations.js'

/** htm's folder of Preact + htm bundles; its standalone.module.js is both in one ES module, served as is (no build step). */
const PREACT_HTM_DIR = dirname(createRequire(import.meta.url).resolve('htm/preact'))

/**
 * The admin console and account pages (issue #7): one document per URL under /console/{tenant}/…
 * (and /activate, the contract's activation link), rendered in the browser by public/app.js from the
 * admin API. No second API: the console calls the same endpoints as any other client.
 */
export function consoleRoutes ({ translations }: { translations: Translations }) {
  return async function (app: FastifyInstance): Promise<void> {
    await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/console/assets/', index: false, maxAge: '1h', decorateReply: false })
    await app.register(fastifyStatic, { root: PREACT_HTM_DIR, prefix: '/console/vendor/', index: false, maxAge: '1d', decorateReply: false, allowedPath: path => path === '/standalone.module.js' })

    const page = { schema: { hide: true } }
    const shell = async (request: Parameters<typeof sendConsole>[0], reply: Parameters<typeof sendConsole>[1]) => { await sendConsole(request, reply, translations) }
    app.get('/console', page, shell)
    app.get('/console/:tenant', page, shell)
    app.get('/console/:tenant/*', page, shell)
    // The activation and reset mails link here (design.md contract); the console's activation view posts to /auth/activate.
    app.get('/activate', page, shell)
  }
}
