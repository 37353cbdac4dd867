import type { FastifyInstance } from 'fastify'
import { operatorSession } from '../../src/domain/accounts/account-administration.js'
import { CLI_CONTEXT } from '../../src/domain/lifecycle/change-context.js'
import type { Runtime } from '../../src/runtime.js'
import { startTestApp, type TestContext } from './app.js'
import type { Teardown } from './database.js'
import { linkIn, startSmtpServer, type ParsedMail, type TestSmtpServer } from './smtp.js'

export const PASSWORD = 'correct horse battery staple'

export interface LifecycleContext extends TestContext {
  smtp: TestSmtpServer
  /** Sends what the outbox holds and returns the mails that arrived for this address since the last call. */
  mailsTo: (address: string) => Promise<ParsedMail[]>
}

/** An app on a fresh database whose mail goes to a real in-process SMTP server. */
export async function startLifecycleApp (t: Teardown, env: NodeJS.ProcessEnv = {}): Promise<LifecycleContext> {
  const smtp = await startSmtpServer(t)
  const context = await startTestApp(t, { SMTP_URL: smtp.url, ...env })
  const seen = new Set<ParsedMail>()
  return {
    ...context,
    smtp,
    mailsTo: async address => {
      await context.runtime.mailer.worker.drain()
      const fresh = smtp.messages.filter(mail => !seen.has(mail) && addressesOf(mail).includes(address.toLowerCase()))
      for (const mail of fresh) seen.add(mail)
      return fresh
    }
  }
}

function addressesOf (mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to]
  return to.flatMap(group => group.value.map(a => (a.address ?? '').toLowerCase()))
}

/** What `carescim account create` does: the operator creates an account waiting for activation. */
export async function createByOperator (runtime: Runtime, slug: string, email: string, roles: string[], name = { givenName: 'Anna', familyName: 'de Vries' }) {
  const tenant = (await runtime.tenants.findBySlug(slug))!
  return await runtime.administration.create(operatorSession(tenant, CLI_CONTEXT), { email, ...name, roles })
}

export function tokenOf (activationLink: string): string {
  return new URL(activationLink).searchParams.get('token')!
}

export async function activate (app: FastifyInstance, mail: ParsedMail, password = PASSWORD): Promise<number> {
  const response = await app.inject({ method: 'POST', url: '/auth/activate', payload: { token: tokenOf(linkIn(mail, '/activate')), password } })
  return response.statusCode
}

export async function login (app: FastifyInstance, tenant: string, email: string, password = PASSWORD): Promise<{ status: number, token: string | undefined }> {
  const response = await app.inject({ method: 'POST', url: '/auth/login', payload: { tenant, email, password } })
  return { status: response.statusCode, token: response.statusCode === 200 ? response.json().accessToken : undefined }
}

/** A tenant with an activated, signed-in user administrator. */
export async function tenantWithAdministrator (context: LifecycleContext, slug: string, email = `admin@${slug}.test`) {
  const scimToken = await context.tenant(slug)
  const admin = await createByOperator(context.runtime, slug, email, ['user-admin'])
  const [mail] = await context.mailsTo(email)
  if (mail === undefined || await activate(context.app, mail) !== 204) throw new Error('administrator activation failed')
  const { token } = await login(context.app, slug, email)
  return { scimToken, adminId: admin.id, adminToken: token!, adminEmail: email }
}

export function bearer (token: string) {
  return { authorization: `Bearer ${token}` }
}
