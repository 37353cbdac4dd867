import type { Phrases } from './types.js'
import { wholeDays } from './duration.js'

export const nl: Phrases = {
  locale: 'nl-NL',
  timeZone: 'Europe/Amsterdam',
  greeting: name => name === undefined ? 'Goedendag,' : `Beste ${name},`,
  closing: 'Met vriendelijke groet,',
  duration: hours => {
    const days = wholeDays(hours)
    return days !== undefined ? `${days} dagen` : `${hours} uur`
  },
  activation: {
    subject: tenant => `Activeer uw account bij ${tenant}`,
    intro: tenant => `Er is voor u een account aangemaakt bij ${tenant}. Kies via de onderstaande link een wachtwoord om uw account te activeren.`,
    action: 'Account activeren',
    validity: duration => `De link is ${duration} geldig en kan één keer worden gebruikt.`,
    unexpected: 'Had u deze e-mail niet verwacht? Dan kunt u hem gerust negeren.'
  },
  reset: {
    subject: tenant => `Nieuw wachtwoord instellen voor ${tenant}`,
    intro: tenant => `We hebben een verzoek ontvangen om het wachtwoord van uw account bij ${tenant} opnieuw in te stellen. Via de onderstaande link kiest u een nieuw wachtwoord.`,
    action: 'Nieuw wachtwoord kiezen',
    validity: duration => `De link is ${duration} geldig en kan één keer worden gebruikt.`,
    unexpected: 'Heeft u dit niet aangevraagd? Dan kunt u deze e-mail gerust negeren; uw wachtwoord blijft ongewijzigd.'
  },
  emailVerification: {
    subject: tenant => `Bevestig uw e-mailadres voor ${tenant}`,
    intro: tenant => `U heeft dit e-mailadres opgegeven bij uw aanmelding bij ${tenant}. Bevestig dat het van u is, zodat ${tenant} u kan bereiken.`,
    action: 'E-mailadres bevestigen',
    validity: duration => `De link is ${duration} geldig.`,
    unexpected: 'Heeft u zich niet aangemeld? Dan kunt u deze e-mail negeren; het adres wordt niet gebruikt.'
  },
  welcome: {
    subject: tenant => `Welkom bij ${tenant}`,
    intro: tenant => `Er is voor u een account aangemaakt bij ${tenant}. U heeft geen apart wachtwoord nodig: u logt in met het account van uw organisatie.`,
    action: 'Inloggen'
  },
  enrolmentApproved: {
    subject: tenant => `Uw aanmelding bij ${tenant} is goedgekeurd`,
    intro: tenant => `Uw aanmelding bij ${tenant} is goedgekeurd. U kunt nu inloggen.`,
    action: 'Inloggen'
  },
  enrolmentRejected: {
    subject: tenant => `Uw aanmelding bij ${tenant}`,
    intro: tenant => `Helaas is uw aanmelding bij ${tenant} niet goedgekeurd.`,
    reasonLabel: 'Opgegeven reden',
    contact: tenant => `Denkt u dat dit een vergissing is? Neem dan contact op met ${tenant}.`
  },
  adminNotification: {
    titles: {
      'account-created': 'Account aangemaakt',
      'account-updated': 'Account gewijzigd',
      'account-deactivated': 'Account gedeactiveerd',
      'account-reactivated': 'Account opnieuw geactiveerd',
      'activation-resent': 'Activeringslink opnieuw verstuurd',
      'membership-ended': 'Lidmaatschap beëindigd',
      'roles-changed': 'Rollen gewijzigd',
      'quota-exceeded': 'Daglimiet bereikt'
    },
    sentences: {
      'account-created': (actor, target) => `${actor} heeft een account aangemaakt voor ${target}.`,
      'account-updated': (actor, target) => `${actor} heeft het account van ${target} gewijzigd.`,
      'account-deactivated': (actor, target) => `${actor} heeft het account van ${target} gedeactiveerd.`,
      'account-reactivated': (actor, target) => `${actor} heeft het account van ${target} opnieuw geactiveerd.`,
      'activation-resent': (actor, target) => `${actor} heeft een nieuwe activeringslink naar ${target} gestuurd.`,
      'membership-ended': (actor, target) => `${actor} heeft het lidmaatschap van ${target} beëindigd.`,
      'roles-changed': (actor, target) => `${actor} heeft de rollen van ${target} gewijzigd.`,
      'quota-exceeded': (actor, target) => `${actor} heeft de daglimiet bereikt; de actie voor ${target} is niet uitgevoerd.`
    },
    whenLabel: 'Tijdstip',
    emailLabel: 'E-mailadres',
    fieldsLabel: 'Gewijzigde gegevens',
    footer: tenant => `U ontvangt dit bericht als beheerder van ${tenant}.`
  }
}
