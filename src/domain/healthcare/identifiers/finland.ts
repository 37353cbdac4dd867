/** Finnish identifiers: the Terhikki registration number (professionals) and the henkilötunnus (persons). */
import { dateProblem, isoDate } from './calendar.js'
import { HETU_CHECK_CHARACTERS, hetuCheckCharacter } from './check-digits.js'
import { accepted, checkDigitProblem, checkDigitsOnly, describeCharacter, digitsProblem, invalid, trimmed, type IdentifierCheck } from './types.js'

/**
 * Terhikki (and Suosikki) registration number: "a technical 11-digit number", no check published.
 * Source: https://valvira.fi/en/rights-to-practise/registers-of-social-welfare-and-health-care-professionals;
 * FinnishHL7/fi-base example Practitioner value 00198705840.
 */
export const checkTerhikkiNumber = (value: unknown) => checkDigitsOnly('Terhikki number', 11, value)

/**
 * Century signs. Since 1 January 2023 (valtioneuvoston asetus of 8 July 2022) the 1900s also use Y X W V U and
 * the 2000s B C D E F besides '-' and 'A'; the sign now tells persons apart, so it is stored as sent and never
 * rewritten. Sources: https://vm.fi/-/henkilotunnusten-riittavyys-varmistetaan-uusilla-valimerkeilla,
 * https://dvv.fi/hetu-uudistus.
 */
const CENTURY = new Map([
  ...Array.from('+', sign => [sign, 1800] as const),
  ...Array.from('-YXWVU', sign => [sign, 1900] as const),
  ...Array.from('ABCDEF', sign => [sign, 2000] as const)
])

interface ParsedHetu { text: string, year: number, month: number, day: number, individual: number }

const HETU_FORMAT = 'DDMMYYCZZZQ'
const asciiUpper = (c: string) => c >= 'a' && c <= 'z' ? c.toUpperCase() : c

/**
 * hetu: DDMMYY, century sign, individual number ZZZ, check character Q (hetuCheckCharacter). Individual numbers
 * run 002–899; 900–999 are temporary codes (hospitals, newborns not yet registered) that the population register
 * never holds, so they are accepted with a warning; 000 and 001 are never given. Source: väestötietoasetus
 * 128/2010 as explained on https://www.kysy.fi/kysymys/sosiaaliturvatunnus. Letters are upper-cased.
 */
function parseHetu (value: unknown): ParsedHetu | IdentifierCheck {
  const text = trimmed('hetu', value)
  if (typeof text !== 'string') return text
  const chars = Array.from(text)
  if (chars.length !== 11) return invalid(`hetu format: expected ${HETU_FORMAT} (11 characters), found ${chars.length} characters`)
  const notDigits = digitsProblem('hetu', text.slice(0, 6), 6, { expected: HETU_FORMAT }) ??
    digitsProblem('hetu', text.slice(7, 10), 3, { expected: HETU_FORMAT, offset: 7 })
  if (notDigits !== undefined) return invalid(notDigits)
  const sign = asciiUpper(text[6] as string)
  const century = CENTURY.get(sign)
  if (century === undefined) {
    return invalid(`hetu century sign: expected one of + - Y X W V U A B C D E F at position 7, found ${describeCharacter(text[6] as string)}`)
  }
  const day = Number(text.slice(0, 2))
  const month = Number(text.slice(2, 4))
  const year = century + Number(text.slice(4, 6))
  const wrongDate = dateProblem('hetu', year, month, day)
  if (wrongDate !== undefined) return invalid(wrongDate)
  const individual = Number(text.slice(7, 10))
  if (individual < 2) return invalid('hetu individual number: 000 and 001 are never assigned (002–899, temporary 900–999)')
  const expected = hetuCheckCharacter(text.slice(0, 6) + text.slice(7, 10))
  const found = asciiUpper(text[10] as string)
  if (found !== expected) {
    return invalid(checkDigitProblem('hetu check character', expected, 11, HETU_CHECK_CHARACTERS.includes(found) ? found : describeCharacter(text[10] as string)))
  }
  return { text: text.slice(0, 6) + sign + text.slice(7, 10) + found, year, month, day, individual }
}

const isParsed = (parsed: ParsedHetu | IdentifierCheck): parsed is ParsedHetu => 'individual' in parsed

export function checkHetu (value: unknown): IdentifierCheck {
  const parsed = parseHetu(value)
  if (!isParsed(parsed)) return parsed
  return parsed.individual >= 900
    ? accepted(parsed.text, 'hetu individual number 900–999: a temporary identity code, not in the population register')
    : accepted(parsed.text)
}

/** The ISO birth date a valid hetu embeds, else undefined. */
export function hetuBirthDate (value: unknown): string | undefined {
  const parsed = parseHetu(value)
  return isParsed(parsed) ? isoDate(parsed.year, parsed.month, parsed.day) : undefined
}
