/** A request as fastify's `app.inject` takes it: `inject: req => app.inject(req)`. */
export interface InjectRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'
  /** Path and query. */
  url: string
  headers: Record<string, string>
  payload?: string
}

export interface InjectResponse {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

export interface TestBrowserOptions {
  /** Origin of the app under test, e.g. http://carescim.test; with `inject`, its URLs never touch the network. */
  appOrigin?: string
  inject?: (req: InjectRequest) => Promise<InjectResponse>
  maxRedirects?: number
}

export interface BrowserResponse {
  status: number
  /** URL of the last request made. */
  url: string
  headers: Headers
  body: string
  /** Every redirect target followed, in order. */
  redirects: string[]
}

export interface RequestOptions {
  method?: InjectRequest['method']
  headers?: Record<string, string>
  /** A form to send (application/x-www-form-urlencoded). */
  form?: Record<string, string>
}

interface Cookie {
  name: string
  value: string
  /** Host the cookie came from, or its Domain attribute (then also sent to subdomains). */
  domain: string
  hostOnly: boolean
  path: string
  expiresAt: number
}

/**
 * Plays a browser: a cookie jar and a redirect loop across hosts. Cookies follow RFC 6265 roughly: per host
 * (not per port, as in browsers), Path honoured, Max-Age/Expires honoured, Secure/HttpOnly/SameSite ignored.
 */
export class TestBrowser {
  private cookies: Cookie[] = []
  private readonly options: TestBrowserOptions

  constructor (options: TestBrowserOptions = {}) {
    this.options = options
  }

  /** GET `url` and follow redirects to the end. */
  async get (url: string, options: RequestOptions = {}): Promise<BrowserResponse> {
    return await this.request(url, options)
  }

  async request (url: string, options: RequestOptions = {}): Promise<BrowserResponse> {
    const result = await this.follow(url, options, undefined)
    if (typeof result === 'string') throw new Error('unreachable')
    return result
  }

  /**
   * Follow redirects from `url` until one points at a URL starting with `stopPrefix`, and return that URL
   * without requesting it (e.g. to capture an OIDC callback and replay it). Throws if the chain ends elsewhere.
   */
  async followUntil (url: string, stopPrefix: string, options: RequestOptions = {}): Promise<string> {
    const result = await this.follow(url, options, stopPrefix)
    if (typeof result === 'string') return result
    throw new Error(`no redirect to ${stopPrefix}: ended at ${result.url} with ${result.status}: ${result.body.slice(0, 500)}`)
  }

  /** The Cookie header this browser would send to `url` (empty string if none). */
  cookieHeader (url: string): string {
    const target = new URL(url)
    const now = Date.now()
    this.cookies = this.cookies.filter(cookie => cookie.expiresAt > now)
    return this.cookies
      .filter(cookie => domainMatches(cookie, target.hostname) && pathMatches(cookie.path, target.pathname))
      // Longer paths first, as browsers send them.
      .sort((a, b) => b.path.length - a.path.length)
      .map(cookie => `${cookie.name}=${cookie.value}`)
      .join('; ')
  }

  /** The value of cookie `name` as it would be sent to `url`. */
  cookie (url: string, name: string): string | undefined {
    for (const pair of this.cookieHeader(url).split('; ')) {
      const eq = pair.indexOf('=')
      if (pair.slice(0, eq) === name) return pair.slice(eq + 1)
    }
    return undefined
  }

  clearCookies (): void {
    this.cookies = []
  }

  private async follow (url: string, options: RequestOptions, stopPrefix: string | undefined): Promise<BrowserResponse | string> {
    const redirects: string[] = []
    const maxRedirects = this.options.maxRedirects ?? 20
    let method = options.method ?? (options.form === undefined ? 'GET' : 'POST')
    let body = options.form === undefined ? undefined : new URLSearchParams(options.form).toString()
    let extraHeaders: Record<string, string> = {
      ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      ...options.headers
    }
    let current = url
    for (;;) {
      const response = await this.send(method, current, extraHeaders, body)
      this.storeCookies(current, response.setCookies)
      const location = response.headers.get('location')
      if (![301, 302, 303, 307, 308].includes(response.status) || location === null) {
        return { status: response.status, url: current, headers: response.headers, body: response.body, redirects }
      }
      const next = new URL(location, current).href
      if (stopPrefix !== undefined && next.startsWith(stopPrefix)) return next
      if (redirects.length >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects: ${redirects.join(' -> ')}`)
      redirects.push(next)
      // 307/308 repeat the request; the others turn it into a GET, as browsers do.
      if (response.status !== 307 && response.status !== 308) {
        method = 'GET'
        body = undefined
        extraHeaders = {}
      }
      current = next
    }
  }

  private async send (method: InjectRequest['method'], url: string, extraHeaders: Record<string, string>, body: string | undefined):
  Promise<{ status: number, headers: Headers, body: string, setCookies: string[] }> {
    const cookie = this.cookieHeader(url)
    const headers: Record<string, string> = { ...extraHeaders, ...(cookie === '' ? {} : { cookie }) }
    const { appOrigin, inject } = this.options
    if (inject !== undefined && appOrigin !== undefined && new URL(url).origin === new URL(appOrigin).origin) {
      const target = new URL(url)
      const response = await inject({
        method,
        url: target.pathname + target.search,
        headers: { host: target.host, ...headers },
        ...(body === undefined ? {} : { payload: body })
      })
      const responseHeaders = new Headers()
      const setCookies: string[] = []
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue
        const values = Array.isArray(value) ? value : [String(value)]
        if (name.toLowerCase() === 'set-cookie') setCookies.push(...values)
        for (const v of values) responseHeaders.append(name, v)
      }
      return { status: response.statusCode, headers: responseHeaders, body: response.body, setCookies }
    }
    const response = await fetch(url, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) })
    return { status: response.status, headers: response.headers, body: await response.text(), setCookies: response.headers.getSetCookie() }
  }

  private storeCookies (url: string, setCookies: string[]): void {
    const source = new URL(url)
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const cookie: Cookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        domain: source.hostname,
        hostOnly: true,
        path: defaultPath(source.pathname),
        expiresAt: Infinity
      }
      let maxAgeSeen = false
      for (const attribute of attributes) {
        const [rawName = '', ...rest] = attribute.split('=')
        const name = rawName.trim().toLowerCase()
        const value = rest.join('=').trim()
        if (name === 'path' && value.startsWith('/')) cookie.path = value
        else if (name === 'domain' && value !== '') {
          cookie.domain = value.replace(/^\./, '').toLowerCase()
          cookie.hostOnly = false
        } else if (name === 'max-age') {
          // Max-Age wins over Expires.
          maxAgeSeen = true
          cookie.expiresAt = Date.now() + Number(value) * 1000
        } else if (name === 'expires' && !maxAgeSeen) {
          const time = Date.parse(value)
          if (!Number.isNaN(time)) cookie.expiresAt = time
        }
      }
      this.cookies = this.cookies.filter(c => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path))
      if (cookie.expiresAt > Date.now()) this.cookies.push(cookie)
    }
  }
}

function defaultPath (pathname: string): string {
  const slash = pathname.lastIndexOf('/')
  return slash <= 0 ? '/' : pathname.slice(0, slash)
}

function domainMatches (cookie: Cookie, hostname: string): boolean {
  if (cookie.hostOnly) return cookie.domain === hostname
  return hostname === cookie.domain || hostname.endsWith(`.${cookie.domain}`)
}

function pathMatches (cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}
