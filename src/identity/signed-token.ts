import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A small stateless token for links that need no row of their own (confirming an email address):
 * `base64url(JSON).base64url(HMAC-SHA256)`, with an expiry inside. The key is derived per purpose.
 */
export class TokenSigner {
  private readonly key: Buffer

  constructor (secret: string, purpose: string) {
    this.key = createHmac('sha256', secret).update(`carescim ${purpose}`).digest()
  }

  sign (payload: Record<string, unknown>, ttlSeconds: number): string {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) + ttlSeconds })).toString('base64url')
    return `${body}.${this.mac(body).toString('base64url')}`
  }

  /** The payload, or undefined when the token is forged, damaged or expired. */
  verify<T extends Record<string, unknown>> (token: string): T | undefined {
    const [body, mac] = token.split('.')
    if (body === undefined || mac === undefined) return undefined
    const expected = this.mac(body)
    const given = Buffer.from(mac, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp: number }
      return payload.exp > Date.now() / 1000 ? payload : undefined
    } catch {
      return undefined
    }
  }

  private mac (body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest()
  }
}
