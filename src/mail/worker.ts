import type { MikroORM } from '@mikro-orm/postgresql'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { SqlOutboxStore } from '../persistence/mail/outbox-store.js'
import type { OutgoingMail } from './message.js'
import { mailTransport } from './transport.js'

/** An outbox row this worker holds a lease on. */
export interface ClaimedMail extends OutgoingMail {
  id: string
  /** Counting this one. */
  attempts: number
}

/** The outbox as the worker sees it; every call is one short statement of its own, never a transaction. */
export interface OutboxStore {
  /** Due, unsent, unleased rows, oldest first, leased to the caller for leaseMs (claims count as attempts). */
  claim: (limit: number, leaseMs: number) => Promise<ClaimedMail[]>
  markSent: (id: string) => Promise<void>
  markFailed: (id: string, error: string, nextAttemptAt: Date) => Promise<void>
  /** Gives claimed rows back unattempted (the lease ran short before their turn). */
  release: (ids: string[]) => Promise<void>
}

export interface MailTransport {
  /** Resolves once the receiving server accepted the mail. */
  send: (mail: ClaimedMail) => Promise<void>
  close: () => void
}

export type MailLogger = Pick<Logger, 'info' | 'warn' | 'error'>

export interface OutboxWorkerOptions {
  store: OutboxStore
  transport: MailTransport
  logger: MailLogger
  batchSize?: number
  /** How long a claim shuts other workers out; after it, a crashed worker's mail is taken over. */
  leaseMs?: number
  pollMs?: number
  /** Delay before attempt n + 1 after attempt n failed. */
  backoff?: (attempt: number) => number
  maxAttempts?: number
}

/** Exponential from 30 s, capped at an hour: a mail server down for a while is retried without hammering it. */
export function defaultBackoff (attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000)
}

/** A mail that failed maxAttempts times stays in the table, with its last error, out of the way. */
export const GIVEN_UP = new Date('9999-12-31T00:00:00Z')

/**
 * Sends the outbox. Any number of workers, in any number of processes, may run on one database:
 * claims skip rows another worker has locked or leased, so each mail goes to one worker at a time.
 */
export class OutboxWorker {
  readonly #store: OutboxStore
  readonly #transport: MailTransport
  readonly #logger: MailLogger
  readonly #batchSize: number
  readonly #leaseMs: number
  readonly #pollMs: number
  readonly #backoff: (attempt: number) => number
  readonly #maxAttempts: number
  #polling = false
  #ticking = false
  #wokenWhileTicking = false
  #timer: NodeJS.Timeout | undefined
  /** One batch at a time per worker: poll, wake and drain queue up behind each other. */
  #busy: Promise<unknown> = Promise.resolve()

  constructor ({ store, transport, logger, batchSize = 20, leaseMs = 60_000, pollMs = 1000, backoff = defaultBackoff, maxAttempts = 10 }: OutboxWorkerOptions) {
    this.#store = store
    this.#transport = transport
    this.#logger = logger
    this.#batchSize = batchSize
    this.#leaseMs = leaseMs
    this.#pollMs = pollMs
    this.#backoff = backoff
    this.#maxAttempts = maxAttempts
  }

  start (): void {
    if (this.#polling) return
    this.#polling = true
    this.#schedule(0)
  }

  /** After a commit that enqueued mail: send it now rather than at the next poll. */
  wake (): void {
    if (!this.#polling) return
    if (this.#ticking) this.#wokenWhileTicking = true
    else this.#schedule(0)
  }

  /** Sends everything due now; resolves with how many mails were attempted once nothing is left. */
  async drain (): Promise<number> {
    let total = 0
    for (;;) {
      const { claimed, attempted } = await this.#exclusive(async () => await this.#sendBatch())
      if (claimed === 0) return total
      total += attempted
    }
  }

  /** Stops polling and waits for the batch in flight. */
  async stop (): Promise<void> {
    this.#polling = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#busy
  }

  #schedule (delayMs: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => { void this.#tick() }, delayMs)
    // Polling alone never keeps the process alive; shutdown calls stop().
    this.#timer.unref()
  }

  async #tick (): Promise<void> {
    this.#timer = undefined
    this.#ticking = true
    try {
      do {
        this.#wokenWhileTicking = false
        await this.drain()
      } while (this.#wokenWhileTicking && this.#polling)
    } catch (error) {
      this.#logger.error({ err: error }, 'Mail outbox: polling failed; trying again at the next poll')
    } finally {
      this.#ticking = false
    }
    if (this.#polling) this.#schedule(this.#wokenWhileTicking ? 0 : this.#pollMs)
  }

  async #exclusive<T> (work: () => Promise<T>): Promise<T> {
    const result = this.#busy.then(work)
    this.#busy = result.catch(() => undefined)
    return await result
  }

  async #sendBatch (): Promise<{ claimed: number, attempted: number }> {
    const claimedAt = Date.now()
    const claimed = await this.#store.claim(this.#batchSize, this.#leaseMs)
    let attempted = 0
    for (const [index, mail] of claimed.entries()) {
      // Past half the lease another worker may soon take these over: give them back rather than risk a
      // double send. The first always goes, so that every batch makes progress.
      if (index > 0 && Date.now() - claimedAt > this.#leaseMs / 2) {
        await this.#store.release(claimed.slice(index).map(m => m.id))
        break
      }
      await this.#deliver(mail)
      attempted++
    }
    return { claimed: claimed.length, attempted }
  }

  async #deliver (mail: ClaimedMail): Promise<void> {
    try {
      await this.#transport.send(mail)
    } catch (error) {
      await this.#failed(mail, error)
      return
    }
    await this.#store.markSent(mail.id)
  }

  /** Logs who, what and why — never the body, which may hold a single-use link. */
  async #failed (mail: ClaimedMail, error: unknown): Promise<void> {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000)
    const about = { mailId: mail.id, kind: mail.kind, tenantId: mail.tenantId, attempts: mail.attempts, reason }
    if (mail.attempts >= this.#maxAttempts) {
      await this.#store.markFailed(mail.id, reason, GIVEN_UP)
      this.#logger.error(about, 'Mail outbox: giving up on a mail after its last attempt')
      return
    }
    const nextAttemptAt = new Date(Date.now() + this.#backoff(mail.attempts))
    await this.#store.markFailed(mail.id, reason, nextAttemptAt)
    this.#logger.warn({ ...about, nextAttemptAt }, 'Mail outbox: sending failed; will retry')
  }
}

export interface Mailer {
  worker: OutboxWorker
  transport: MailTransport
}

/** The outbox worker on this database, sending through SMTP_URL (or to DATA_DIR/outbox without it). */
export function createMailer ({ orm, config, logger }: { orm: MikroORM, config: Config, logger: MailLogger }): Mailer {
  const transport = mailTransport({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, dataDir: config.dataDir, logger })
  const worker = new OutboxWorker({ store: new SqlOutboxStore(orm), transport, logger })
  return { worker, transport }
}
