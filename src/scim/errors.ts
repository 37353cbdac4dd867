/**
 * Every SCIM protocol error, in one table.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 *
 * Protocol core only: no HTTP framework here. The HTTP layer renders a ScimError as
 * `{ schemas: [ERROR_SCHEMA], status: "400", scimType?, detail }` with `status` as the HTTP status.
 * `expose` follows panva's rule: details of 5xx errors never reach the client.
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** scimType values defined by RFC 7644 §3.12 Table 9, plus the ones added by RFC 9865 (cursor paging). */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'

export class ScimError extends Error {
  readonly status: number
  readonly scimType: ScimType | undefined
  readonly expose: boolean
  /** The attribute path the error concerns, when one does (not part of the SCIM body; other front ends use it). */
  readonly attribute: string | undefined

  constructor (status: number, detail: string, scimType?: ScimType, attribute?: string) {
    super(detail)
    this.name = 'ScimError'
    this.status = status
    this.scimType = scimType
    this.expose = status < 500
    this.attribute = attribute
  }

  toJSON (): ScimErrorBody {
    const body: ScimErrorBody = {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      detail: this.expose ? this.message : 'Internal server error'
    }
    if (this.scimType !== undefined && this.expose) body.scimType = this.scimType
    return body
  }
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA]
  status: string
  scimType?: ScimType
  detail: string
}

// Constructors named after RFC 7644 §3.12 so call sites read like the spec.
export const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter')
export const tooMany = (detail: string) => new ScimError(400, detail, 'tooMany')
export const uniqueness = (detail: string, attribute?: string) => new ScimError(409, detail, 'uniqueness', attribute)
export const mutability = (detail: string) => new ScimError(400, detail, 'mutability')
export const invalidSyntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax')
export const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath')
export const noTarget = (detail: string) => new ScimError(400, detail, 'noTarget')
export const invalidValue = (detail: string, attribute?: string) => new ScimError(400, detail, 'invalidValue', attribute)
export const invalidVersion = (detail: string) => new ScimError(400, detail, 'invalidVers')
export const sensitive = (detail: string) => new ScimError(403, detail, 'sensitive')
/** RFC 9865 §5 */
export const invalidCursor = (detail: string) => new ScimError(400, detail, 'invalidCursor')
export const expiredCursor = (detail: string) => new ScimError(400, detail, 'expiredCursor')

// Errors without a scimType (RFC 7644 §3.12: status alone says it).
export const unauthorized = (detail = 'Authorization failure. The authorization header is invalid or missing.') => new ScimError(401, detail)
export const forbidden = (detail: string) => new ScimError(403, detail)
export const notFound = (detail: string) => new ScimError(404, detail)
export const conflict = (detail: string) => new ScimError(409, detail)
export const preconditionFailed = (detail = 'Failed to update. Resource changed on the server.') => new ScimError(412, detail)
export const payloadTooLarge = (detail: string) => new ScimError(413, detail)
export const notImplemented = (detail: string) => new ScimError(501, detail)
export const tooManyRequests = (detail: string) => new ScimError(429, detail)
