import { randomUUID } from 'node:crypto'
import type { MikroORM } from '@mikro-orm/postgresql'
import type { OutgoingMail } from '../../mail/message.js'
import type { MailKind } from '../../mail/templates.js'
import type { ClaimedMail, OutboxStore } from '../../mail/worker.js'
import { reader, type Sql } from '../sql.js'

/**
 * Puts a mail in the outbox inside the caller's transaction: it exists if and only if the change commits.
 * The same idempotency key twice is one mail.
 */
export async function enqueueMail (sql: Sql, mail: OutgoingMail): Promise<void> {
  // clock_timestamp(), not now(): mails of one transaction keep their order.
  await sql.query(
    `insert into outbox_mail (id, idempotency_key, tenant_id, kind, recipient, subject, text_body, html_body, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())
     on conflict (idempotency_key) do nothing`,
    [randomUUID(), mail.idempotencyKey, mail.tenantId ?? null, mail.kind, mail.recipient, mail.subject, mail.text, mail.html]
  )
}

interface ClaimedRow {
  id: string
  idempotency_key: string
  tenant_id: string | null
  kind: string
  recipient: string
  subject: string
  text_body: string
  html_body: string
  attempts: number
}

/**
 * The outbox for OutboxWorker. Each method is one autocommitted statement: no transaction stays open
 * while the worker talks SMTP (the embedded database has a single connection).
 */
export class SqlOutboxStore implements OutboxStore {
  readonly #orm: MikroORM

  constructor (orm: MikroORM) {
    this.#orm = orm
  }

  /**
   * SKIP LOCKED: concurrent claims from other workers or processes pass each other's rows by instead of
   * waiting; the lease keeps the rows from the next claim once this statement has committed.
   */
  async claim (limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const rows = await reader(this.#orm).query<ClaimedRow>(
      `with claimed as (
         update outbox_mail set locked_until = now() + make_interval(secs => ?::double precision / 1000), attempts = attempts + 1
         where id in (
           select id from outbox_mail
           where sent_at is null and next_attempt_at <= now() and (locked_until is null or locked_until < now())
           order by created_at
           for update skip locked
           limit ?
         )
         returning id, idempotency_key, tenant_id, kind, recipient, subject, text_body, html_body, attempts, created_at
       )
       -- RETURNING has no order of its own.
       select * from claimed order by created_at`,
      [leaseMs, limit]
    )
    return rows.map(claimedMailOf)
  }

  /** The bodies go once sent: they may hold single-use links. Recipient and subject stay as a record. */
  async markSent (id: string): Promise<void> {
    await reader(this.#orm).query(
      `update outbox_mail set sent_at = now(), locked_until = null, last_error = null, text_body = '', html_body = ''
       where id = ? and sent_at is null`,
      [id]
    )
  }

  async markFailed (id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await reader(this.#orm).query(
      'update outbox_mail set last_error = ?, next_attempt_at = ?, locked_until = null where id = ? and sent_at is null',
      [error, nextAttemptAt, id]
    )
  }

  async release (ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await reader(this.#orm).query(
      `update outbox_mail set locked_until = null, attempts = greatest(attempts - 1, 0)
       where id = any(?::uuid[]) and sent_at is null`,
      [ids]
    )
  }
}

function claimedMailOf (row: ClaimedRow): ClaimedMail {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    ...(row.tenant_id === null ? {} : { tenantId: row.tenant_id }),
    kind: row.kind as MailKind,
    recipient: row.recipient,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    attempts: row.attempts
  }
}
