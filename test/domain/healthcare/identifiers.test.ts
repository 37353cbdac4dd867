// Each identifier kind: published or computed valid examples, and each rule's rejection with its exact text.
import t from 'tap'
import { birthDateOf, checkIdentifier, FHIR_SYSTEMS, IDENTIFIER_KINDS, type IdentifierKind } from '../../../src/domain/healthcare/identifiers/index.js'

interface Valid { value: string, normalized?: string, warning?: string, source?: string }
interface Invalid { value: string, problem: string }

function cases (kind: IdentifierKind, valid: Valid[], invalid: Invalid[]) {
  t.test(kind, async t => {
    for (const { value, normalized = value.trim(), warning, source } of valid) {
      const expected = warning === undefined ? { valid: true, normalized } : { valid: true, normalized, warning }
      t.same(checkIdentifier(kind, value), expected, `accepts ${JSON.stringify(value)}${source === undefined ? '' : ` (${source})`}`)
    }
    for (const { value, problem } of invalid) {
      t.same(checkIdentifier(kind, value), { valid: false, problem }, `rejects ${JSON.stringify(value)}`)
    }
  })
}

const BIG_NOTE = ' (unofficial rule, not published by CIBG; accepted)'

cases('agbCode', [
  { value: '01010235', source: 'Nictiz example Organization' },
  { value: ' 71025100 ', normalized: '71025100', source: 'VZVZ example' }
], [
  { value: '0101023', problem: 'AGB code format: expected 8 digits, found 7 characters' },
  { value: '0101-0235', problem: 'AGB code format: expected 8 digits, found \'-\' at position 5' },
  { value: '   ', problem: 'AGB code format: empty' }
])

cases('bigNumber', [
  { value: '09123456789', source: 'computed: passes the unofficial check' },
  { value: '89012345601', source: 'computed' },
  { value: '19012345601', warning: 'BIG number check digit: expected 8 at position 1, found 1' + BIG_NOTE },
  { value: '12345678901', warning: 'BIG number fixed digit: expected 9 at position 2, found 2' + BIG_NOTE }
], [
  { value: '0912345678', problem: 'BIG number format: expected 11 digits, found 10 characters' },
  { value: '0912345678X', problem: 'BIG number format: expected 11 digits, found \'X\' at position 11' }
])

cases('uziNumber', [
  { value: '123456789', source: 'Nictiz hg-HealthProfessional example' }
], [
  { value: '12345678', problem: 'UZI number format: expected 9 digits, found 8 characters' },
  { value: '12345678a', problem: 'UZI number format: expected 9 digits, found \'a\' at position 9' }
])

cases('bsn', [
  { value: '123456782', source: 'calaris.nl worked example' },
  { value: '111222333', source: 'computed' },
  { value: '249566758', source: 'privacynieuws.nl example' },
  { value: '12345672', normalized: '012345672', source: 'legacy 8 digits, padded' }
], [
  { value: '123456789', problem: 'BSN 11-proef: weighted sum 147 is not divisible by 11' },
  { value: '000000000', problem: 'BSN 11-proef: all zeros is not a BSN' },
  { value: '00000000', problem: 'BSN 11-proef: all zeros is not a BSN' },
  { value: '1234567', problem: 'BSN format: expected 9 digits (or 8, given a leading 0), found 7 characters' },
  { value: '1234567890', problem: 'BSN format: expected 9 digits (or 8, given a leading 0), found 10 characters' },
  // Dots are how some people write it, but no official notation we could source uses them.
  { value: '1234.56.782', problem: 'BSN format: expected 9 digits (or 8, given a leading 0), found \'.\' at position 5' }
])

const PSEUDO = (what: string) => `LANR pseudo number ${what}: not a personal number`
cases('lanr', [
  { value: '838382210', source: 'gematik/eRezept-Examples Practitioner' },
  { value: '838382202', source: 'gematik/spec-E-Rezept-ServiceRequest' },
  { value: '123456601', source: 'computed' },
  { value: '999999900', warning: PSEUDO('999999900 (dentists, Bundeswehr doctors, midwives)') },
  { value: '444444410', warning: PSEUDO('4444444ff (hospital discharge management)') },
  { value: '333333301', warning: PSEUDO('3333333ff') },
  // n ≠ 5 fails the check digit, yet 555555nff is a pseudo-LANR.
  { value: '555555001', warning: PSEUDO('555555nff (hospital doctors)') },
  { value: '555555501', warning: PSEUDO('555555nff (hospital doctors)') }
], [
  { value: '123456788', problem: 'LANR check digit: expected 6 at position 7, found 7' },
  { value: '838382510', problem: 'LANR check digit: expected 2 at position 7, found 5' },
  { value: '12345660', problem: 'LANR format: expected 9 digits, found 8 characters' },
  { value: '123456 01', problem: 'LANR format: expected 9 digits, found U+0020 at position 7' }
])

t.test('999999901 is an ordinary LANR: only 999999900 is the pseudo number', async t => {
  t.same(checkIdentifier('lanr', '999999901'), { valid: true, normalized: '999999901' })
})

cases('bsnr', [
  { value: '031234567', source: 'computed' },
  { value: '351234567', source: 'hospital prefix 35' }
], [
  { value: '03123456', problem: 'BSNR format: expected 9 digits, found 8 characters' },
  { value: '03/123456', problem: 'BSNR format: expected 9 digits, found \'/\' at position 3' }
])

cases('efn', [
  { value: '802760012345673', source: 'computed: 80 physician, 276 Germany, Luhn' },
  { value: '802760901234566', source: 'computed' }
], [
  { value: '123456789123457', problem: 'EFN Luhn check digit: expected 8 at position 15, found 7' },
  { value: '80276001234567', problem: 'EFN format: expected 15 digits, found 14 characters' }
])

cases('telematikId', [
  { value: '3-SMC-B-Testkarte-883110000116873', source: 'gematik test card' },
  { value: '3-2-APO-XanthippeVeilchenblau01', source: 'gematik E-Rezept example' },
  { value: '1-838382202', source: 'gematik/spec-E-Rezept-ServiceRequest' },
  { value: '10-Ärztekammer.Test_1', source: 'non-ASCII letters, admitted by gematik\'s directory rule' },
  { value: '1-' + 'x'.repeat(126), source: '128 characters' }
], [
  { value: '1-' + 'x'.repeat(127), problem: 'Telematik-ID length: at most 128 characters, found 129' },
  { value: '883110000116873', problem: 'Telematik-ID format: expected a sector prefix of 1–2 digits and \'-\' (e.g. 1-…, 3-…, 10-…)' },
  { value: '0-abc', problem: 'Telematik-ID format: expected a sector prefix of 1–2 digits and \'-\' (e.g. 1-…, 3-…, 10-…)' },
  { value: '123-abc', problem: 'Telematik-ID format: expected a sector prefix of 1–2 digits and \'-\' (e.g. 1-…, 3-…, 10-…)' },
  { value: '1-', problem: 'Telematik-ID format: expected characters after the sector prefix' },
  { value: '1-SMC B', problem: 'Telematik-ID format: expected visible characters, found U+0020 at position 6' },
  { value: '1-SMC\u0000B', problem: 'Telematik-ID format: expected visible characters, found U+0000 at position 6' }
])

cases('kvnr', [
  { value: 'X110411675', source: 'gematik test KVNR' },
  { value: 'A123456780', source: 'computed' },
  { value: 'z987654321', normalized: 'Z987654321', source: 'computed, lower case' }
], [
  { value: 'X110411674', problem: 'KVNR check digit: expected 5 at position 10, found 4' },
  // Placeholder values from published FHIR examples that are not valid KVNRs:
  { value: 'X123456789', problem: 'KVNR check digit: expected 8 at position 10, found 9' },
  { value: 'K123456789', problem: 'KVNR check digit: expected 1 at position 10, found 9' },
  { value: '1123456789', problem: 'KVNR format: expected a letter A–Z at position 1, found \'1\'' },
  { value: 'Ä123456789', problem: 'KVNR format: expected a letter A–Z at position 1, found U+00C4' },
  { value: 'X11041167', problem: 'KVNR format: expected a letter and 9 digits, found 9 characters' },
  { value: 'XX10411675', problem: 'KVNR format: expected a letter and 9 digits, found \'X\' at position 2' }
])

t.test('KVNR: letters whose two digits weigh the same share check digits (A, O, T)', async t => {
  for (const letter of ['A', 'O', 'T']) t.ok(checkIdentifier('kvnr', `${letter}123456780`).valid, letter)
  t.notOk(checkIdentifier('kvnr', 'B123456780').valid)
})

cases('dkAuthorisationId', [
  { value: '09YM8', source: 'substitute id listed on nspop.dk' },
  { value: '0c4kn', normalized: '0C4KN', source: 'lower case' },
  { value: '12345' }
], [
  { value: '0A123', problem: 'Autorisations-id format: expected digits and consonants, found \'A\' at position 2' },
  { value: '09YM', problem: 'Autorisations-id format: expected 5 characters, found 4 characters' },
  { value: '09YM8B', problem: 'Autorisations-id format: expected 5 characters, found 6 characters' }
])

cases('terhikkiNumber', [
  { value: '00198705840', source: 'FinnishHL7 fi-base Practitioner example' },
  { value: '01234567890', source: 'Kela Kanta test data' }
], [
  { value: '198705840', problem: 'Terhikki number format: expected 11 digits, found 9 characters' }
])

cases('cpr', [
  { value: '1310169996', source: 'HL7 DK Core Patient example (2016)' },
  { value: '251248-9996', normalized: '2512489996', source: 'published FHIR example; fails the old mod-11 check, still valid' },
  { value: '2509479989', source: 'MedCom example' },
  { value: '0101010001', source: 'CPR of the substitute records on nspop.dk' },
  { value: '2902004000', source: 'digit 7 = 4, year 00 → 2000, a leap year' }
], [
  { value: '2902001234', problem: 'CPR date: day 29 does not exist in February 1900' },
  { value: '3102851234', problem: 'CPR date: day 31 does not exist in February 1985' },
  { value: '0113851234', problem: 'CPR date: month 13 does not exist' },
  { value: '0001851234', problem: 'CPR date: day 00 does not exist in January 1985' },
  { value: '010185123', problem: 'CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found 9 characters' },
  { value: '010185-123', problem: 'CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found 10 characters' },
  { value: '010185 1234', problem: 'CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found U+0020 at position 7' },
  { value: '01018-51234', problem: 'CPR format: expected DDMMYY-SSSS or DDMMYYSSSS, found \'-\' at position 6' }
])

cases('hetu', [
  { value: '131052-308T', source: 'DVV example' },
  { value: '131052-308t', normalized: '131052-308T', source: 'lower case' },
  { value: '010100+002H', source: 'computed: 1800s' },
  { value: '290200A4561', source: 'computed: 2000 is a leap year' },
  { value: '290204Y123A', source: 'computed: a 2023 century sign' },
  { value: '290204B123A', source: 'same digits, 2000s sign: another person' },
  { value: '150675-123U', source: 'computed' },
  { value: '311080-999X', warning: 'hetu individual number 900–999: a temporary identity code, not in the population register', source: 'fi-base example' }
], [
  // Published on telp.fi as an example of the new signs, with a wrong check character.
  { value: '010190Y999K', problem: 'hetu check character: expected W at position 11, found K' },
  { value: '131052-308U', problem: 'hetu check character: expected T at position 11, found U' },
  { value: '131052-308G', problem: 'hetu check character: expected T at position 11, found \'G\'' },
  { value: '290200-4561', problem: 'hetu date: day 29 does not exist in February 1900' },
  { value: '131352-308T', problem: 'hetu date: month 13 does not exist' },
  { value: '131052Z308T', problem: 'hetu century sign: expected one of + - Y X W V U A B C D E F at position 7, found \'Z\'' },
  { value: '131052-001T', problem: 'hetu individual number: 000 and 001 are never assigned (002–899, temporary 900–999)' },
  { value: '131052-30T', problem: 'hetu format: expected DDMMYYCZZZQ (11 characters), found 10 characters' },
  { value: '13105a-308T', problem: 'hetu format: expected DDMMYYCZZZQ, found \'a\' at position 6' },
  { value: '131052-3O8T', problem: 'hetu format: expected DDMMYYCZZZQ, found \'O\' at position 9' }
])

t.test('birthDateOf reads the century rules', async t => {
  t.equal(birthDateOf('cpr', '2509479989'), '1947-09-25', 'digit 7 = 9, year 47 → 1900s')
  t.equal(birthDateOf('cpr', '1310169996'), '2016-10-13', 'digit 7 = 9, year 16 → 2000s')
  t.equal(birthDateOf('cpr', '010136-4000'), '2036-01-01', 'digit 7 = 4, year 36 → 2000s')
  t.equal(birthDateOf('cpr', '010137-4000'), '1937-01-01', 'digit 7 = 4, year 37 → 1900s')
  t.equal(birthDateOf('cpr', '0101575000'), '2057-01-01', 'digit 7 = 5, year 57 → 2000s')
  t.equal(birthDateOf('cpr', '0101585000'), '1858-01-01', 'digit 7 = 5, year 58 → 1800s')
  t.equal(birthDateOf('cpr', '0101998999'), '1899-01-01', 'digit 7 = 8, year 99 → 1800s')
  t.equal(birthDateOf('cpr', '0101993999'), '1999-01-01', 'digit 7 = 3 → 1900s')
  t.equal(birthDateOf('hetu', '131052-308T'), '1952-10-13')
  t.equal(birthDateOf('hetu', '010100+002H'), '1800-01-01')
  t.equal(birthDateOf('hetu', '290200A4561'), '2000-02-29')
  t.equal(birthDateOf('hetu', '290204Y123A'), '1904-02-29')
  t.equal(birthDateOf('cpr', '3102851234'), undefined, 'invalid date')
  t.equal(birthDateOf('hetu', '131052-308U'), undefined, 'a wrong check character gives no date')
})

t.test('input that is not a usable string', async t => {
  t.same(checkIdentifier('bsn', 42 as unknown as string), { valid: false, problem: 'BSN format: expected a string, found number' })
  t.same(checkIdentifier('kvnr', null as unknown as string), { valid: false, problem: 'KVNR format: expected a string, found null' })
  t.same(checkIdentifier('hetu', ''), { valid: false, problem: 'hetu format: empty' })
  t.same(checkIdentifier('constructor' as IdentifierKind, '1'), { valid: false, problem: 'unknown identifier kind "constructor"' })
})

t.test('FHIR_SYSTEMS has one system per kind, frozen', async t => {
  t.same(Object.keys(FHIR_SYSTEMS).sort(), [...IDENTIFIER_KINDS].sort())
  t.equal(FHIR_SYSTEMS.bsn, 'http://fhir.nl/fhir/NamingSystem/bsn')
  t.equal(FHIR_SYSTEMS.kvnr, 'http://fhir.de/sid/gkv/kvid-10')
  t.equal(FHIR_SYSTEMS.lanr, 'https://fhir.kbv.de/NamingSystem/KBV_NS_Base_ANR')
  t.equal(FHIR_SYSTEMS.cpr, 'urn:oid:1.2.208.176.1.2')
  t.equal(FHIR_SYSTEMS.hetu, 'urn:oid:1.2.246.21')
  t.ok(Object.isFrozen(FHIR_SYSTEMS))
})
