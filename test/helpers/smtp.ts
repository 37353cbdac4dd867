import { EventEmitter, once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerSession } from 'smtp-server'
import type { Teardown } from './database.js'

export type { ParsedMail }

export interface SmtpServerOptions {
  /**
   * Runs after a message's DATA has arrived, before the server answers it: throw (e.g. `smtpError(451, …)`)
   * to refuse the message, or await to hold the reply. `index` counts every DATA received, from 0.
   */
  beforeAccept?: (mail: ParsedMail, index: number) => Promise<void> | void
}

export interface TestSmtpServer {
  url: string
  /** Messages the server accepted (answered 250), in order. */
  messages: ParsedMail[]
  /** Every message whose DATA arrived, accepted or not. */
  received: ParsedMail[]
  waitForMessages: (count: number, timeoutMs?: number) => Promise<ParsedMail[]>
  close: () => Promise<void>
}

/** An SMTP error reply, as smtp-server sends it (e.g. 451 = try again later, 550 = refused). */
export function smtpError (responseCode: number, message = 'Refused by the test server'): Error {
  return Object.assign(new Error(message), { responseCode })
}

/** A local SMTP server for one test: no TLS, no authentication; closed when the test ends. */
export async function startSmtpServer (t: Teardown, { beforeAccept }: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = []
  const received: ParsedMail[] = []
  const accepted = new EventEmitter()
  // A client that died while its reply was held never saw a 250: not an accepted message.
  const closedSessions = new Set<string>()

  async function accept (stream: NodeJS.ReadableStream, session: SMTPServerSession): Promise<void> {
    const mail = await simpleParser(stream as never)
    const index = received.push(mail) - 1
    await beforeAccept?.(mail, index)
    if (closedSessions.has(session.id)) throw new Error('The client has gone')
    messages.push(mail)
    accepted.emit('message')
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onData (stream, session, callback) {
      accept(stream, session).then(() => callback(), (error: Error) => {
        stream.resume()
        callback(error)
      })
    },
    onClose (session) { closedSessions.add(session.id) }
  })
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const { port } = server.server.address() as AddressInfo

  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await new Promise<void>(resolve => server.close(resolve))
  }
  t.teardown(close)

  const waitForMessages = async (count: number, timeoutMs = 5000): Promise<ParsedMail[]> => {
    const deadline = Date.now() + timeoutMs
    while (messages.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`Expected ${count} mail(s) within ${timeoutMs} ms, got ${messages.length}`)
      await once(accepted, 'message', { signal: AbortSignal.timeout(left) }).catch(() => undefined)
    }
    return messages.slice(0, count)
  }

  return { url: `smtp://127.0.0.1:${port}`, messages, received, waitForMessages, close }
}

/**
 * The first URL in a mail's text body that starts with `prefix`: a whole URL prefix
 * ('http://carescim.test/activate') or a path ('/activate'). Throws, listing the URLs found, when none does.
 */
export function linkIn (mail: ParsedMail, prefix: string): string {
  const urls = (mail.text ?? '').match(/https?:\/\/[^\s<>"]+/g) ?? []
  const found = urls.find(url => prefix.startsWith('/') ? new URL(url).pathname.startsWith(prefix) : url.startsWith(prefix))
  if (found === undefined) throw new Error(`No link starting with ${prefix} in "${mail.subject ?? ''}"; links: ${urls.join(', ') || 'none'}`)
  return found
}
