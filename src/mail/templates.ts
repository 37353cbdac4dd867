import { da } from './templates/da.js'
import { de } from './templates/de.js'
import { en } from './templates/en.js'
import { fi } from './templates/fi.js'
import { renderContent, type Block } from './templates/layout.js'
import { nl } from './templates/nl.js'
import type {
  AdminNotificationData, EnrolmentRejectedData, Language, LinkMailData, LinkPhrases, MailData, MailKind,
  Phrases, RenderedMail, SignInMailData, SignInPhrases
} from './templates/types.js'

export type {
  AdminAction, AdminNotificationData, EnrolmentRejectedData, Language, LinkMailData, MailData, MailKind,
  RenderedMail, SignInMailData
} from './templates/types.js'
export { ADMIN_ACTIONS, LANGUAGES } from './templates/types.js'

const PHRASES: Record<Language, Phrases> = { en, nl, de, da, fi }

/** An account's preferred language (BCP 47 'nl-NL', or POSIX 'fi_FI') → a language we write in; else English. */
export function languageOf (preferred: string | undefined): Language {
  const primary = preferred?.trim().split(/[-_]/)[0]?.toLowerCase()
  return primary !== undefined && Object.hasOwn(PHRASES, primary) ? primary as Language : 'en'
}

export function renderMail<K extends MailKind> (kind: K, language: Language, data: MailData[K]): RenderedMail {
  const phrases = PHRASES[language] ?? en
  const blocks = COMPOSERS[kind](phrases, data as never)
  return renderContent({ lang: phrases.locale, heading: data.tenantName, subject: blocks.subject, blocks: blocks.body })
}

interface Composed { subject: string, body: Block[] }

const COMPOSERS: { [K in MailKind]: (phrases: Phrases, data: MailData[K]) => Composed } = {
  activation: (p, data) => linkMail(p, p.activation, data),
  reset: (p, data) => linkMail(p, p.reset, data),
  'email-verification': (p, data) => linkMail(p, p.emailVerification, data),
  welcome: (p, data) => signInMail(p, p.welcome, data),
  'enrolment-approved': (p, data) => signInMail(p, p.enrolmentApproved, data),
  'enrolment-rejected': enrolmentRejected,
  'admin-notification': adminNotification
}

function linkMail (p: Phrases, words: LinkPhrases, data: LinkMailData): Composed {
  return mailWithLink(p, words, data, data.link, [
    { paragraph: words.validity(p.duration(data.validHours)) },
    { paragraph: words.unexpected }
  ])
}

function signInMail (p: Phrases, words: SignInPhrases, data: SignInMailData): Composed {
  return mailWithLink(p, words, data, data.signInUrl, [])
}

/** Greeting, why this mail, the link, what else to know, signature. */
function mailWithLink (p: Phrases, words: SignInPhrases, data: { tenantName: string, recipientName?: string }, link: string, notes: Block[]): Composed {
  return {
    subject: words.subject(data.tenantName),
    body: [
      { paragraph: p.greeting(data.recipientName) },
      { paragraph: words.intro(data.tenantName) },
      { link, label: words.action },
      ...notes,
      signature(p, data.tenantName)
    ]
  }
}

function enrolmentRejected (p: Phrases, data: EnrolmentRejectedData): Composed {
  const words = p.enrolmentRejected
  const reason = data.reason?.trim()
  return {
    subject: words.subject(data.tenantName),
    body: [
      { paragraph: p.greeting(data.recipientName) },
      { paragraph: words.intro(data.tenantName) },
      ...(reason === undefined || reason === '' ? [] : [{ facts: [[words.reasonLabel, reason]] } satisfies Block]),
      { paragraph: words.contact(data.tenantName) },
      signature(p, data.tenantName)
    ]
  }
}

function adminNotification (p: Phrases, data: AdminNotificationData): Composed {
  const words = p.adminNotification
  const facts: Array<[string, string]> = [[words.whenLabel, formatMoment(p, data.at)]]
  if (data.targetEmail !== undefined) facts.push([words.emailLabel, data.targetEmail])
  if (data.fields !== undefined && data.fields.length > 0) facts.push([words.fieldsLabel, data.fields.join(', ')])
  return {
    subject: `${words.titles[data.action]}: ${data.targetName} (${data.tenantName})`,
    body: [
      { paragraph: words.sentences[data.action](data.actorName, data.targetName) },
      { facts },
      { paragraph: words.footer(data.tenantName) }
    ]
  }
}

function signature (p: Phrases, tenantName: string): Block {
  return { paragraph: `${p.closing}\n${tenantName}` }
}

/** The zone is named in the text: the reader may live elsewhere. */
function formatMoment (p: Phrases, at: Date): string {
  return new Intl.DateTimeFormat(p.locale, {
    day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: p.timeZone, timeZoneName: 'short'
  }).format(at)
}
