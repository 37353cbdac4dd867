import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Enrolment, EnrolmentOutcome } from '../../domain/enrolment/enrolment.js'
import { EnrolmentRefusedError, type ContactTarget } from '../../domain/enrolment/enrolment.js'
import { invalid } from '../../domain/errors.js'
import type { ProviderPurpose } from '../../domain/enrolment/enrolment-store.js'
import type { IdentityProviders } from '../../domain/enrolment/identity-providers.js'
import type { Tenant, TenantService } from '../../domain/tenants/tenant-service.js'
import { AuthenticationFailedError, ProviderUnavailableError, type OidcRelyingParty, type PendingAuthorization } from '../../identity/oidc-client.js'
import { requestContext } from '../plugins/sessions.js'
import { sendResultPage, type ResultPage } from '../console/pages.js'
import type { Translations } from '../console/translations.js'

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
  translations: Translations
}

const PROVIDER_DOWN: ResultPage = { status: 503, title: 'result.down.title', message: 'result.down.message' }

/** Where a person starts the same flow again. */
function startAgain (flow: Flow): ResultPage['link'] {
  const tenant = encodeURIComponent(flow.tenant)
  return { href: flow.purpose === 'patient-enrolment' ? `/enroll/${tenant}/start` : `/auth/sso/${tenant}/start`, label: 'result.startAgain' }
}

/**
 * design.md "Enrolment" (contract): `/enroll/{tenant}/start` → the tenant's patient-enrolment provider →
 * `/enroll/callback`. Staff sign in the same way from `/auth/sso/{tenant}/start`.
 */
export function enrolmentRoutes ({ tenants, identityProviders, enrolment, relyingParty, publicUrl, translations }: EnrolmentRoutesOptions) {
  const secure = publicUrl.startsWith('https:')
  const page = async (request: FastifyRequest, reply: FastifyReply, result: ResultPage) => { await sendResultPage(request, reply, translations, result) }

  async function start (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply, purpose: ProviderPurpose): Promise<void> {
    const tenant = await tenants.findBySlug(request.params.tenant)
    const provider = tenant === undefined ? undefined : await identityProviders.forPurpose(tenant, purpose)
    if (tenant === undefined || provider === undefined) {
      await page(request, reply, { status: 404, title: 'result.unavailable.title', message: purpose === 'patient-enrolment' ? 'result.unavailable.patient' : 'result.unavailable.staff' })
      return
    }
    let started: Awaited<ReturnType<OidcRelyingParty['start']>>
    try {
      started = await relyingParty.start(provider.settings)
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error
      request.log.warn({ err: error }, 'identity provider unavailable')
      return await page(request, reply, PROVIDER_DOWN)
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
      await page(request, reply, { status: 400, title: 'result.incomplete.title', message: 'result.expired.message' })
      return
    }
    const tenant = await tenants.findBySlug(flow.tenant)
    const provider = tenant === undefined ? undefined : await identityProviders.byId(tenant, flow.provider)
    if (tenant === undefined || provider === undefined) {
      await page(request, reply, { status: 400, title: 'result.incomplete.title', message: 'result.providerGone.message' })
      return
    }
    const context = requestContext(request, flow.purpose === 'patient-enrolment' ? 'enrolment' : 'self-service')
    const query = (request.query as Record<string, string | undefined>)
    if (query.error !== undefined) {
      await page(request, reply, { status: 400, title: 'result.cancelled.title', message: 'result.cancelled.message', link: startAgain(flow) })
      return
    }
    let outcome: EnrolmentOutcome
    try {
      const claims = await relyingParty.finish(provider.settings, new URL(request.url, publicUrl), flow)
      outcome = flow.purpose === 'patient-enrolment'
        ? await enrolment.enrol(tenant, provider.record, enrolment.verify(provider.record, claims), context)
        : await enrolment.staffSignIn(tenant, claims, context)
    } catch (error) {
      if (error instanceof EnrolmentRefusedError) return await page(request, reply, { status: 403, title: 'result.refused.title', message: `refusal.${error.code}`, vars: error.params, link: startAgain(flow) })
      if (error instanceof ProviderUnavailableError) {
        request.log.warn({ err: error }, 'identity provider unavailable')
        return await page(request, reply, PROVIDER_DOWN)
      }
      if (error instanceof AuthenticationFailedError) {
        request.log.warn({ err: error }, 'OIDC callback refused')
        return await page(request, reply, { status: 400, title: 'result.incomplete.title', message: 'result.unverified.message', link: startAgain(flow) })
      }
      throw error
    }
    await respond(request, reply, tenant, outcome)
  }

  async function respond (request: FastifyRequest, reply: FastifyReply, tenant: Tenant, outcome: EnrolmentOutcome): Promise<void> {
    const slug = tenant.slug
    if (outcome.status === 'refused') return await page(request, reply, { status: 403, title: 'result.refused.title', message: `refusal.${outcome.code}` })
    const askEmail = outcome.needsEmail === true
    if (askEmail) {
      const target: ContactTarget = outcome.status === 'pending' ? { tenant: slug, requestId: outcome.requestId } : { tenant: slug, membershipId: outcome.session.sub }
      void reply.setCookie(CONTACT_COOKIE, JSON.stringify({ ...target, expires: Date.now() + CONTACT_TTL_SECONDS * 1000 }), { signed: true, httpOnly: true, sameSite: 'strict', secure, path: '/enroll', maxAge: CONTACT_TTL_SECONDS })
    }
    if (outcome.status === 'pending') return await page(request, reply, { status: 202, title: 'result.pending.title', message: 'result.pending.message', askEmail })
    void reply.startSession(outcome.session)
    await page(request, reply, { status: 200, title: 'result.in.title', message: 'result.in.message', vars: { tenant: tenant.displayName }, askEmail, link: { href: `/console/${encodeURIComponent(slug)}`, label: 'result.continue' } })
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
      if (confirmed) await page(request, reply, { status: 200, title: 'result.verified.title', message: 'result.verified.message' })
      else await page(request, reply, { status: 400, title: 'result.badLink.title', message: 'result.badLink.message' })
    })
  }
}
