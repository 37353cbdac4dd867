import type { Phrases } from './types.js'
import { wholeDays } from './duration.js'

// Finnish inflects names, which we cannot do for arbitrary ones: each name follows a noun that
// carries the case ("organisaatiossa X", "henkilölle X"), so the name itself stays in the nominative.
export const fi: Phrases = {
  locale: 'fi-FI',
  timeZone: 'Europe/Helsinki',
  greeting: name => name === undefined ? 'Hei,' : `Hei ${name},`,
  closing: 'Ystävällisin terveisin',
  duration: hours => {
    const days = wholeDays(hours)
    if (days !== undefined) return `${days} päivää`
    return hours === 1 ? 'tunnin' : `${hours} tuntia`
  },
  activation: {
    subject: tenant => `Aktivoi käyttäjätilisi – ${tenant}`,
    intro: tenant => `Sinulle on luotu käyttäjätili organisaatiossa ${tenant}. Aktivoi tili valitsemalla salasana alla olevan linkin kautta.`,
    action: 'Aktivoi tili',
    validity: duration => `Linkki on voimassa ${duration}, ja sitä voi käyttää vain kerran.`,
    unexpected: 'Jos et odottanut tätä viestiä, voit jättää sen huomiotta.'
  },
  reset: {
    subject: tenant => `Salasanan vaihto – ${tenant}`,
    intro: tenant => `Saimme pyynnön vaihtaa käyttäjätilisi salasanan organisaatiossa ${tenant}. Voit valita uuden salasanan alla olevan linkin kautta.`,
    action: 'Valitse uusi salasana',
    validity: duration => `Linkki on voimassa ${duration}, ja sitä voi käyttää vain kerran.`,
    unexpected: 'Jos et pyytänyt salasanan vaihtoa, voit jättää tämän viestin huomiotta; salasanasi pysyy ennallaan.'
  },
  emailVerification: {
    subject: tenant => `Vahvista sähköpostiosoitteesi palveluun ${tenant}`,
    intro: tenant => `Annoit tämän sähköpostiosoitteen rekisteröityessäsi palveluun ${tenant}. Vahvista, että osoite on sinun, jotta ${tenant} voi tavoittaa sinut.`,
    action: 'Vahvista sähköpostiosoite',
    validity: duration => `Linkki on voimassa ${duration}.`,
    unexpected: 'Jos et rekisteröitynyt, voit jättää tämän viestin huomiotta; osoitetta ei käytetä.'
  },
  welcome: {
    subject: tenant => `Tervetuloa – ${tenant}`,
    intro: tenant => `Sinulle on luotu käyttäjätili organisaatiossa ${tenant}. Erillistä salasanaa ei tarvita: kirjaudut sisään oman organisaatiosi tunnuksilla.`,
    action: 'Kirjaudu sisään'
  },
  enrolmentApproved: {
    subject: tenant => `Rekisteröitymisesi on hyväksytty – ${tenant}`,
    intro: tenant => `Rekisteröitymisesi organisaatioon ${tenant} on hyväksytty. Voit nyt kirjautua sisään.`,
    action: 'Kirjaudu sisään'
  },
  enrolmentRejected: {
    subject: tenant => `Rekisteröitymisesi – ${tenant}`,
    intro: tenant => `Valitettavasti rekisteröitymistäsi organisaatioon ${tenant} ei hyväksytty.`,
    reasonLabel: 'Perustelu',
    contact: tenant => `Jos uskot tämän olevan virhe, ota yhteyttä organisaatioon ${tenant}.`
  },
  adminNotification: {
    titles: {
      'account-created': 'Käyttäjätili luotu',
      'account-updated': 'Käyttäjätiliä muutettu',
      'account-deactivated': 'Käyttäjätili poistettu käytöstä',
      'account-reactivated': 'Käyttäjätili otettu uudelleen käyttöön',
      'activation-resent': 'Aktivointilinkki lähetetty uudelleen',
      'membership-ended': 'Jäsenyys päätetty',
      'roles-changed': 'Rooleja muutettu',
      'quota-exceeded': 'Päivittäinen raja saavutettu'
    },
    sentences: {
      'account-created': (actor, target) => `Käyttäjä ${actor} loi käyttäjätilin henkilölle ${target}.`,
      'account-updated': (actor, target) => `Käyttäjä ${actor} muutti henkilön ${target} käyttäjätiliä.`,
      'account-deactivated': (actor, target) => `Käyttäjä ${actor} poisti käytöstä henkilön ${target} käyttäjätilin.`,
      'account-reactivated': (actor, target) => `Käyttäjä ${actor} otti uudelleen käyttöön henkilön ${target} käyttäjätilin.`,
      'activation-resent': (actor, target) => `Käyttäjä ${actor} lähetti uuden aktivointilinkin henkilölle ${target}.`,
      'membership-ended': (actor, target) => `Käyttäjä ${actor} päätti henkilön ${target} jäsenyyden.`,
      'roles-changed': (actor, target) => `Käyttäjä ${actor} muutti henkilön ${target} rooleja.`,
      'quota-exceeded': (actor, target) => `Käyttäjä ${actor} saavutti päivittäisen rajan; henkilöä ${target} koskevaa toimintoa ei suoritettu.`
    },
    whenLabel: 'Ajankohta',
    emailLabel: 'Sähköpostiosoite',
    fieldsLabel: 'Muutetut tiedot',
    footer: tenant => `Saat tämän viestin, koska olet organisaation ${tenant} ylläpitäjä.`
  }
}
