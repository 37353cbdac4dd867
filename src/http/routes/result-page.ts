import type { FastifyReply } from 'fastify'

const escape = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** A small page for the end of a browser flow (sign-in, enrolment): a title and one sentence. */
export async function resultPage (reply: FastifyReply, status: number, title: string, message: string): Promise<void> {
  await reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(message)}</p></main></body></html>
`)
}
