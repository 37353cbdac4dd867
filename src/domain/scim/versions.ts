import { preconditionFailed } from '../../scim/errors.js'

/** @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14 (weak ETags from the resource version) */
export function etagOf (version: string): string {
  return `W/"${version}"`
}

/**
 * Whether an If-Match / If-None-Match list names this ETag, or is `*`. Tags compare by their opaque part:
 * SCIM ETags are weak by design (RFC 7644 §3.14), so the weak comparison of RFC 7232 §2.3.2 applies.
 */
function listed (header: string, etag: string): boolean {
  const current = etag.replace(/^W\//, '')
  return header.split(',').some(tag => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === current)
}

/** If-Match (RFC 7232 §3.1): the current version must be listed; otherwise 412 and nothing changes. */
export function checkIfMatch (ifMatch: string | undefined, version: string): void {
  if (ifMatch !== undefined && !listed(ifMatch, etagOf(version))) throw preconditionFailed()
}

/** If-None-Match on GET (RFC 7232 §3.2): true when the client's copy is current (→ 304). */
export function notModified (ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && listed(ifNoneMatch, etag)
}

export interface Stored { id: string, version: string, created: Date, lastModified: Date }

/** The common `meta` attribute (RFC 7643 §3.1): location under the tenant's base URL, version as weak ETag. */
export function metaOf (resourceType: 'User' | 'Group', stored: Stored, baseUrl: string) {
  return {
    resourceType,
    created: stored.created.toISOString(),
    lastModified: stored.lastModified.toISOString(),
    location: `${baseUrl}/${resourceType}s/${stored.id}`,
    version: etagOf(stored.version)
  }
}
