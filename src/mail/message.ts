import type { MailKind } from './templates.js'

/** A rendered mail on its way into the outbox (src/persistence/mail/outbox-store.ts). */
export interface OutgoingMail {
  /**
   * Unique per mail that should exist once (e.g. `activation:<token id>`): enqueueing it again is a no-op,
   * and the Message-ID derives from it, so a resend after a crash is recognisable as the same message.
   */
  idempotencyKey: string
  tenantId?: string
  kind: MailKind
  recipient: string
  subject: string
  text: string
  html: string
}
