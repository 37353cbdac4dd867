/** Danish identifiers: the STPS autorisations-id (health professionals) and the CPR number (persons). */
import { dateProblem, isoDate } from './calendar.js'
import { accepted, describeCharacter, invalid, trimmed, type IdentifierCheck } from './types.js'

/**
 * Autorisations-id: five characters, digits and consonants (Y counts as a consonant here), no meaning.
 * Sources: https://stps.dk/da/autorisation/om-autorisationer/autorisations-id/ and HL7 DK Core's invariant
 * authorization-id-format `^[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z0-9]{5}$` (dk-core-authorization-identifier).
 * Stored upper-case, as the register prints them (e.g. the substitute ids 09YM8, 09YM9, 09YMB on nspop.dk).
 */
const AUTHORISATION_ID = /^[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z0-9]{5}$/
export function checkDkAuthorisationId (value: unknown): IdentifierCheck {
  const text = trimmed('Autorisations-id', value)
  if (typeof text !== 'string') return text
  if (AUTHORISATION_ID.test(text)) return accepted(text.toUpperCase())
  const chars = Array.from(text)
  const bad = chars.findIndex(c => !/^[b-df-hj-np-tv-zB-DF-HJ-NP-TV-Z0-9]$/.test(c))
  if (bad >= 0) return invalid(`Autorisations-id format: expected digits and consonants, found ${describeCharacter(chars[bad] as string)} at position ${bad + 1}`)
  return invalid(`Autorisations-id format: expected 5 characters, found ${chars.length} characters`)
}

/**
 * CPR century from digit 7 and the two-digit year (CPR-kontoret's table, as given in
 * https://da.wikipedia.org/wiki/CPR-nummer and https://www.cpr.dk/cpr-systemet/opbygning-af-cpr-nummeret):
 * 0–3 → 1900s; 4 and 9 → 2000s for 00–36, 1900s for 37–99; 5–8 → 2000s for 00–57, 1800s for 58–99.
 */
function cprYear (yy: number, digit7: number): number {
  if (digit7 <= 3) return 1900 + yy
  if (digit7 === 4 || digit7 === 9) return (yy <= 36 ? 2000 : 1900) + yy
  return (yy <= 57 ? 2000 : 1800) + yy
}

interface ParsedCpr { digits: string, year: number, month: number, day: number }

/**
 * CPR: DDMMYY-SSSS, "med eller uden bindestreg efter de første seks cifre" (da.wikipedia.org/wiki/CPR-nummer),
 * so the hyphen at position 7 is the one separator accepted. The modulus-11 check is NOT applied: numbers
 * without it have been issued since 1 October 2007 and CPR-kontoret asks systems to accept them
 * (cpr.dk, "Personnumre uden kontrolciffer"). Stored as 10 digits, the form HL7 DK Core and MedCom examples use.
 */
function parseCpr (value: unknown): ParsedCpr | IdentifierCheck {
  const text = trimmed('CPR', value)
  if (typeof text !== 'string') return text
  const chars = Array.from(text)
  const hyphen = chars[6] === '-'
  const bad = chars.findIndex((c, i) => (c < '0' || c > '9') && !(hyphen && i === 6))
  if (bad >= 0) return invalid(`CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found ${describeCharacter(chars[bad] as string)} at position ${bad + 1}`)
  if (chars.length !== (hyphen ? 11 : 10)) return invalid(`CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found ${chars.length} characters`)
  const digits = hyphen ? text.slice(0, 6) + text.slice(7) : text
  const day = Number(digits.slice(0, 2))
  const month = Number(digits.slice(2, 4))
  const year = cprYear(Number(digits.slice(4, 6)), Number(digits[6]))
  const wrongDate = dateProblem('CPR', year, month, day)
  return wrongDate === undefined ? { digits, year, month, day } : invalid(wrongDate)
}

const isParsed = (parsed: ParsedCpr | IdentifierCheck): parsed is ParsedCpr => 'digits' in parsed

export function checkCpr (value: unknown): IdentifierCheck {
  const parsed = parseCpr(value)
  return isParsed(parsed) ? accepted(parsed.digits) : parsed
}

/** The ISO birth date a valid CPR number embeds, else undefined. */
export function cprBirthDate (value: unknown): string | undefined {
  const parsed = parseCpr(value)
  return isParsed(parsed) ? isoDate(parsed.year, parsed.month, parsed.day) : undefined
}
