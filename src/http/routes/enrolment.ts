import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Enrolment, EnrolmentOutcome } from '../../domain/enrolment/enrolment.js'
import { EnrolmentRefusedError, type ContactTarget } from '../../domain/enrolment/enrolment.js'
import { invalid } from '../../domain/errors.js'
import type { ProviderPurpose } from '../../domain/enrolment/enrolment-store.js'
import type { IdentityProviders } from '../../domain/enrolment/identity-providers.js'
import type { TenantService } from '../../domain/tenants/tenant-service.js'
import { AuthenticationFailedError, ProviderUnavailableError, type OidcRelyingParty, type PendingAuthorization } from '../../identity/oidc-client.js'
import { requestContext, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../plugins/sessions.js'
import { CONTACT_FORM, resultPage } from '../pages/result-page.js'

/** Binds the flow to this browser: signed, HTTP-only, SameSite=Lax, ten minutes, callback path only. */
const FLOW_COOKIE = 'carescim_oidc'
const FLOW_TTL_SECONDS = 600
/** Whose contact address the browser may give next (an enrolment without an email from the eID). */
const CONTACT_COOKIE = 'carescim_contact'
const CONTACT_TTL_SECONDS = 1800

interface Flow extends PendingAuthorization { tenant: string, provider: string, purpose: ProviderPurpose, expires: number }

export interface EnrolmentRoutesOptions {
  tenants: TenantService
  identityProviders: IdentityProviders
  enrolment: Enrolment
  relyingParty: OidcRelyingParty
  publicUrl: string
}

/**
 * design.md "Enrolment" (contract): `/enroll/{tenant}/start` → the tenant's patient-enrolment provider →
 * `/enroll/callback`. Staff sign in the same way from `/auth/sso/{tenant}/start`.
 */
export function enrolmentRoutes ({ tenants, identityProviders, enrolment, relyingParty, publicUrl }: EnrolmentRoutesOptions) {
  const secure = publicUrl.startsWith('https:')

  async function start (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply, purpose: ProviderPurpose): Promise<void> {
    const tenant = await tenants.findBySlug(request.params.tenant)
    const provider = tenant === undefined ? undefined : await identityProviders.forPurpose(tenant, purpose)
    if (tenant === undefined || provider === undefined) {
      await resultPage(reply, 404, 'Sign-in not available', purpose === 'patient-enrolment' ? 'This clinic does not offer sign-up with an eID.' : 'This organisation has no sign-in provider.')
      return
    }
    let started: Awaited<ReturnType<OidcRelyingParty['start']>>
    try {
      started = await relyingParty.start(provider.settings)
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error
      request.log.warn({ err: error }, 'identity provider unavailable')
      return await resultPage(reply, 503, 'Sign-in service unavailable', 'The sign-in service cannot be reached right now. Please try again later.')
    }
    const { url, pending } = started
    const flow: Flow = { ...pending, tenant: tenant.slug, provider: provider.record.id, purpose, expires: Date.now() + FLOW_TTL_SECONDS * 1000 }
    await reply
      .setCookie(FLOW_COOKIE, JSON.stringify(flow), { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/enroll/callback', maxAge: FLOW_TTL_SECONDS })
      .redirect(url, 302)
  }

  async function callback (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // Used once: a replayed callback finds no flow.
    void reply.clearCookie(FLOW_COOKIE, { path: '/enroll/callback' })
    const flow = flowOf(request)
    if (flow === undefined) {
      await resultPage(reply, 400, 'Sign-in not completed', 'This sign-in link has expired or was already used. Please start again.')
      return
    }
    const tenant = await tenants.findBySlug(flow.tenant)
    const provider = tenant === undefined ? undefined : await identityProviders.byId(tenant, flow.provider)
    if (tenant === undefined || provider === undefined) {
      await resultPage(reply, 400, 'Sign-in not completed', 'This sign-in provider is no longer configured. Please start again.')
      return
    }
    const context = requestContext(request, flow.purpose === 'patient-enrolment' ? 'enrolment' : 'self-service')
    const query = (request.query as Record<string, string | undefined>)
    if (query.error !== undefined) {
      await resultPage(reply, 400, 'Sign-in cancelled', 'The sign-in was cancelled or refused at the identity provider. You can start again.')
      return
    }
    let outcome: EnrolmentOutcome
    try {
      const claims = await relyingParty.finish(provider.settings, new URL(request.url, publicUrl), flow)
      outcome = flow.purpose === 'patient-enrolment'
        ? await enrolment.enrol(tenant, provider.record, enrolment.verify(provider.record, claims), context)
        : await enrolment.staffSignIn(tenant, claims, context)
    } catch (error) {
      if (error instanceof EnrolmentRefusedError) return await resultPage(reply, 403, 'Sign-in refused', error.message)
      if (error instanceof ProviderUnavailableError) {
        request.log.warn({ err: error }, 'identity provider unavailable')
        return await resultPage(reply, 503, 'Sign-in service unavailable', 'The sign-in service cannot be reached right now. Nothing was changed; please try again later.')
      }
      if (error instanceof AuthenticationFailedError) {
        request.log.warn({ err: error }, 'OIDC callback refused')
        return await resultPage(reply, 400, 'Sign-in not completed', 'The sign-in could not be verified. Please start again.')
      }
      throw error
    }
    await respond(reply, tenant.slug, outcome)
  }

  async function respond (reply: FastifyReply, slug: string, outcome: EnrolmentOutcome): Promise<void> {
    if (outcome.status === 'refused') return await resultPage(reply, 403, 'Sign-in refused', outcome.reason)
    const form = outcome.needsEmail === true ? CONTACT_FORM : ''
    if (outcome.needsEmail === true) {
      const target: ContactTarget = outcome.status === 'pending' ? { tenant: slug, requestId: outcome.requestId } : { tenant: slug, membershipId: outcome.session.sub }
      void reply.setCookie(CONTACT_COOKIE, JSON.stringify({ ...target, expires: Date.now() + CONTACT_TTL_SECONDS * 1000 }), { signed: true, httpOnly: true, sameSite: 'strict', secure, path: '/enroll', maxAge: CONTACT_TTL_SECONDS })
    }
    if (outcome.status === 'pending') return await resultPage(reply, 202, 'Waiting for approval', 'Thank you. The clinic will review your sign-up; you will hear from them.', form)
    const session = reply.server.issueSession(outcome.session)
    void reply.setCookie(SESSION_COOKIE, session.accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_TTL_SECONDS })
    await resultPage(reply, 200, 'Signed in', 'You are signed in.', form)
  }

  /** A signed cookie's JSON, if genuine and not expired. */
  function signedJson<T extends { expires: number }> (request: FastifyRequest, name: string): T | undefined {
    const raw = request.cookies[name]
    if (raw === undefined) return undefined
    const unsigned = request.unsignCookie(raw)
    if (!unsigned.valid || unsigned.value === null) return undefined
    try {
      const value = JSON.parse(unsigned.value) as T
      return value.expires > Date.now() ? value : undefined
    } catch {
      return undefined
    }
  }

  function flowOf (request: FastifyRequest): Flow | undefined {
    return signedJson<Flow>(request, FLOW_COOKIE)
  }

  return async function (app: FastifyInstance): Promise<void> {
    const hide = { tags: ['enrolment'] }
    app.get<{ Params: { tenant: string } }>('/enroll/:tenant/start', { schema: { ...hide, summary: "Sign up or in as a patient with the clinic's eID provider (redirect)" } },
      async (request, reply) => { await start(request, reply, 'patient-enrolment') })
    app.get<{ Params: { tenant: string } }>('/auth/sso/:tenant/start', { schema: { ...hide, summary: "Staff sign-in through the organisation's identity provider (redirect)" } },
      async (request, reply) => { await start(request, reply, 'staff-sign-in') })
    app.get('/enroll/callback', { schema: { ...hide, summary: 'Where the provider sends the browser back' } }, callback)

    app.post<{ Body: { email: string } }>('/enroll/email', {
      schema: { ...hide, summary: 'A patient whose eID gave no email address gives one; a link confirms it', body: { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', maxLength: 254 } } } }
    }, async (request, reply) => {
      const target = signedJson<ContactTarget & { expires: number }>(request, CONTACT_COOKIE)
      const tenant = target === undefined ? undefined : await tenants.findBySlug(target.tenant)
      if (target === undefined || tenant === undefined) throw invalid('Sign up again to give an email address (this page has expired)')
      const { expires: _expires, ...contact } = target
      await enrolment.offerEmail(tenant, contact, request.body.email, requestContext(request, 'enrolment'), request.headers['accept-language']?.split(',')[0])
      await reply.code(202).send({ message: 'We sent a link to this address. Open it to confirm the address is yours.' })
    })

    app.get<{ Querystring: { token?: string } }>('/enroll/verify-email', { schema: { ...hide, summary: 'The confirmation link of a contact address' } }, async (request, reply) => {
      const confirmed = await enrolment.confirmEmail(request.query.token ?? '', async slug => await tenants.findBySlug(slug), requestContext(request, 'enrolment'))
      if (confirmed) await resultPage(reply, 200, 'Email address confirmed', 'Thank you: the clinic can now reach you at this address.')
      else await resultPage(reply, 400, 'Link not valid', 'This link is not valid or has expired. Sign in again to give your email address.')
    })
  }
}
