import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, QuotaExceededError } from '../../domain/errors.js'
import { invalidSyntax, payloadTooLarge, ScimError } from '../../scim/errors.js'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  invalid: 400, unauthorized: 401, not_found: 404, conflict: 409, forbidden: 403, quota_exceeded: 429
}

/** Any error thrown under /scim/v2 as a SCIM error (RFC 7644 §3.12); no stack trace ever leaves. */
export function toScimError (error: unknown): ScimError {
  if (error instanceof ScimError) return error
  if (error instanceof DomainError) return new ScimError(DOMAIN_STATUS[error.kind], error.message, error.kind === 'invalid' ? 'invalidValue' : undefined)
  const fastifyError = error as Partial<FastifyError>
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge('The request body is larger than the server accepts (see ServiceProviderConfig bulk.maxPayloadSize).')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(415, 'Unsupported media type: send application/scim+json or application/json.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidSyntax('The request body is empty.')
  }
  // fastify's JSON parser marks a syntax error with statusCode 400 and a SyntaxError message.
  if (fastifyError.statusCode === 400 && (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
    return invalidSyntax('The request body is not valid JSON.')
  }
  if (fastifyError.validation !== undefined) return invalidSyntax(fastifyError.message ?? 'Invalid request')
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) return new ScimError(status, fastifyError.message ?? 'Bad request')
  return new ScimError(500, 'Internal server error')
}

export async function scimErrorHandler (error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const scimError = toScimError(error)
  if (scimError.status >= 500) request.log.error({ err: error }, 'request failed')
  // RFC 6585 §4: how long to wait; IdPs (Entra, Okta) back off on 429 and retry.
  if (error instanceof QuotaExceededError) reply.header('Retry-After', String(error.retryAfterSeconds))
  if (scimError.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="CareSCIM", error="invalid_token"')
  await reply.code(scimError.status).type(SCIM_CONTENT_TYPE).send(scimError.toJSON())
}
