export type MailKind = 'activation' | 'reset' | 'email-verification' | 'welcome' | 'admin-notification' | 'enrolment-approved' | 'enrolment-rejected'

export type Language = 'en' | 'nl' | 'de' | 'da' | 'fi'

export const LANGUAGES: readonly Language[] = ['en', 'nl', 'de', 'da', 'fi']

/** What an administrator is told about: who did what to whom. */
export type AdminAction =
  | 'account-created' | 'account-updated' | 'account-deactivated' | 'account-reactivated'
  | 'activation-resent' | 'membership-ended' | 'roles-changed' | 'quota-exceeded'

export const ADMIN_ACTIONS: readonly AdminAction[] = [
  'account-created', 'account-updated', 'account-deactivated', 'account-reactivated',
  'activation-resent', 'membership-ended', 'roles-changed', 'quota-exceeded'
]

/** A single-use link (activation, password reset). */
export interface LinkMailData {
  tenantName: string
  recipientName?: string
  link: string
  validHours: number
}

/** Sign-in without a password of our own: staff of an SSO tenant, or an approved enrolment. */
export interface SignInMailData {
  tenantName: string
  recipientName?: string
  signInUrl: string
}

export interface AdminNotificationData {
  tenantName: string
  actorName: string
  action: AdminAction
  targetName: string
  targetEmail?: string
  /** Names of the changed fields (never their values). */
  fields?: string[]
  at: Date
}

export interface EnrolmentRejectedData {
  tenantName: string
  recipientName?: string
  reason?: string
}

export interface MailData {
  activation: LinkMailData
  reset: LinkMailData
  /** A patient whose eID gave no address confirms the one they typed. */
  'email-verification': LinkMailData
  welcome: SignInMailData
  'admin-notification': AdminNotificationData
  'enrolment-approved': SignInMailData
  'enrolment-rejected': EnrolmentRejectedData
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** A mail with a single-use link: why it came, the link, how long it lasts, what to do if unexpected. */
export interface LinkPhrases {
  subject: (tenant: string) => string
  intro: (tenant: string) => string
  action: string
  validity: (duration: string) => string
  unexpected: string
}

export interface SignInPhrases {
  subject: (tenant: string) => string
  intro: (tenant: string) => string
  action: string
}

/**
 * Everything a language says. Plain text only: the layout escapes every phrase for HTML,
 * so a name in a phrase can never become markup.
 */
export interface Phrases {
  /** For dates (Intl) and the HTML lang attribute. */
  locale: string
  /** Admin notifications show times in the zone most readers of this language live in, named. */
  timeZone: string
  greeting: (name: string | undefined) => string
  closing: string
  duration: (hours: number) => string
  activation: LinkPhrases
  reset: LinkPhrases
  emailVerification: LinkPhrases
  welcome: SignInPhrases
  enrolmentApproved: SignInPhrases
  enrolmentRejected: {
    subject: (tenant: string) => string
    intro: (tenant: string) => string
    reasonLabel: string
    contact: (tenant: string) => string
  }
  adminNotification: {
    titles: Record<AdminAction, string>
    sentences: Record<AdminAction, (actor: string, target: string) => string>
    whenLabel: string
    emailLabel: string
    fieldsLabel: string
    footer: (tenant: string) => string
  }
}
