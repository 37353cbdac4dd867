import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Enrolment, EnrolmentOutcome } from '../../domain/enrolment/enrolment.js'
import { EnrolmentRefusedError } from '../../domain/enrolment/enrolment.js'
import type { ProviderPurpose } from '../../domain/enrolment/enrolment-store.js'
import type { IdentityProviders } from '../../domain/enrolment/identity-providers.js'
import type { TenantService } from '../../domain/tenants/tenant-service.js'
import { AuthenticationFailedError, ProviderUnavailableError, type OidcRelyingParty, type PendingAuthorization } from '../../identity/oidc-client.js'
import { requestContext, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../plugins/sessions.js'
import { resultPage } from './result-page.js'

/** Binds the flow to this browser: signed, HTTP-only, SameSite=Lax, ten minutes, callback path only. */
const FLOW_COOKIE = 'carescim_oidc'
const FLOW_TTL_SECONDS = 600

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
    await respond(reply, outcome)
  }

  async function respond (reply: FastifyReply, outcome: EnrolmentOutcome): Promise<void> {
    if (outcome.status === 'refused') return await resultPage(reply, 403, 'Sign-in refused', outcome.reason)
    if (outcome.status === 'pending') return await resultPage(reply, 202, 'Waiting for approval', 'Thank you. The clinic will review your sign-up; you will hear from them.')
    const session = reply.server.issueSession(outcome.session)
    void reply.setCookie(SESSION_COOKIE, session.accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_TTL_SECONDS })
    await resultPage(reply, 200, 'Signed in', 'You are signed in.')
  }

  function flowOf (request: FastifyRequest): Flow | undefined {
    const raw = request.cookies[FLOW_COOKIE]
    if (raw === undefined) return undefined
    const unsigned = request.unsignCookie(raw)
    if (!unsigned.valid || unsigned.value === null) return undefined
    try {
      const flow = JSON.parse(unsigned.value) as Flow
      return flow.expires > Date.now() ? flow : undefined
    } catch {
      return undefined
    }
  }

  return async function (app: FastifyInstance): Promise<void> {
    const hide = { tags: ['enrolment'] }
    app.get<{ Params: { tenant: string } }>('/enroll/:tenant/start', { schema: { ...hide, summary: "Sign up or in as a patient with the clinic's eID provider (redirect)" } },
      async (request, reply) => { await start(request, reply, 'patient-enrolment') })
    app.get<{ Params: { tenant: string } }>('/auth/sso/:tenant/start', { schema: { ...hide, summary: "Staff sign-in through the organisation's identity provider (redirect)" } },
      async (request, reply) => { await start(request, reply, 'staff-sign-in') })
    app.get('/enroll/callback', { schema: { ...hide, summary: 'Where the provider sends the browser back' } }, callback)
  }
}
