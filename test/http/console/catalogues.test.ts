// The console's browser code and the server share facts they cannot import from each other (no build step):
// message keys, the languages, the healthcare fields, the password policy. This keeps them in step.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { HEALTHCARE_FIELDS } from '../../../src/domain/accounts/account-administration.js'
import { PASSWORD_MIN_LENGTH } from '../../../src/identity/password-policy.js'
import { LANGUAGES, PUBLIC_DIR } from '../../../src/http/console/translations.js'

const catalogue = (language: string) => JSON.parse(readFileSync(join(PUBLIC_DIR, 'i18n', `${language}.json`), 'utf8')) as Record<string, string>
const english = catalogue('en')
const scripts = ['app.js', 'api.js', 'i18n.js', 'ui.js', ...readdirSync(join(PUBLIC_DIR, 'views')).map(file => `views/${file}`)]
const source = (file: string) => readFileSync(join(PUBLIC_DIR, file), 'utf8')
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()

t.test('every message key the console uses exists in English', async t => {
  const used = scripts.flatMap(file => [...source(file).matchAll(/\bt\('([\w.-]+)'/g)].map(m => m[1]!))
  t.ok(used.length > 100, 'the scan finds the keys')
  t.same(used.filter(key => !(key in english)), [])
})

t.test('every language has exactly the English keys, with the same placeholders', async t => {
  for (const language of LANGUAGES) {
    const messages = catalogue(language)
    t.same(Object.keys(messages).sort(), Object.keys(english).sort(), `${language}: same keys`)
    t.same(Object.keys(english).filter(key => placeholders(messages[key] ?? '').join() !== placeholders(english[key]!).join()), [], `${language}: same placeholders`)
  }
})

t.test('the browser code agrees with the server on languages, healthcare fields and the password policy', async t => {
  const listIn = (file: string, name: string) => JSON.parse(source(file).match(new RegExp(`const ${name} = (\\[[^\\]]*\\])`))![1]!.replace(/'/g, '"').replace(/\s+/g, ' '))
  t.same(listIn('i18n.js', 'LANGUAGES'), [...LANGUAGES])
  t.same(listIn('views/accounts.js', 'HEALTHCARE_FIELDS'), [...HEALTHCARE_FIELDS])
  t.equal(Number(source('views/auth.js').match(/const PASSWORD_MIN_LENGTH = (\d+)/)![1]), PASSWORD_MIN_LENGTH)
})
