import type { FastifyServerOptions } from 'fastify'

/** Never log credentials: bearer tokens, session cookies, passwords, activation tokens, secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.clientSecret',
  '*.secret',
  '*.secrets'
]

export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // Query strings may carry activation tokens: log the path only.
      req: (req: { method: string, url: string, id: string, ip?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0], ip: req.ip })
    }
  }
}
