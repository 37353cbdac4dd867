import type { RenderedMail } from './types.js'

/** A mail body as plain-text blocks; the layout alone decides how they look in text and in HTML. */
export type Block =
  | { paragraph: string }
  | { link: string, label: string }
  | { facts: Array<[label: string, value: string]> }

export interface MailContent {
  lang: string
  /** Shown above the body in HTML: whose mail this is. */
  heading: string
  subject: string
  blocks: Block[]
}

const styles = {
  body: 'margin:0;padding:24px;background:#f3f5f7;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933',
  card: 'max-width:560px;margin:0 auto;padding:24px 28px;background:#ffffff;border-radius:6px',
  heading: 'margin:0 0 20px;font-size:13px;font-weight:bold;color:#52606d',
  paragraph: 'margin:0 0 16px',
  button: 'display:inline-block;padding:10px 20px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold',
  rawLink: 'margin:0 0 16px;font-size:13px;color:#52606d;word-break:break-all',
  factLabel: 'padding:2px 16px 2px 0;color:#52606d;vertical-align:top',
  factValue: 'padding:2px 0'
}

export function renderContent ({ lang, heading, subject, blocks }: MailContent): RenderedMail {
  const text = blocks.map(textOf).join('\n\n') + '\n'
  const html = '<!doctype html>' +
    `<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="${styles.body}"><div style="${styles.card}">` +
    `<p style="${styles.heading}">${escapeHtml(heading)}</p>` +
    blocks.map(htmlOf).join('') +
    '</div></body></html>'
  return { subject, text, html }
}

function textOf (block: Block): string {
  if ('paragraph' in block) return block.paragraph
  // The link on a line of its own: mail clients make it clickable and never wrap it.
  if ('link' in block) return `${block.label}:\n${block.link}`
  return block.facts.map(([label, value]) => `${label}: ${value}`).join('\n')
}

function htmlOf (block: Block): string {
  if ('paragraph' in block) return `<p style="${styles.paragraph}">${escapeHtml(block.paragraph).replaceAll('\n', '<br>')}</p>`
  if ('link' in block) {
    const href = escapeHtml(checkedLink(block.link))
    return `<p style="margin:24px 0"><a href="${href}" style="${styles.button}">${escapeHtml(block.label)}</a></p>` +
      `<p style="${styles.rawLink}"><a href="${href}" style="color:#52606d">${href}</a></p>`
  }
  const rows = block.facts.map(([label, value]) =>
    `<tr><td style="${styles.factLabel}">${escapeHtml(label)}</td><td style="${styles.factValue}">${escapeHtml(value)}</td></tr>`)
  return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${rows.join('')}</table>`
}

/** Links come from our own code; anything but http(s) (javascript:, data:) is a bug, not a mail. */
function checkedLink (link: string): string {
  if (!/^https?:\/\//i.test(link)) throw new Error(`A mail link must be http(s): ${link.slice(0, 40)}`)
  return link
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"']/g, c => HTML_ESCAPES[c]!)
}
