import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { MikroORM } from '@mikro-orm/postgresql'
import t from 'tap'
import type { OutgoingMail } from '../../src/mail/message.js'
import { messageIdOf, mailTransport } from '../../src/mail/transport.js'
import { createMailer, GIVEN_UP, OutboxWorker, type MailLogger, type OutboxWorkerOptions } from '../../src/mail/worker.js'
import { openDatabase, type Database } from '../../src/persistence/database.js'
import { enqueueMail, SqlOutboxStore } from '../../src/persistence/mail/outbox-store.js'
import { reader, transaction } from '../../src/persistence/sql.js'
import { freshDatabaseUrl, temporaryDirectory, testConfig, type Teardown } from '../helpers/database.js'
import { smtpError, startSmtpServer, type ParsedMail } from '../helpers/smtp.js'

const MAIL_DOMAIN = 'carescim.test'
const silent = { info: () => {}, warn: () => {}, error: () => {} } as unknown as MailLogger

async function openOutbox (t: Teardown, databaseUrl: string | undefined): Promise<Database> {
  const database = await openDatabase({ databaseUrl, dataDir: undefined, poolMax: 4 })
  t.teardown(database.close)
  await database.migrate()
  return database
}

// One database for the file (starting the embedded one takes seconds); each test starts from an empty outbox.
const databaseUrl = await freshDatabaseUrl(t)
const database = await openOutbox(t, databaseUrl)
t.beforeEach(async () => { await reader(database.orm).query('delete from outbox_mail') })

function mailsNamed (prefix: string, count: number): OutgoingMail[] {
  return Array.from({ length: count }, (_, i) => ({
    idempotencyKey: `${prefix}:${i}`,
    kind: 'activation',
    recipient: `${prefix}-${i}@example.test`,
    subject: `${prefix} ${i}`,
    text: `Activate:\nhttps://carescim.test/activate?token=${prefix}-${i}\n`,
    html: `<p><a href="https://carescim.test/activate?token=${prefix}-${i}">Activate</a></p>`
  }))
}

async function enqueue (orm: MikroORM, mails: OutgoingMail[]): Promise<void> {
  await transaction(orm, async sql => { for (const mail of mails) await enqueueMail(sql, mail) })
}

/**
 * One at a time, a few ms apart, for tests that check "oldest first": the embedded database's clock may tick in
 * whole milliseconds, and mails of the same instant have no order of their own.
 */
async function enqueueInOrder (orm: MikroORM, mails: OutgoingMail[]): Promise<void> {
  for (const mail of mails) {
    await enqueue(orm, [mail])
    await sleep(3)
  }
}

type WorkerTuning = Omit<OutboxWorkerOptions, 'store' | 'transport' | 'logger'>

function workerOn (t: Teardown, orm: MikroORM, smtpUrl: string | undefined, tuning: WorkerTuning = {}, logger = silent): OutboxWorker {
  const transport = mailTransport({ smtpUrl, mailFrom: `CareSCIM <noreply@${MAIL_DOMAIN}>`, dataDir: temporaryDirectory(t), logger })
  const worker = new OutboxWorker({ store: new SqlOutboxStore(orm), transport, logger, ...tuning })
  t.teardown(async () => { await worker.stop(); transport.close() })
  return worker
}

interface OutboxRow { idempotency_key: string, recipient: string, subject: string, text_body: string, html_body: string, attempts: number, sent_at: string | null, last_error: string | null, next_attempt_at: string }

async function outboxRows (orm: MikroORM): Promise<OutboxRow[]> {
  return await reader(orm).query<OutboxRow>('select * from outbox_mail order by idempotency_key')
}

function messageIds (mails: ParsedMail[]): string[] {
  return mails.map(m => m.messageId ?? '').sort()
}

function expectedIds (mails: OutgoingMail[]): string[] {
  return mails.map(m => messageIdOf(m.idempotencyKey, MAIL_DOMAIN)).sort()
}

t.test('a mail enqueued in a transaction that rolls back is never sent', async t => {
  const smtp = await startSmtpServer(t)
  await t.rejects(transaction(database.orm, async sql => {
    await enqueueMail(sql, mailsNamed('rolled-back', 1)[0]!)
    throw new Error('the change failed')
  }), /the change failed/)
  t.equal(await workerOn(t, database.orm, smtp.url).drain(), 0)
  t.same(await outboxRows(database.orm), [])
  t.equal(smtp.received.length, 0)
})

t.test('drain sends every due mail once, then blanks the bodies', async t => {
  const smtp = await startSmtpServer(t)
  const mails = mailsNamed('batch', 5)
  await enqueueInOrder(database.orm, mails)
  await enqueue(database.orm, [{ ...mails[0]!, subject: 'a second enqueue of the same key' }])

  t.equal(await workerOn(t, database.orm, smtp.url, { batchSize: 2 }).drain(), 5, 'three batches, five mails')
  t.equal(smtp.messages.length, 5)
  t.same(smtp.messages.map(m => m.subject), mails.map(m => m.subject), 'oldest first')
  t.same(smtp.messages.map(m => m.to !== undefined && !Array.isArray(m.to) ? m.to.text : ''), mails.map(m => m.recipient))
  t.same(messageIds(smtp.messages), expectedIds(mails), 'Message-ID from the idempotency key')
  t.equal(smtp.messages[0]!.from?.text, `"CareSCIM" <noreply@${MAIL_DOMAIN}>`)
  t.equal(smtp.messages[0]!.headers.get('auto-submitted'), 'auto-generated')
  t.match(smtp.messages[0]!.html, 'href="https://carescim.test/activate?token=batch-0"')

  for (const row of await outboxRows(database.orm)) {
    t.ok(row.sent_at !== null, `${row.idempotency_key} sent`)
    t.same([row.text_body, row.html_body], ['', ''], `${row.idempotency_key}: no single-use link left behind`)
    t.match(row.subject, /^batch \d$/, 'recipient and subject stay as a record')
    t.equal(row.attempts, 1)
  }
})

t.test('a refused attempt is retried after the backoff and delivered once', async t => {
  const smtp = await startSmtpServer(t, {
    beforeAccept: (_mail, index) => { if (index === 0) throw smtpError(451, 'Try again later') }
  })
  const backoffs: number[] = []
  // Long enough that the second drain below comes before it even on a loaded machine.
  const worker = workerOn(t, database.orm, smtp.url, { backoff: attempt => { backoffs.push(attempt); return 1500 } })
  await enqueue(database.orm, mailsNamed('retry', 1))

  t.equal(await worker.drain(), 1, 'attempted')
  t.equal(smtp.messages.length, 0, 'refused')
  const [failed] = await outboxRows(database.orm)
  t.match(failed, { sent_at: null, attempts: 1, last_error: /451/ })
  t.equal(await worker.drain(), 0, 'not due before the backoff has passed')

  await sleep(1600)
  t.equal(await worker.drain(), 1)
  t.equal(smtp.messages.length, 1, 'delivered once')
  t.equal(smtp.received.length, 2)
  t.equal(smtp.received[0]!.messageId, smtp.received[1]!.messageId, 'the retry is recognisably the same message')
  t.same(backoffs, [1])
  t.match((await outboxRows(database.orm))[0], { attempts: 2, last_error: null })
})

t.test('after maxAttempts a mail is left aside with its last error', async t => {
  const smtp = await startSmtpServer(t, { beforeAccept: () => { throw smtpError(451, 'Mailbox busy') } })
  const errors: unknown[] = []
  const logger = { ...silent, error: (details: unknown) => { errors.push(details) } } as unknown as MailLogger
  const worker = workerOn(t, database.orm, smtp.url, { maxAttempts: 2, backoff: () => 1 }, logger)
  await enqueue(database.orm, mailsNamed('doomed', 1))

  await worker.drain()
  await sleep(10)
  await worker.drain()
  await sleep(10)
  t.equal(await worker.drain(), 0, 'no third attempt')
  t.equal(smtp.received.length, 2)
  const [row] = await outboxRows(database.orm)
  t.match(row, { sent_at: null, attempts: 2, last_error: /Mailbox busy/ })
  t.equal(new Date(row!.next_attempt_at).getTime(), GIVEN_UP.getTime())
  t.match(errors, [{ kind: 'activation', attempts: 2, reason: /Mailbox busy/ }])
  t.notMatch(JSON.stringify(errors), 'token=', 'the log never holds the body')
})

t.test('two workers on one database send every mail exactly once', async t => {
  const first = database
  // Embedded (in memory): one connection only, so both workers share it; on PostgreSQL, two pools.
  const secondOrm = databaseUrl === undefined ? first.orm : (await openOutbox(t, databaseUrl)).orm
  const smtp = await startSmtpServer(t)
  const mails = mailsNamed('shared', 40)
  await enqueue(first.orm, mails)

  const tuning = { batchSize: 3 }
  const [a, b] = await Promise.all([workerOn(t, first.orm, smtp.url, tuning).drain(), workerOn(t, secondOrm, smtp.url, tuning).drain()])
  t.equal(a + b, 40, `split ${a} + ${b}`)
  t.equal(smtp.received.length, 40, 'no mail sent twice')
  t.same(messageIds(smtp.messages), expectedIds(mails), 'none skipped')
})

t.test('a running worker sends soon after wake, without waiting for the poll', async t => {
  const smtp = await startSmtpServer(t)
  const worker = workerOn(t, database.orm, smtp.url, { pollMs: 60_000 })
  worker.start()
  await sleep(20) // the first poll (at start) finds nothing
  await enqueue(database.orm, mailsNamed('woken', 2))
  worker.wake()
  t.equal((await smtp.waitForMessages(2, 2000)).length, 2)
  await worker.stop()
})

t.test('without SMTP_URL, mails go to DATA_DIR/outbox and the log shows the link', async t => {
  const dataDir = temporaryDirectory(t)
  const logged: Array<Record<string, unknown>> = []
  const logger = { ...silent, info: (details: Record<string, unknown>) => { logged.push(details) } } as unknown as MailLogger
  const transport = mailTransport({ smtpUrl: undefined, mailFrom: `noreply@${MAIL_DOMAIN}`, dataDir, logger })
  const worker = new OutboxWorker({ store: new SqlOutboxStore(database.orm), transport, logger: silent })
  await enqueueInOrder(database.orm, mailsNamed('dev', 2))

  t.equal(await worker.drain(), 2)
  const files = readdirSync(join(dataDir, 'outbox')).sort()
  t.equal(files.length, 2)
  t.ok(files.every(f => /^[0-9a-f-]{36}\.eml$/.test(f)), 'named by outbox row id, nothing partial left')
  const eml = readFileSync(join(dataDir, 'outbox', files[0]!), 'utf8')
  t.match(eml, /^Subject: dev \d$/m)
  t.match(eml, /^Message-ID: <[0-9a-f]{40}@carescim\.test>$/m)
  t.match(logged, [
    { to: 'dev-0@example.test', subject: 'dev 0', link: 'https://carescim.test/activate?token=dev-0' },
    { to: 'dev-1@example.test', subject: 'dev 1', link: 'https://carescim.test/activate?token=dev-1' }
  ])
  t.match((await outboxRows(database.orm))[0], { text_body: '', sent_at: String })
})

t.test('createMailer: the worker on this database, sending through SMTP_URL from MAIL_FROM', async t => {
  const smtp = await startSmtpServer(t)
  const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'Zorggroep <mail@zorg.test>', DATA_DIR: temporaryDirectory(t) })
  const { worker, transport } = createMailer({ orm: database.orm, config, logger: silent })
  t.teardown(async () => { await worker.stop(); transport.close() })
  const [mail] = mailsNamed('factory', 1)
  await enqueue(database.orm, [mail!])
  t.equal(await worker.drain(), 1)
  t.equal(smtp.messages[0]!.from?.text, '"Zorggroep" <mail@zorg.test>')
  t.equal(smtp.messages[0]!.messageId, messageIdOf(mail!.idempotencyKey, 'zorg.test'), 'Message-ID in the domain of MAIL_FROM')
})

// The embedded database lives in this process's memory: a child process cannot share it.
const crashTestSkip = databaseUrl === undefined ? 'needs TEST_DATABASE_URL: a second process on the same PostgreSQL' : false

t.test('a worker killed while the server holds its reply: the mail is sent by another worker, every mail once', { skip: crashTestSkip }, async t => {
  const leaseMs = 200
  let releaseReply = (_error: Error): void => {}
  const heldReply = new Promise<void>((_resolve, reject) => { releaseReply = reject })
  heldReply.catch(() => undefined) // only the held DATA awaits it
  const smtp = await startSmtpServer(t, {
    // The 2nd message: its DATA has arrived, the child waits for the 250 that never comes.
    beforeAccept: async (_mail, index) => { if (index === 1) await heldReply }
  })
  const mails = mailsNamed('crash', 5)
  await enqueue(database.orm, mails)

  const fixture = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, CHILD_DATABASE_URL: databaseUrl, CHILD_SMTP_URL: smtp.url, CHILD_LEASE_MS: String(leaseMs) },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  while (smtp.received.length < 2) await sleep(10)
  t.equal(smtp.messages.length, 1, 'the first was accepted, the second is held')

  child.kill('SIGKILL')
  await once(child, 'exit')
  releaseReply(smtpError(421, 'Too late: the client has gone'))
  await sleep(leaseMs + 50) // the dead worker's lease runs out

  const survivor = workerOn(t, database.orm, smtp.url, { leaseMs })
  t.equal(await survivor.drain(), 4, 'the survivor takes over the four unconfirmed mails')
  t.same(messageIds(smtp.messages), expectedIds(mails), 'every mail accepted exactly once')
  t.equal(smtp.received.length, 6, 'only the unacknowledged one went out twice')
  t.ok((await outboxRows(database.orm)).every(row => row.sent_at !== null))
})
