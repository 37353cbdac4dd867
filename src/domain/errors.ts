/**
 * Domain failures, independent of HTTP and the CLI: each front end maps `kind` to its own shape
 * (SCIM error, admin API problem, CLI exit code).
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'quota_exceeded'

export class DomainError extends Error {
  constructor (readonly kind: DomainErrorKind, message: string) {
    super(message)
    this.name = 'DomainError'
  }
}

export const invalid = (message: string) => new DomainError('invalid', message)
export const notFound = (message: string) => new DomainError('not_found', message)
export const conflict = (message: string) => new DomainError('conflict', message)
