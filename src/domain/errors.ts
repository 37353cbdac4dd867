/**
 * Domain failures, independent of HTTP and the CLI: each front end maps `kind` to its own shape
 * (SCIM error, admin API problem, CLI exit code).
 */
export type DomainErrorKind = 'invalid' | 'unauthorized' | 'not_found' | 'conflict' | 'forbidden' | 'quota_exceeded'

export class DomainError extends Error {
  /** The input field the failure concerns (a form shows the message next to it), when there is one. */
  readonly field: string | undefined

  constructor (readonly kind: DomainErrorKind, message: string, field?: string) {
    super(message)
    this.name = 'DomainError'
    this.field = field
  }
}

export const invalid = (message: string, field?: string) => new DomainError('invalid', message, field)
export const notFound = (message: string) => new DomainError('not_found', message)
export const conflict = (message: string, field?: string) => new DomainError('conflict', message, field)
export const unauthorized = (message: string) => new DomainError('unauthorized', message)
export const forbidden = (message: string) => new DomainError('forbidden', message)

/** A daily quota is used up: try again after `retryAfterSeconds` (the next UTC day). */
export class QuotaExceededError extends DomainError {
  constructor (readonly action: string, readonly limit: number, readonly retryAfterSeconds: number) {
    super('quota_exceeded', `The daily quota of ${limit} "${action}" actions for this tenant is used up; try again after midnight UTC (in ${retryAfterSeconds} s) or ask the platform operator to raise it`)
  }
}
