/**
 * Dutch identifiers: AGB code, BIG number, UZI number (professionals) and BSN (persons).
 * None of them has an official notation with separators, so only surrounding whitespace is removed.
 */
import { bigCheckDigit, bsnWeightedSum } from './check-digits.js'
import { accepted, checkDigitProblem, checkDigitsOnly, digitsProblem, invalid, trimmed, type IdentifierCheck } from './types.js'

/** AGB code (Vektis): 8 digits, no check digit published. Source: shared/domain.md; Nictiz examples 01010235. */
export const checkAgbCode = (value: unknown) => checkDigitsOnly('AGB code', 8, value)

/**
 * UZI number (person): "een 9-cijferig nummer dat de pashouder … uniek identificeert", no check digit.
 * Source: https://uziregister.nl/veelgestelde-vragen/uzi-register/algemeen (not the 8-digit UZI-pasnummer,
 * which names the card, nor the abonneenummer of at most 8 digits).
 */
export const checkUziNumber = (value: unknown) => checkDigitsOnly('UZI number', 9, value)

/**
 * BIG number: 11 digits (CIBG). The check in presisnl/bignumber-validator.js (digit 2 is 9, digit 1 a mod-11
 * check over digits 3–11) is not published by CIBG, so a failure is only a warning (shared/domain.md proposal).
 */
export function checkBigNumber (value: unknown): IdentifierCheck {
  const text = trimmed('BIG number', value)
  if (typeof text !== 'string') return text
  const problem = digitsProblem('BIG number', text, 11)
  if (problem !== undefined) return invalid(problem)
  const note = ' (unofficial rule, not published by CIBG; accepted)'
  if (text[1] !== '9') return accepted(text, checkDigitProblem('BIG number fixed digit', 9, 2, text[1] as string) + note)
  const expected = bigCheckDigit(text)
  if (String(expected) !== text[0]) return accepted(text, checkDigitProblem('BIG number check digit', expected, 1, text[0] as string) + note)
  return accepted(text)
}

/**
 * BSN: 9 digits, 8-digit legacy numbers get a leading zero, and the 11-proef (weights 9 … 2, −1) must hold.
 * Source: https://bzk.rijksopenheid.nl/4059 ("Het BSN bestaat altijd uit 9 cijfers. Het eerste cijfer … kan een 0
 * zijn"), docs.oldmartijntje.nl/200-Zettelkasten/Burgerservicenummer ("8-cijferige nummers worden voorzien van
 * een voorloopnul"), calaris.nl for the 11-proef. 000000000 passes the arithmetic but is no number anyone has.
 */
export function checkBsn (value: unknown): IdentifierCheck {
  const text = trimmed('BSN', value)
  if (typeof text !== 'string') return text
  const digits = text.length === 8 ? '0' + text : text
  const problem = digitsProblem('BSN', text, text.length === 8 ? 8 : 9, { expected: '9 digits (or 8, given a leading 0)' })
  if (problem !== undefined) return invalid(problem)
  if (digits === '000000000') return invalid('BSN 11-proef: all zeros is not a BSN')
  const sum = bsnWeightedSum(digits)
  if (sum % 11 !== 0) return invalid(`BSN 11-proef: weighted sum ${sum} is not divisible by 11`)
  return accepted(digits)
}
