import type { FastifyReply, FastifyRequest } from 'fastify'
import { DOCUMENT_HEADERS } from '../plugins/security-headers.js'
import { LANGUAGES, type Language, type Translations } from './translations.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** @fastify/accepts: the best of these languages by Accept-Language, or false. */
    language: (languages: string[]) => string | false
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** The reader's language: Accept-Language among ours, else English (the console may switch it later). */
export function readerLanguage (request: FastifyRequest): Language {
  const best = request.language([...LANGUAGES])
  return best === false ? 'en' : best as Language
}

/** The document every page shares: styles and scripts from this server only, the CSRF token for its forms. */
function documentHtml (reply: FastifyReply, language: Language, title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><meta name="csrf-token" content="${escape(reply.generateCsrf())}">
<link rel="stylesheet" href="/console/assets/console.css">${script}
</head><body>${body}</body></html>
`
}

async function sendHtml (reply: FastifyReply, status: number, html: string): Promise<void> {
  // Never cached: pages carry a CSRF token, and the activation page a link's token in its URL.
  await reply.code(status).headers(DOCUMENT_HEADERS).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html)
}

/** The console's one document: the app (public/app.js) renders every view into it. */
export async function sendConsole (request: FastifyRequest, reply: FastifyReply, translations: Translations): Promise<void> {
  const language = readerLanguage(request)
  const body = `<div id="app"><main><p>${escape(translations.t(language, 'common.loading'))}</p></main></div>`
  await sendHtml(reply, 200, documentHtml(reply, language, translations.t(language, 'app.name'), body, '<script type="module" src="/console/assets/app.js"></script>'))
}

export interface ResultPage {
  status: number
  title: string
  message: string
  vars?: Record<string, string>
  /** A link onwards (to the console, or to start again). */
  link?: { href: string, label: string }
  /** The eID gave no email: ask for one (public/contact.js posts it). */
  askEmail?: boolean
}

/** The end of a browser flow (eID sign-up or sign-in), in the reader's language. */
export async function sendResultPage (request: FastifyRequest, reply: FastifyReply, translations: Translations, page: ResultPage): Promise<void> {
  const language = readerLanguage(request)
  const t = (key: string) => escape(translations.t(language, key, page.vars))
  const link = page.link === undefined ? '' : `<p><a class="button" href="${escape(page.link.href)}">${t(page.link.label)}</a></p>`
  const form = page.askEmail !== true
    ? ''
    : `<form id="contact" data-sent="${t('result.email.sent')}"><label for="email">${t('result.email.label')}</label>
<input id="email" name="email" type="email" autocomplete="email" required><button type="submit">${t('result.email.submit')}</button></form>
<p id="contact-result" role="status"></p>`
  const body = `<main class="narrow"><h1>${t(page.title)}</h1><p>${t(page.message)}</p>${form}${link}</main>`
  await sendHtml(reply, page.status, documentHtml(reply, language, translations.t(language, page.title), body, page.askEmail === true ? '<script src="/console/assets/contact.js" defer></script>' : ''))
}
