import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HEALTHCARE_URN } from '../../domain/healthcare/extension.js'
import type { TenantService } from '../../domain/tenants/tenant-service.js'
import type { ScimUsers } from '../../domain/scim/users.js'
import { identifierSearch, practitionerOf } from '../../fhir/practitioner.js'
import { formatFilter } from '../../scim/filter/index.js'
import { invalidValue } from '../../scim/errors.js'
import { authenticateTenant } from '../plugins/tenant-auth.js'
import { toScimError } from '../plugins/scim-errors.js'
import { scopeOf } from './scim/resources.js'

const FHIR_CONTENT_TYPE = 'application/fhir+json; charset=utf-8'

/** FHIR R4 OperationOutcome issue codes for our HTTP statuses. */
const ISSUE_CODE: Record<number, string> = { 400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 429: 'throttled' }

export interface FhirRoutesOptions { tenants: TenantService, users: ScimUsers, publicUrl: string }

/**
 * `/fhir/{tenant}/Practitioner`: a read-only FHIR R4 view of the tenant's Users, authenticated by the
 * tenant's SCIM token. @see https://hl7.org/fhir/R4/http.html (read, search)
 */
export function fhirRoutes ({ tenants, users, publicUrl }: FhirRoutesOptions) {
  return async function (app: FastifyInstance): Promise<void> {
    authenticateTenant(app, tenants, publicUrl)
    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const scimError = toScimError(error)
      if (scimError.status >= 500) request.log.error({ err: error }, 'request failed')
      if (scimError.status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="CareSCIM", error="invalid_token"')
      await reply.code(scimError.status).type(FHIR_CONTENT_TYPE).send({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: ISSUE_CODE[scimError.status] ?? 'exception', diagnostics: scimError.toJSON().detail }]
      })
    })
    const tags = ['FHIR']

    app.get<{ Params: { id: string } }>('/Practitioner/:id', { schema: { tags, summary: 'Read a Practitioner (FHIR R4)' } }, async (request, reply) => {
      const user = await users.get(scopeOf(request), request.params.id, { groups: false })
      return await reply.type(FHIR_CONTENT_TYPE).send(practitionerOf(user))
    })

    app.get<{ Querystring: { identifier?: string, _count?: string } }>('/Practitioner', { schema: { tags, summary: 'Search Practitioners by identifier=system|value (FHIR R4)' } }, async (request, reply) => {
      const { identifier } = request.query
      if (identifier === undefined) throw invalidValue('Search by identifier=system|value')
      const search = identifierSearch(identifier)
      const filter = search === undefined
        ? undefined
        : formatFilter({ kind: 'compare', path: { uri: HEALTHCARE_URN, attribute: search.attribute }, op: 'eq', value: search.value })
      const result = filter === undefined
        ? { resources: [], totalResults: 0 }
        : await users.list(scopeOf(request), { filter, count: 100 }, { groups: false })
      const base = `${publicUrl}/fhir/${request.scimTenant.slug}`
      return await reply.type(FHIR_CONTENT_TYPE).send({
        resourceType: 'Bundle',
        type: 'searchset',
        total: result.totalResults,
        entry: result.resources.map(user => ({ fullUrl: `${base}/Practitioner/${String(user.id)}`, resource: practitionerOf(user), search: { mode: 'match' } }))
      })
    })
  }
}
