import t from 'tap'
import { passwordProblem } from '../../src/identity/password-policy.js'

t.test('password policy (NIST SP 800-63B): length, no email, not trivially repeated', async t => {
  t.equal(passwordProblem('correct horse battery staple', 'anna@clinic.test'), undefined)
  t.equal(passwordProblem('ééééé-ñoño-☃☃', undefined), undefined, 'any Unicode, counted in characters')
  t.match(passwordProblem('short', undefined), /at least 12/)
  t.match(passwordProblem('aaaaaaaaaaaaaaaa', undefined), /too few different/)
  t.match(passwordProblem('Password1234', undefined), /too common/)
  t.match(passwordProblem('my-anna.devries-password', 'anna.devries@clinic.test'), /email/)
  t.match(passwordProblem('x'.repeat(100) + 'abcdefgh'.repeat(40), undefined), /at most/)
})
