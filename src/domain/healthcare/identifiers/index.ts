/**
 * Pure validators for healthcare professional and national identifiers (NL, DE, DK, FI): no HTTP, no database,
 * no SCIM. Each rule is implemented next to the source it was taken from; see the country modules.
 */
import { checkCpr, checkDkAuthorisationId, cprBirthDate } from './denmark.js'
import { checkHetu, checkTerhikkiNumber, hetuBirthDate } from './finland.js'
import { checkBsnr, checkEfn, checkKvnr, checkLanr, checkTelematikId } from './germany.js'
import { checkAgbCode, checkBigNumber, checkBsn, checkUziNumber } from './netherlands.js'
import { invalid, type IdentifierCheck, type IdentifierKind } from './types.js'

export { FHIR_SYSTEMS } from './fhir-systems.js'
export type { IdentifierCheck, IdentifierKind } from './types.js'

// One table built at load time; a Map, so a kind read from a request can never reach Object.prototype.
const CHECKS = new Map<IdentifierKind, (value: unknown) => IdentifierCheck>([
  ['agbCode', checkAgbCode],
  ['bigNumber', checkBigNumber],
  ['uziNumber', checkUziNumber],
  ['lanr', checkLanr],
  ['bsnr', checkBsnr],
  ['efn', checkEfn],
  ['telematikId', checkTelematikId],
  ['dkAuthorisationId', checkDkAuthorisationId],
  ['terhikkiNumber', checkTerhikkiNumber],
  ['bsn', checkBsn],
  ['cpr', checkCpr],
  ['hetu', checkHetu],
  ['kvnr', checkKvnr]
])

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = Object.freeze([...CHECKS.keys()])

export function checkIdentifier (kind: IdentifierKind, value: string): IdentifierCheck {
  const check = CHECKS.get(kind)
  // The kind may come from request data (an IdP attribute), so an unknown one is a 400, not a crash.
  return check === undefined ? invalid(`unknown identifier kind ${JSON.stringify(String(kind)).slice(0, 64)}`) : check(value)
}

/** ISO date (YYYY-MM-DD) of birth embedded in a valid CPR number or hetu; undefined when the value is invalid. */
export function birthDateOf (kind: 'cpr' | 'hetu', value: string): string | undefined {
  if (kind === 'cpr') return cprBirthDate(value)
  if (kind === 'hetu') return hetuBirthDate(value)
  return undefined
}
