import { createHash, randomBytes } from 'node:crypto'

/** A single-use link's secret: 256 bits, shown once (in the mail); only its SHA-256 is stored. */
export function newLinkToken (): { token: string, hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: linkTokenHash(token) }
}

export function linkTokenHash (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
