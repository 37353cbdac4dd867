/**
 * The platform registration number CareSCIM assigns to each person (like Patient1's ZRN): read-only, globally
 * unique (it encodes a database sequence), and easy to read aloud: `CS-000123456-6`.
 *
 * Check digit: Damm (see identifiers/check-digits.ts). Chosen over ISO 7064 Mod 97-10 because one digit is
 * shorter to dictate than two, while it still catches every single-digit error and every adjacent transposition,
 * the two mistakes people make on the phone; this table also catches "thirteen"/"thirty" style mishearings. It
 * never needs a non-digit (unlike mod 11's X). The 'CS' prefix is a constant, not part of the computation.
 */
import { dammCheckDigit } from './identifiers/check-digits.js'
import { accepted, describeCharacter, invalid, type IdentifierCheck } from './identifiers/types.js'

const PREFIX = 'CS'
const SEQUENCE_DIGITS = 9
const MAX_SEQUENCE = 10n ** BigInt(SEQUENCE_DIGITS) - 1n
const FORMAT = 'CS, 9 digits and a check digit (e.g. CS-000123456-6)'

/** `CS-<sequence, 9 digits zero-padded>-<Damm check digit>`; throws RangeError outside 0 … 999 999 999. */
export function formatRegistrationNumber (sequence: bigint | number): string {
  if (typeof sequence === 'number' && !Number.isSafeInteger(sequence)) throw new RangeError(`registration sequence must be an integer, got ${sequence}`)
  const n = BigInt(sequence)
  if (n < 0n || n > MAX_SEQUENCE) throw new RangeError(`registration sequence must be between 0 and ${MAX_SEQUENCE}, got ${n}`)
  const body = n.toString().padStart(SEQUENCE_DIGITS, '0')
  return `${PREFIX}-${body}-${dammCheckDigit(body)}`
}

/**
 * Accepts what people type after hearing or reading it: any case, with or without the hyphens, and spaces
 * between digit groups ('cs 000 123 456 6'). Normalized to the printed form.
 */
export function checkRegistrationNumber (value: unknown): IdentifierCheck {
  if (typeof value !== 'string') return invalid(`registration number format: expected a string, found ${value === null ? 'null' : typeof value}`)
  const compact = value.replace(/[\s-]/g, '').toUpperCase()
  if (!compact.startsWith(PREFIX)) return invalid(`registration number format: expected ${FORMAT}, found no CS prefix`)
  const digits = Array.from(compact.slice(PREFIX.length))
  const bad = digits.findIndex(c => c < '0' || c > '9')
  if (bad >= 0) return invalid(`registration number format: expected ${FORMAT}, found ${describeCharacter(digits[bad] as string)} at digit ${bad + 1}`)
  if (digits.length !== SEQUENCE_DIGITS + 1) return invalid(`registration number format: expected ${FORMAT}, found ${digits.length} digits`)
  const body = digits.slice(0, SEQUENCE_DIGITS).join('')
  const expected = dammCheckDigit(body)
  const found = digits[SEQUENCE_DIGITS] as string
  if (String(expected) !== found) return invalid(`registration number check digit (Damm): expected ${expected} as the last digit, found ${found}`)
  return accepted(`${PREFIX}-${body}-${found}`)
}
