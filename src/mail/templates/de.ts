import type { Phrases } from './types.js'
import { wholeDays } from './duration.js'

export const de: Phrases = {
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  greeting: name => name === undefined ? 'Guten Tag,' : `Guten Tag ${name},`,
  closing: 'Mit freundlichen Grüßen',
  duration: hours => {
    const days = wholeDays(hours)
    if (days !== undefined) return `${days} Tage`
    return hours === 1 ? '1 Stunde' : `${hours} Stunden`
  },
  activation: {
    subject: tenant => `Aktivieren Sie Ihr Konto bei ${tenant}`,
    intro: tenant => `Für Sie wurde bei ${tenant} ein Konto eingerichtet. Bitte wählen Sie über den folgenden Link ein Passwort, um Ihr Konto zu aktivieren.`,
    action: 'Konto aktivieren',
    validity: duration => `Der Link ist ${duration} gültig und kann einmal verwendet werden.`,
    unexpected: 'Falls Sie diese E-Mail nicht erwartet haben, können Sie sie einfach ignorieren.'
  },
  reset: {
    subject: tenant => `Passwort zurücksetzen für ${tenant}`,
    intro: tenant => `Wir haben eine Anfrage erhalten, das Passwort Ihres Kontos bei ${tenant} zurückzusetzen. Über den folgenden Link können Sie ein neues Passwort wählen.`,
    action: 'Neues Passwort wählen',
    validity: duration => `Der Link ist ${duration} gültig und kann einmal verwendet werden.`,
    unexpected: 'Falls Sie dies nicht angefordert haben, können Sie diese E-Mail einfach ignorieren; Ihr Passwort bleibt unverändert.'
  },
  emailVerification: {
    subject: tenant => `Bestätigen Sie Ihre E-Mail-Adresse für ${tenant}`,
    intro: tenant => `Sie haben diese E-Mail-Adresse bei Ihrer Anmeldung bei ${tenant} angegeben. Bitte bestätigen Sie, dass es Ihre ist, damit ${tenant} Sie erreichen kann.`,
    action: 'E-Mail-Adresse bestätigen',
    validity: duration => `Der Link ist ${duration} gültig.`,
    unexpected: 'Wenn Sie sich nicht angemeldet haben, können Sie diese E-Mail ignorieren; die Adresse wird nicht verwendet.'
  },
  welcome: {
    subject: tenant => `Willkommen bei ${tenant}`,
    intro: tenant => `Für Sie wurde bei ${tenant} ein Konto eingerichtet. Ein eigenes Passwort benötigen Sie nicht: Sie melden sich mit dem Konto Ihrer Organisation an.`,
    action: 'Anmelden'
  },
  enrolmentApproved: {
    subject: tenant => `Ihre Registrierung bei ${tenant} wurde genehmigt`,
    intro: tenant => `Ihre Registrierung bei ${tenant} wurde genehmigt. Sie können sich jetzt anmelden.`,
    action: 'Anmelden'
  },
  enrolmentRejected: {
    subject: tenant => `Ihre Registrierung bei ${tenant}`,
    intro: tenant => `Leider wurde Ihre Registrierung bei ${tenant} nicht genehmigt.`,
    reasonLabel: 'Angegebener Grund',
    contact: tenant => `Wenn Sie glauben, dass es sich um einen Irrtum handelt, wenden Sie sich bitte an ${tenant}.`
  },
  adminNotification: {
    titles: {
      'account-created': 'Konto angelegt',
      'account-updated': 'Konto geändert',
      'account-deactivated': 'Konto deaktiviert',
      'account-reactivated': 'Konto reaktiviert',
      'activation-resent': 'Aktivierungslink erneut gesendet',
      'membership-ended': 'Mitgliedschaft beendet',
      'roles-changed': 'Rollen geändert',
      'quota-exceeded': 'Tageslimit erreicht'
    },
    sentences: {
      'account-created': (actor, target) => `${actor} hat ein Konto für ${target} angelegt.`,
      'account-updated': (actor, target) => `${actor} hat das Konto von ${target} geändert.`,
      'account-deactivated': (actor, target) => `${actor} hat das Konto von ${target} deaktiviert.`,
      'account-reactivated': (actor, target) => `${actor} hat das Konto von ${target} reaktiviert.`,
      'activation-resent': (actor, target) => `${actor} hat einen neuen Aktivierungslink an ${target} gesendet.`,
      'membership-ended': (actor, target) => `${actor} hat die Mitgliedschaft von ${target} beendet.`,
      'roles-changed': (actor, target) => `${actor} hat die Rollen von ${target} geändert.`,
      'quota-exceeded': (actor, target) => `${actor} hat das Tageslimit erreicht; die Aktion für ${target} wurde nicht ausgeführt.`
    },
    whenLabel: 'Zeitpunkt',
    emailLabel: 'E-Mail-Adresse',
    fieldsLabel: 'Geänderte Felder',
    footer: tenant => `Sie erhalten diese Nachricht, weil Sie ${tenant} verwalten.`
  }
}
