import type { Phrases } from './types.js'
import { wholeDays } from './duration.js'

export const da: Phrases = {
  locale: 'da-DK',
  timeZone: 'Europe/Copenhagen',
  greeting: name => name === undefined ? 'Hej,' : `Hej ${name},`,
  closing: 'Med venlig hilsen',
  duration: hours => {
    const days = wholeDays(hours)
    if (days !== undefined) return `${days} dage`
    return hours === 1 ? '1 time' : `${hours} timer`
  },
  activation: {
    subject: tenant => `Aktivér din konto hos ${tenant}`,
    intro: tenant => `Der er oprettet en konto til dig hos ${tenant}. Vælg en adgangskode via linket nedenfor for at aktivere din konto.`,
    action: 'Aktivér konto',
    validity: duration => `Linket er gyldigt i ${duration} og kan kun bruges én gang.`,
    unexpected: 'Hvis du ikke ventede denne e-mail, kan du blot se bort fra den.'
  },
  reset: {
    subject: tenant => `Nulstil din adgangskode hos ${tenant}`,
    intro: tenant => `Vi har modtaget en anmodning om at nulstille adgangskoden til din konto hos ${tenant}. Du kan vælge en ny adgangskode via linket nedenfor.`,
    action: 'Vælg ny adgangskode',
    validity: duration => `Linket er gyldigt i ${duration} og kan kun bruges én gang.`,
    unexpected: 'Hvis du ikke har bedt om dette, kan du blot se bort fra denne e-mail; din adgangskode forbliver uændret.'
  },
  emailVerification: {
    subject: tenant => `Bekræft din e-mailadresse hos ${tenant}`,
    intro: tenant => `Du har oplyst denne e-mailadresse, da du tilmeldte dig hos ${tenant}. Bekræft venligst, at den er din, så ${tenant} kan kontakte dig.`,
    action: 'Bekræft e-mailadresse',
    validity: duration => `Linket er gyldigt i ${duration}.`,
    unexpected: 'Hvis du ikke har tilmeldt dig, kan du se bort fra denne e-mail; adressen bliver ikke brugt.'
  },
  welcome: {
    subject: tenant => `Velkommen til ${tenant}`,
    intro: tenant => `Der er oprettet en konto til dig hos ${tenant}. Du skal ikke bruge en separat adgangskode: du logger ind med din organisations konto.`,
    action: 'Log ind'
  },
  enrolmentApproved: {
    subject: tenant => `Din tilmelding hos ${tenant} er godkendt`,
    intro: tenant => `Din tilmelding hos ${tenant} er blevet godkendt. Du kan nu logge ind.`,
    action: 'Log ind'
  },
  enrolmentRejected: {
    subject: tenant => `Din tilmelding hos ${tenant}`,
    intro: tenant => `Din tilmelding hos ${tenant} er desværre ikke blevet godkendt.`,
    reasonLabel: 'Begrundelse',
    contact: tenant => `Hvis du mener, at der er tale om en fejl, er du velkommen til at kontakte ${tenant}.`
  },
  adminNotification: {
    titles: {
      'account-created': 'Konto oprettet',
      'account-updated': 'Konto ændret',
      'account-deactivated': 'Konto deaktiveret',
      'account-reactivated': 'Konto genaktiveret',
      'activation-resent': 'Aktiveringslink sendt igen',
      'membership-ended': 'Medlemskab afsluttet',
      'roles-changed': 'Roller ændret',
      'quota-exceeded': 'Daglig grænse nået'
    },
    sentences: {
      'account-created': (actor, target) => `${actor} har oprettet en konto til ${target}.`,
      'account-updated': (actor, target) => `${actor} har ændret kontoen for ${target}.`,
      'account-deactivated': (actor, target) => `${actor} har deaktiveret kontoen for ${target}.`,
      'account-reactivated': (actor, target) => `${actor} har genaktiveret kontoen for ${target}.`,
      'activation-resent': (actor, target) => `${actor} har sendt et nyt aktiveringslink til ${target}.`,
      'membership-ended': (actor, target) => `${actor} har afsluttet medlemskabet for ${target}.`,
      'roles-changed': (actor, target) => `${actor} har ændret rollerne for ${target}.`,
      'quota-exceeded': (actor, target) => `${actor} har nået den daglige grænse; handlingen for ${target} blev ikke udført.`
    },
    whenLabel: 'Tidspunkt',
    emailLabel: 'E-mailadresse',
    fieldsLabel: 'Ændrede felter',
    footer: tenant => `Du modtager denne besked, fordi du er administrator for ${tenant}.`
  }
}
