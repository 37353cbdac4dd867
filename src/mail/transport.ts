import { createHash } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createTransport } from 'nodemailer'
import type { ClaimedMail, MailLogger, MailTransport } from './worker.js'

export interface MailTransportOptions {
  /** Unset: development without a mail server; mails go to DATA_DIR/outbox and the log. */
  smtpUrl: string | undefined
  mailFrom: string
  dataDir: string
  logger: MailLogger
  /**
   * Connection, greeting and inactivity limit per SMTP step. Kept well under the worker's lease
   * (60 s): a send that hangs past the lease could be taken over and sent twice.
   */
  timeoutMs?: number
}

export function mailTransport ({ smtpUrl, mailFrom, dataDir, logger, timeoutMs = 20_000 }: MailTransportOptions): MailTransport {
  const domain = messageIdDomain(mailFrom)
  if (smtpUrl !== undefined) {
    // URL parameters win over these defaults, as nodemailer merges them.
    const smtp = createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
    return {
      send: async mail => { await smtp.sendMail(messageOf(mail, mailFrom, domain)) },
      close: () => { smtp.close() }
    }
  }
  return developmentTransport(join(dataDir, 'outbox'), mailFrom, domain, logger)
}

/** Writes each mail as <outbox row id>.eml (a retry overwrites its own file) and logs where its link goes. */
function developmentTransport (directory: string, mailFrom: string, domain: string, logger: MailLogger): MailTransport {
  const composer = createTransport({ streamTransport: true, buffer: true })
  return {
    send: async mail => {
      const { message } = await composer.sendMail(messageOf(mail, mailFrom, domain))
      await mkdir(directory, { recursive: true })
      const file = join(directory, `${mail.id}.eml`)
      // Written whole or not at all: a crash mid-write leaves no half a mail for a developer to open.
      await writeFile(`${file}.partial`, message as Buffer)
      await rename(`${file}.partial`, file)
      logger.info({ to: mail.recipient, subject: mail.subject, link: firstLinkIn(mail.text), file }, 'Mail not sent (no SMTP_URL); written to the outbox directory')
    },
    close: () => { composer.close() }
  }
}

function messageOf (mail: ClaimedMail, from: string, domain: string) {
  return {
    from,
    to: mail.recipient,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: messageIdOf(mail.idempotencyKey, domain),
    // RFC 3834: out-of-office and other auto-replies stay away.
    headers: { 'Auto-Submitted': 'auto-generated' }
  }
}

/**
 * The same on every attempt, so a receiving server or mail client can recognise a resend
 * (after a crash between its 250 and our markSent) as the message it already has.
 */
export function messageIdOf (idempotencyKey: string, domain: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`
}

/** The sender's domain, for Message-IDs that are unique worldwide (RFC 5322 §3.6.4). */
function messageIdDomain (mailFrom: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'carescim.invalid'
}

function firstLinkIn (text: string): string | undefined {
  return /https?:\/\/[^\s<>"]+/.exec(text)?.[0]
}
