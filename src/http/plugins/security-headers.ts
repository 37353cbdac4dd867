import type { IncomingMessage, ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * Documents (the console's and CareSCIM's pages) get a strict Content-Security-Policy: scripts, styles and
 * images from this server only, nothing inline, no framing. The pages are built for it (no inline script
 * or style); hospital networks without internet need nothing from a CDN anyway.
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

// no-referrer: the activation page's URL holds a single-use token.
const STRICT: HelmetOptions = { contentSecurityPolicy: { useDefaults: false, directives: STRICT_CSP }, referrerPolicy: { policy: 'no-referrer' } }
// Swagger UI (/docs) sets style attributes and data: images at run time; it alone gets those two.
const DOCS: HelmetOptions = {
  ...STRICT,
  contentSecurityPolicy: { useDefaults: false, directives: { ...STRICT_CSP, styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } }
}

/**
 * The headers helmet sets for these options, worked out once. Without nonces they are the same on every
 * answer; @fastify/helmet rebuilt helmet (parsing the CSP) on every request, about 4 % of a SCIM lookup's CPU.
 */
export function helmetHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { Reflect.deleteProperty(headers, name.toLowerCase()) }
  }
  let finished = false
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => { finished = true })
  if (!finished) throw new Error('helmet did not finish synchronously')
  return headers
}

/** What helmet sets for a document: sent with every HTML page (pages.ts). */
export const DOCUMENT_HEADERS = helmetHeaders(STRICT)

/**
 * Every other answer is data (SCIM, FHIR, the admin API, static assets): the headers the OWASP REST
 * Security Cheat Sheet lists for APIs, with nothing to render, frame or embed elsewhere and nothing kept
 * in a cache (personal data). Helmet's other headers govern documents in a browser: on every SCIM answer
 * they cost bytes and work for nothing.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers
 */
export const API_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': DOCUMENT_HEADERS['strict-transport-security']!,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY'
}

export const securityHeaders = fp(async function securityHeaders (app: FastifyInstance) {
  const docs = helmetHeaders(DOCS)
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(request.routeOptions.url?.startsWith('/docs') === true ? docs : API_HEADERS)
    done()
  })
}, { name: 'carescim-security-headers' })
