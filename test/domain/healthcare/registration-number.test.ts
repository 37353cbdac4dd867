// The CareSCIM registration number: format, lenient reading, and what its Damm check digit catches.
import fc from 'fast-check'
import t from 'tap'
import { dammCheckDigit } from '../../../src/domain/healthcare/identifiers/check-digits.js'
import { checkRegistrationNumber, formatRegistrationNumber } from '../../../src/domain/healthcare/registration-number.js'

t.test('Damm table: the published example "572" → 4', async t => {
  t.equal(dammCheckDigit('572'), 4)
})

t.test('formatRegistrationNumber', async t => {
  t.equal(formatRegistrationNumber(123456), 'CS-000123456-6')
  t.equal(formatRegistrationNumber(1), 'CS-000000001-3')
  t.equal(formatRegistrationNumber(0n), 'CS-000000000-0')
  t.equal(formatRegistrationNumber(999_999_999n), 'CS-999999999-0')
  t.equal(formatRegistrationNumber(42), formatRegistrationNumber(42n), 'number and bigint agree')
  for (const bad of [-1, 1_000_000_000, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -1n, 10n ** 9n]) {
    t.throws(() => formatRegistrationNumber(bad), RangeError, `refuses ${String(bad)}`)
  }
})

t.test('checkRegistrationNumber reads what people type', async t => {
  for (const typed of ['CS-000123456-6', 'cs-000123456-6', 'CS0001234566', ' CS 000 123 456 6 ', 'CS-000-123-456-6']) {
    t.same(checkRegistrationNumber(typed), { valid: true, normalized: 'CS-000123456-6' }, JSON.stringify(typed))
  }
})

t.test('checkRegistrationNumber problems', async t => {
  const FORMAT = 'registration number format: expected CS, 9 digits and a check digit (e.g. CS-000123456-6)'
  const cases: Array<[unknown, string]> = [
    ['CS-000123456-0', 'registration number check digit (Damm): expected 6 as the last digit, found 0'],
    ['CS-000123465-6', 'registration number check digit (Damm): expected 1 as the last digit, found 6'], // 56 → 65,
    ['000123456-6', `${FORMAT}, found no CS prefix`],
    ['ZRN-000123456-6', `${FORMAT}, found no CS prefix`],
    ['CS-00012345-6', `${FORMAT}, found 9 digits`],
    ['CS-0001234567-6', `${FORMAT}, found 11 digits`],
    ['CS-000123456-X', `${FORMAT}, found 'X' at digit 10`],
    ['CS_000123456_6', `${FORMAT}, found '_' at digit 1`],
    ['', `${FORMAT}, found no CS prefix`],
    [123456, 'registration number format: expected a string, found number']
  ]
  for (const [value, problem] of cases) t.same(checkRegistrationNumber(value), { valid: false, problem }, JSON.stringify(value))
  t.ok(checkRegistrationNumber('CS-000123456-6').valid, 'the example the problem text gives is itself valid')
})

// Properties over the 10 digits (9 sequence digits + the check digit).
const sequence = fc.bigInt({ min: 0n, max: 999_999_999n })
const digitsOf = (formatted: string) => formatted.replace(/\D/g, '')
const asNumber = (digits: string) => `CS-${digits.slice(0, 9)}-${digits.slice(9)}`

t.test('every formatted number validates and normalizes to itself', async t => {
  fc.assert(fc.property(sequence, n => {
    const formatted = formatRegistrationNumber(n)
    const check = checkRegistrationNumber(formatted)
    return check.valid && check.normalized === formatted
  }), { numRuns: 2000 })
  t.pass()
})

t.test('Damm catches every single-digit error, including in the check digit', async t => {
  fc.assert(fc.property(sequence, n => {
    const digits = digitsOf(formatRegistrationNumber(n))
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue
        const changed = digits.slice(0, i) + d + digits.slice(i + 1)
        if (checkRegistrationNumber(asNumber(changed)).valid) return false
      }
    }
    return true
  }), { numRuns: 300 })
  t.pass()
})

t.test('Damm catches every adjacent transposition of two different digits', async t => {
  fc.assert(fc.property(sequence, n => {
    const digits = digitsOf(formatRegistrationNumber(n))
    for (let i = 0; i < 9; i++) {
      if (digits[i] === digits[i + 1]) continue
      const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2)
      if (checkRegistrationNumber(asNumber(swapped)).valid) return false
    }
    return true
  }), { numRuns: 1000 })
  t.pass()
})

t.test('Damm (this table) catches "thirteen" heard as "thirty": 1d ↔ d0 for d = 3 … 9', async t => {
  // Exhaustive over the ten interim states a prefix can leave (one leading digit reaches each of them); a later
  // digit keeps two different states different (Latin square), so this holds at every position.
  for (let k = 0; k <= 9; k++) {
    for (let d = 3; d <= 9; d++) t.not(dammCheckDigit(`${k}1${d}`), dammCheckDigit(`${k}${d}0`), `after ${k}: 1${d} vs ${d}0`)
  }
  t.same(new Set(Array.from('0123456789', k => dammCheckDigit(k))).size, 10, 'one digit reaches every state')
  // And through the public API, with the pair inside the sequence digits:
  fc.assert(fc.property(sequence, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 3, max: 9 }), fc.boolean(), (n, i, d, forward) => {
    const body = digitsOf(formatRegistrationNumber(n)).slice(0, 9)
    const [heard, written] = forward ? [`1${d}`, `${d}0`] : [`${d}0`, `1${d}`]
    const planted = body.slice(0, i) + written + body.slice(i + 2)
    const misheard = planted.slice(0, i) + heard + planted.slice(i + 2)
    return !checkRegistrationNumber(asNumber(misheard + dammCheckDigit(planted))).valid
  }), { numRuns: 2000 })
})
