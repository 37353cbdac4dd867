import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

/**
 * A strict Content-Security-Policy on every answer: scripts, styles and images from this server only,
 * nothing inline, no framing. The console and CareSCIM's pages are built for it (no inline script or
 * style); hospital networks without internet need nothing from a CDN anyway.
 */
const STRICT_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"]
}

export const securityHeaders = fp(async function securityHeaders (app: FastifyInstance) {
  // Swagger UI (/docs) sets style attributes and data: images at run time; it alone gets those two.
  app.addHook('onRoute', route => {
    if (route.url.startsWith('/docs')) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: { ...STRICT_CSP, styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } } }
    }
  })
  // no-referrer: the activation page's URL holds a single-use token.
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: STRICT_CSP }, referrerPolicy: { policy: 'no-referrer' } })
}, { name: 'carescim-security-headers' })
