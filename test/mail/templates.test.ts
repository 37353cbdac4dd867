import t from 'tap'
import {
  ADMIN_ACTIONS, LANGUAGES, languageOf, renderMail, type Language, type MailData, type MailKind
} from '../../src/mail/templates.js'

const link = 'https://carescim.test/activate?token=abc&tenant=zorg'
const escapedLink = 'https://carescim.test/activate?token=abc&amp;tenant=zorg'
const signInUrl = 'https://carescim.test/t/zorg/sign-in'

const samples: { [K in MailKind]: MailData[K] } = {
  activation: { tenantName: 'Zorggroep Noord', recipientName: 'Anna de Vries', link, validHours: 48 },
  reset: { tenantName: 'Zorggroep Noord', link, validHours: 1 },
  'email-verification': { tenantName: 'Zorggroep Noord', link, validHours: 24 },
  welcome: { tenantName: 'Zorggroep Noord', recipientName: 'Anna de Vries', signInUrl },
  'admin-notification': {
    tenantName: 'Zorggroep Noord', actorName: 'Piet Jansen', action: 'roles-changed', targetName: 'Anna de Vries',
    targetEmail: 'anna@zorg.test', fields: ['roles', 'title'], at: new Date('2026-03-03T13:03:00Z')
  },
  'enrolment-approved': { tenantName: 'Zorggroep Noord', signInUrl },
  'enrolment-rejected': { tenantName: 'Zorggroep Noord', recipientName: 'Anna de Vries', reason: 'Unknown BIG number' }
}

const kinds = Object.keys(samples) as MailKind[]

t.test('every kind renders in every language', async t => {
  for (const language of LANGUAGES) {
    for (const kind of kinds) {
      const mail = renderMail(kind, language, samples[kind] as never)
      const where = `${kind} in ${language}`
      t.ok(mail.subject.trim().length > 0, `${where}: subject`)
      t.notMatch(mail.subject, /\n/, `${where}: subject on one line`)
      t.ok(mail.text.trim().length > 0, `${where}: text`)
      t.match(mail.html, /^<!doctype html><html lang="[a-z]{2}-[A-Z]{2}">/, `${where}: html`)
      t.match(mail.text, 'Zorggroep Noord', `${where}: names the organisation`)
    }
  }
})

t.test('a link is a line of its own in the text and an <a> in the HTML', async t => {
  for (const language of LANGUAGES) {
    for (const kind of ['activation', 'reset', 'email-verification'] as const) {
      const mail = renderMail(kind, language, samples[kind])
      t.ok(mail.text.split('\n').includes(link), `${kind} in ${language}: text`)
      t.match(mail.html, `<a href="${escapedLink}"`, `${kind} in ${language}: html`)
    }
    for (const kind of ['welcome', 'enrolment-approved'] as const) {
      const mail = renderMail(kind, language, samples[kind])
      t.ok(mail.text.split('\n').includes(signInUrl), `${kind} in ${language}: text`)
      t.match(mail.html, `<a href="${signInUrl}"`, `${kind} in ${language}: html`)
    }
  }
})

t.test('link mails say how long the link lasts and that an unexpected mail can be ignored', async t => {
  const expectations: Record<Language, [RegExp, RegExp, RegExp]> = {
    en: [/valid for 2 days/, /valid for 1 hour\b/, /ignore/],
    nl: [/2 dagen geldig/, /1 uur geldig/, /negeren/],
    de: [/2 Tage gültig/, /1 Stunde gültig/, /ignorieren/],
    da: [/gyldigt i 2 dage/, /gyldigt i 1 time\b/, /se bort fra/],
    fi: [/voimassa 2 päivää/, /voimassa tunnin/, /huomiotta/]
  }
  for (const language of LANGUAGES) {
    const [days, hour, ignore] = expectations[language]
    const activation = renderMail('activation', language, samples.activation)
    const reset = renderMail('reset', language, samples.reset)
    t.match(activation.text, days, `${language}: activation validity`)
    t.match(reset.text, hour, `${language}: reset validity`)
    t.match(activation.text, ignore, `${language}: activation may be ignored`)
    t.match(reset.text, ignore, `${language}: reset may be ignored`)
  }
  t.match(renderMail('activation', 'en', { ...samples.activation, validHours: 36 }).text, 'valid for 36 hours')
})

t.test('every interpolated value is escaped in the HTML, kept as is in the text', async t => {
  const evil = '<script>alert("x")</script>'
  const mail = renderMail('activation', 'nl', { tenantName: `Zorg & ${evil}`, recipientName: evil, link, validHours: 24 })
  t.notMatch(mail.html, '<script>')
  t.match(mail.html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  t.match(mail.html, 'Zorg &amp; &lt;script&gt;')
  t.match(mail.text, `Beste ${evil},`)
  t.match(mail.subject, evil, 'the subject is a header, not HTML')

  const notice = renderMail('admin-notification', 'en', {
    ...samples['admin-notification'], actorName: evil, targetName: '"Anna" <a@b>', fields: ['<b>name</b>']
  })
  t.notMatch(notice.html, /<script>|<b>|<a@b>/)
  const rejected = renderMail('enrolment-rejected', 'de', { tenantName: 'Klinik', reason: evil })
  t.notMatch(rejected.html, '<script>')
  t.match(rejected.text, `Angegebener Grund: ${evil}`)
})

t.test('a link that is not http(s) is refused', async t => {
  t.throws(() => renderMail('reset', 'en', { ...samples.reset, link: 'javascript:alert(1)' }), /must be http\(s\)/)
})

t.test('admin notifications: who did what to whom, when, and which fields', async t => {
  for (const language of LANGUAGES) {
    for (const action of ADMIN_ACTIONS) {
      const mail = renderMail('admin-notification', language, { ...samples['admin-notification'], action })
      t.match(mail.subject, 'Anna de Vries', `${action} in ${language}: subject names the target`)
      t.match(mail.text, /Piet Jansen.*Anna de Vries/, `${action} in ${language}: actor, then target`)
    }
  }
  const mail = renderMail('admin-notification', 'nl', samples['admin-notification'])
  t.equal(mail.subject, 'Rollen gewijzigd: Anna de Vries (Zorggroep Noord)')
  t.match(mail.text, 'Piet Jansen heeft de rollen van Anna de Vries gewijzigd.')
  t.match(mail.text, 'Tijdstip: 3 maart 2026 om 14:03 CET', 'Dutch readers get Dutch time, named')
  t.match(mail.text, 'E-mailadres: anna@zorg.test')
  t.match(mail.text, 'Gewijzigde gegevens: roles, title')
  const bare = renderMail('admin-notification', 'en', { ...samples['admin-notification'], targetEmail: undefined, fields: [] })
  t.notMatch(bare.text, /Email address|Changed fields/, 'absent facts are left out')
  t.match(bare.text, 'When: 3 March 2026 at 13:03 UTC')
})

t.test('greetings with and without a name; a rejection with and without a reason', async t => {
  t.match(renderMail('welcome', 'de', samples.welcome).text, /^Guten Tag Anna de Vries,/)
  t.match(renderMail('enrolment-approved', 'de', samples['enrolment-approved']).text, /^Guten Tag,/)
  t.match(renderMail('welcome', 'en', samples.welcome).text, 'sign in with your organisation')
  const withoutReason = renderMail('enrolment-rejected', 'da', { tenantName: 'Klinik', reason: '  ' })
  t.notMatch(withoutReason.text, 'Begrundelse')
  t.match(withoutReason.text, /^Hej,\n\nDin tilmelding hos Klinik er desværre ikke blevet godkendt\./)
})

t.test('languageOf: the primary subtag of a BCP 47 tag (or a POSIX locale), English otherwise', async t => {
  const cases: Array<[string | undefined, Language]> = [
    ['nl-NL', 'nl'], ['nl', 'nl'], ['NL-be', 'nl'], ['de', 'de'], ['de-AT', 'de'], ['da-DK', 'da'],
    ['fi_FI', 'fi'], ['fi-FI.UTF-8', 'fi'], ['en-US', 'en'], [' sv-SE ', 'en'], ['fr', 'en'],
    [undefined, 'en'], ['', 'en'], ['constructor', 'en'], ['toString', 'en']
  ]
  for (const [preferred, expected] of cases) t.equal(languageOf(preferred), expected, String(preferred))
})

t.test('an unknown language at run time falls back to English', async t => {
  const mail = renderMail('welcome', 'sv' as Language, samples.welcome)
  t.equal(mail.subject, 'Welcome to Zorggroep Noord')
})
