import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

/**
 * SCIM bearer tokens: `cscim_<token id, 32 hex>_<secret, 256 random bits base64url>`.
 * The id finds the row; only SHA-256(secret) is stored (a 256-bit random secret needs no slow KDF),
 * and it is compared in constant time. The prefix lets secret scanners recognise a leaked token.
 */
const TOKEN_PATTERN = /^cscim_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/

export interface IssuedToken {
  id: string
  secretHash: string
  /** Shown once to the operator, never stored. */
  token: string
}

export function issueToken (): IssuedToken {
  const id = randomUUID()
  const secret = randomBytes(32).toString('base64url')
  return { id, secretHash: hashSecret(secret), token: `cscim_${id.replaceAll('-', '')}_${secret}` }
}

export interface ParsedToken { id: string, secret: string }

export function parseToken (token: string): ParsedToken | undefined {
  const match = TOKEN_PATTERN.exec(token)
  if (match === null) return undefined
  const hex = match[1]!
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  return { id, secret: match[2]! }
}

export function secretMatches (secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}

function hashSecret (secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
