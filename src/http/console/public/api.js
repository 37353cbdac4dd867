// The admin API, as any client calls it; a browser session rides in the HTTP-only cookie, and every
// state-changing call carries the page's CSRF token.
const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? ''

export class ApiError extends Error {
  constructor (status, body) {
    super(body?.message ?? `HTTP ${status}`)
    this.status = status
    /** The input field the API names, e.g. "givenName" or "healthcare.agbCode". */
    this.field = body?.field
  }
}

let sessionEnded = () => {}
/** What to do when a signed-in call answers 401 (the session ended: deactivated, expired, signed out). */
export function onSessionEnded (handler) { sessionEnded = handler }

export async function api (method, path, body, { signedIn = true } = {}) {
  const headers = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken()
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  const json = text === '' ? undefined : JSON.parse(text)
  if (response.status === 401 && signedIn) sessionEnded()
  // The page's CSRF token no longer matches the browser's secret (it was replaced in another tab): a fresh page has the new one.
  if (response.status === 403 && /csrf/i.test(json?.message ?? '')) location.reload()
  if (!response.ok) throw new ApiError(response.status, json)
  return json
}

/** `/api/v1/tenants/{tenant}` + path */
export const tenantApi = (tenant, path) => `/api/v1/tenants/${encodeURIComponent(tenant)}${path}`

export function query (params) {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '')
  return entries.length === 0 ? '' : '?' + new URLSearchParams(entries).toString()
}
