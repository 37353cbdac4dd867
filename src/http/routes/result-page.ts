import type { FastifyReply } from 'fastify'

const escape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** Asks for a contact address (the eID gave none); posts it to /enroll/email, which mails a confirmation link. */
export const CONTACT_FORM = `<form id="contact"><label for="email">Your email address, so that the clinic can reach you</label>
<input id="email" name="email" type="email" autocomplete="email" required><button type="submit">Send confirmation link</button></form>
<p id="contact-result" role="status"></p>
<script>
document.getElementById('contact').addEventListener('submit', async (event) => {
  event.preventDefault()
  const response = await fetch('/enroll/email', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: document.getElementById('email').value }) })
  document.getElementById('contact-result').textContent = (await response.json()).message
})
</script>`

/** A small page for the end of a browser flow (sign-in, enrolment): a title, one sentence, maybe a trusted form. */
export async function resultPage (reply: FastifyReply, status: number, title: string, message: string, trustedHtml = ''): Promise<void> {
  await reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(message)}</p>${trustedHtml}</main></body></html>
`)
}
