import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, QuotaExceededError } from '../../domain/errors.js'
import { ScimError } from '../../scim/errors.js'

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  invalid: 400, unauthorized: 401, not_found: 404, conflict: 409, forbidden: 403, quota_exceeded: 429
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error'
}

/**
 * The admin and auth APIs' errors: `{ statusCode, error, message, field? }` as fastify answers, plus the input
 * field the error concerns when there is one (a form shows the message next to it); never a stack trace.
 */
export async function apiErrorHandler (error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { status, message, field } = describe(error)
  if (status >= 500) request.log.error({ err: error }, 'request failed')
  if (error instanceof QuotaExceededError) void reply.header('retry-after', String(error.retryAfterSeconds))
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="CareSCIM"')
  await reply.code(status).send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message, ...(field === undefined ? {} : { field }) })
}

function describe (error: unknown): { status: number, message: string, field?: string } {
  if (error instanceof DomainError) return { status: DOMAIN_STATUS[error.kind], message: error.message, field: error.field }
  if (error instanceof ScimError) return { status: error.status, message: error.message }
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, message: fastifyError.message ?? 'Bad request', field: validationField(fastifyError) }
  return { status: 500, message: 'Internal server error' }
}

/** The body field a schema validation failed on: `/healthcare/agbCode` → `healthcare.agbCode`. */
function validationField (error: Partial<FastifyError>): string | undefined {
  const [first] = error.validationContext === 'body' ? error.validation ?? [] : []
  if (first === undefined) return undefined
  const missing = (first.params as { missingProperty?: string }).missingProperty
  const path = first.instancePath.slice(1).replaceAll('/', '.')
  return missing === undefined ? (path === '' ? undefined : path) : (path === '' ? missing : `${path}.${missing}`)
}
