import type { FastifyInstance, FastifyReply } from 'fastify'

/**
 * The few pages CareSCIM serves itself (activation, the end of an eID sign-in) run under a strict
 * Content-Security-Policy: no inline script or style, everything from /assets on this server (no CDN).
 */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export async function sendPage (reply: FastifyReply, status: number, html: string): Promise<void> {
  await reply.code(status).type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(html)
}

const PAGE_CSS = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}label,input,button{display:block;width:100%;margin:.5rem 0}input{padding:.5rem}button{padding:.6rem}\n'

// Sets the password with the token from the page's own URL (never sent to a log: see logger.ts).
const ACTIVATE_JS = `document.getElementById('activate').addEventListener('submit', async (event) => {
  event.preventDefault()
  const token = new URLSearchParams(location.search).get('token') || ''
  const response = await fetch('/auth/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: document.getElementById('password').value }) })
  document.getElementById('result').textContent = response.status === 204 ? 'Your password is set. You can now sign in.' : (await response.json()).message
})
`

const CONTACT_JS = `document.getElementById('contact').addEventListener('submit', async (event) => {
  event.preventDefault()
  const response = await fetch('/enroll/email', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: document.getElementById('email').value }) })
  document.getElementById('contact-result').textContent = (await response.json()).message
})
`

const ASSETS: Record<string, { type: string, body: string }> = {
  'page.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
  'activate.js': { type: 'text/javascript; charset=utf-8', body: ACTIVATE_JS },
  'contact.js': { type: 'text/javascript; charset=utf-8', body: CONTACT_JS }
}

export async function assetRoutes (app: FastifyInstance): Promise<void> {
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name] : undefined
    if (asset === undefined) return await reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'No such asset' })
    await reply.type(asset.type).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=3600').send(asset.body)
  })
}
