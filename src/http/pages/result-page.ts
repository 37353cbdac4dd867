import type { FastifyReply } from 'fastify'
import { sendPage } from './assets.js'

const escape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** Asks for a contact address (the eID gave none); its script posts it to /enroll/email, which mails a confirmation link. */
export const CONTACT_FORM = `<form id="contact"><label for="email">Your email address, so that the clinic can reach you</label>
<input id="email" name="email" type="email" autocomplete="email" required><button type="submit">Send confirmation link</button></form>
<p id="contact-result" role="status"></p>
<script src="/assets/contact.js" defer></script>`

/** A small page for the end of a browser flow (sign-in, enrolment): a title, one sentence, maybe a trusted form. */
export async function resultPage (reply: FastifyReply, status: number, title: string, message: string, trustedHtml = ''): Promise<void> {
  await sendPage(reply, status, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<link rel="stylesheet" href="/assets/page.css"></head>
<body><main><h1>${escape(title)}</h1><p>${escape(message)}</p>${trustedHtml}</main></body></html>
`)
}
