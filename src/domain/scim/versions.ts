import { preconditionFailed } from '../../scim/errors.js'

/** @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14 (weak ETags from the resource version) */
export function etagOf (version: string): string {
  return `W/"${version}"`
}

/**
 * If-Match (RFC 7232 §3.1): `*` or one of the listed tags must be the current version; otherwise 412 and
 * nothing changes. Tags compare by their opaque part: SCIM ETags are weak by design (RFC 7644 §3.14).
 */
export function checkIfMatch (ifMatch: string | undefined, version: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return
  const current = `"${version}"`
  const matches = ifMatch.split(',').some(tag => tag.trim().replace(/^W\//, '') === current)
  if (!matches) throw preconditionFailed()
}

/** If-None-Match on GET: true when the client's copy is current (→ 304). */
export function notModified (ifNoneMatch: string | undefined, version: string): boolean {
  if (ifNoneMatch === undefined) return false
  const current = `"${version}"`
  return ifNoneMatch.split(',').some(tag => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === current)
}
