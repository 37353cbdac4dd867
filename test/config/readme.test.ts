import { readFileSync } from 'node:fs'
import t from 'tap'
import { SETTINGS } from '../../src/config/schema.js'

// The README's configuration table is the operators' reference: it must name every setting there is.
t.test('README documents every setting', async t => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map(m => m[1])
  t.same(documented.sort(), SETTINGS.map(s => s.env).sort())
})
