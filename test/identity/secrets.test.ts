import t from 'tap'
import { nationalIdHash } from '../../src/identity/national-id.js'
import { SecretBox } from '../../src/identity/secret-box.js'

t.test('sealed secrets: round trip, fresh IV each time, tampering and wrong keys detected', async t => {
  const box = new SecretBox('k'.repeat(40))
  const sealed = box.seal('client-secret-☃')
  t.match(sealed, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
  t.notMatch(sealed, /client-secret/)
  t.not(box.seal('client-secret-☃'), sealed)
  t.equal(box.open(sealed), 'client-secret-☃')
  const [v, iv, tag, data] = sealed.split('.')
  t.throws(() => box.open([v, iv, tag, data!.slice(0, -2) + (data!.endsWith('AA') ? 'AB' : 'AA')].join('.')))
  t.throws(() => new SecretBox('x'.repeat(40)).open(sealed))
})

t.test('national identifiers: a keyed hash per kind', async t => {
  const key = 'h'.repeat(40)
  t.match(nationalIdHash(key, 'bsn', '999999990'), /^[0-9a-f]{64}$/)
  t.equal(nationalIdHash(key, 'bsn', '999999990'), nationalIdHash(key, 'bsn', '999999990'))
  t.not(nationalIdHash(key, 'bsn', '999999990'), nationalIdHash(key, 'kvnr', '999999990'), 'the kind is part of the hash')
  t.not(nationalIdHash(key, 'bsn', '999999990'), nationalIdHash('o'.repeat(40), 'bsn', '999999990'), 'and the key')
})
