/**
 * German identifiers: LANR, BSNR, EFN, Telematik-ID (professionals, practices) and KVNR (insured persons).
 * None has an official notation with separators, so only surrounding whitespace is removed.
 */
import { kvnrCheckDigit, lanrCheckDigit, luhnCheckDigit } from './check-digits.js'
import {
  accepted, checkDigitProblem, checkDigitsOnly, describeCharacter, digitsProblem, invalid, trimmed, type IdentifierCheck
} from './types.js'

/**
 * Pseudo-LANRs stand for a group, not a person. Repeated digits happen to pass the check (d × 39 ≡ −d mod 10),
 * but 555555nff does not for n ≠ 5, so pseudo numbers skip the check. Sources:
 * 999999900 for dentists, Bundeswehr doctors and midwives (apotheke-adhoc.de, "Rezeptcheck: Arztnummer");
 * 4444444ff for hospital doctors in discharge management since 1.10.2017 (dkgev.de, KHANR-VZ nach § 293 Abs. 7
 * SGB V); 3333333ff (AOK Nordost Lieferbedingungen) and 555555nff (GKV-Datenaustausch Krankenhäuser,
 * Fortschreibung 2017-05-22), both as collected in oboehm/jfachwert LANR.isPseudoNummer.
 */
function pseudoLanr (digits: string): string | undefined {
  if (digits === '999999900') return '999999900 (dentists, Bundeswehr doctors, midwives)'
  if (digits.startsWith('4444444')) return '4444444ff (hospital discharge management)'
  if (digits.startsWith('3333333')) return '3333333ff'
  if (digits.startsWith('555555')) return '555555nff (hospital doctors)'
  return undefined
}

/** LANR: 9 digits `nnnnnn c ff`, c = lanrCheckDigit(nnnnnn), ff = Arztgruppe; pseudo-LANRs accepted with a warning. */
export function checkLanr (value: unknown): IdentifierCheck {
  const text = trimmed('LANR', value)
  if (typeof text !== 'string') return text
  const problem = digitsProblem('LANR', text, 9)
  if (problem !== undefined) return invalid(problem)
  const pseudo = pseudoLanr(text)
  // A pseudo number names no person: accept it, but the caller must not match people by it.
  if (pseudo !== undefined) return accepted(text, `LANR pseudo number ${pseudo}: not a personal number`)
  const expected = lanrCheckDigit(text)
  if (String(expected) !== text[6]) return invalid(checkDigitProblem('LANR check digit', expected, 7, text[6] as string))
  return accepted(text)
}

/**
 * BSNR: 9 digits, no check digit. Digits 1–2 are the KV Landes- or Bezirksstelle, but hospitals get 35 or 75
 * there (reimbursement.institute/glossar/bsnr-betriebsstaettennummer) and no complete list is published, so only
 * the shape is checked, as HL7 Deutschland's invariant bsnr-1 does (`[0-9]{9}`, basisprofil-de-r4).
 */
export const checkBsnr = (value: unknown) => checkDigitsOnly('BSNR', 9, value)

/**
 * EFN: 15 digits (80 = physicians, 276 = Germany, 3 digits chamber, 6 digits serial) and digit 15 a Luhn
 * check digit. Source: Bayerische Landesärztekammer FAQ (blaek.de, id_faq=242) and www.eiv-fobi.de/allgemeines.
 * The prefix is not enforced: psychotherapists' chambers issue EFNs too (ptk-bayern.de).
 */
export function checkEfn (value: unknown): IdentifierCheck {
  const text = trimmed('EFN', value)
  if (typeof text !== 'string') return text
  const problem = digitsProblem('EFN', text, 15)
  if (problem !== undefined) return invalid(problem)
  const expected = luhnCheckDigit(text.slice(0, 14))
  if (String(expected) !== text[14]) return invalid(checkDigitProblem('EFN Luhn check digit', expected, 15, text[14] as string))
  return accepted(text)
}

/**
 * Telematik-ID: a sector prefix (1–2 digits, no leading zero), '-', then the sector's own part, at most 128
 * characters in all. Sources: gematik glossary "Telematik-ID" (fachportal.gematik.de: the only limit is the
 * field length of 128 characters; sectors own the part after the separator) and HL7 Deutschland's invariant
 * telematik-id-1 `^[1-9][0-9]?-[\x21-\x7E]+$` (basisprofil-de-r4). gematik's own directory rule also admits
 * non-ASCII letters after the '-', so the rest is any run of visible characters (no spaces, no controls).
 */
const TELEMATIK_ID = /^[1-9][0-9]?-[^\p{C}\p{Z}\s]+$/u
export function checkTelematikId (value: unknown): IdentifierCheck {
  const text = trimmed('Telematik-ID', value)
  if (typeof text !== 'string') return text
  const length = Array.from(text).length
  if (length > 128) return invalid(`Telematik-ID length: at most 128 characters, found ${length}`)
  if (!/^[1-9][0-9]?-/.test(text)) return invalid('Telematik-ID format: expected a sector prefix of 1–2 digits and \'-\' (e.g. 1-…, 3-…, 10-…)')
  if (!TELEMATIK_ID.test(text)) {
    const bad = Array.from(text).findIndex(c => /[\p{C}\p{Z}\s]/u.test(c))
    return invalid(bad < 0
      ? 'Telematik-ID format: expected characters after the sector prefix'
      : `Telematik-ID format: expected visible characters, found ${describeCharacter(Array.from(text)[bad] as string)} at position ${bad + 1}`)
  }
  return accepted(text)
}

/**
 * KVNR (unveränderbarer Teil, 10 characters): a capital letter, 8 digits, a check digit (kvnrCheckDigit).
 * Source: https://de.wikipedia.org/wiki/Krankenversichertennummer, HL7 Deutschland invariant kvid-1
 * `^[A-Z][0-9]{9}$`. Lower case is upper-cased: the letter's case carries no meaning.
 */
export function checkKvnr (value: unknown): IdentifierCheck {
  const text = trimmed('KVNR', value)
  if (typeof text !== 'string') return text
  const first = Array.from(text)[0] as string
  if (!/^[A-Za-z]$/.test(first)) return invalid(`KVNR format: expected a letter A–Z at position 1, found ${describeCharacter(first)}`)
  const letter = first.toUpperCase()
  const digits = text.slice(1)
  const problem = digitsProblem('KVNR', digits, 9, { expected: 'a letter and 9 digits', offset: 1 })
  if (problem !== undefined) return invalid(problem)
  const expected = kvnrCheckDigit(letter, digits)
  if (String(expected) !== digits[8]) return invalid(checkDigitProblem('KVNR check digit', expected, 10, digits[8] as string))
  return accepted(letter + digits)
}
