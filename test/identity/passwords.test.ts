import t from 'tap'
import { hashPassword, verifyPassword } from '../../src/identity/passwords.js'

t.test('scrypt password hashes', async t => {
  const hash = await hashPassword('correct horse battery staple')
  t.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/, 'parameters stored with the hash')
  t.not(hash, await hashPassword('correct horse battery staple'), 'salted: the same password hashes differently')
  t.equal(await verifyPassword('correct horse battery staple', hash), true)
  t.equal(await verifyPassword('correct horse battery stapler', hash), false)
  // Unicode is normalised (NFKC): the composed and decomposed forms are the same password.
  t.equal(await verifyPassword('Zoe\u0301', await hashPassword('Zo\u00e9')), true)
  t.equal(await verifyPassword('x', 'bcrypt$something'), false, 'an unknown scheme never verifies')
})
