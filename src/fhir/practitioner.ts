/**
 * A read-only FHIR R4 Practitioner view of a SCIM User with the healthcare extension.
 * @see https://hl7.org/fhir/R4/practitioner.html
 * Names follow the Nictiz zib NameInformation profile (nl-core-NameInformation): the family name split into
 * own name / prefix and partner name / prefix extensions, with the assembly order, and initials marked
 * with the iso21090 EN qualifier.
 */
import { FHIR_SYSTEMS } from '../domain/healthcare/identifiers/index.js'
import { HEALTHCARE_URN } from '../domain/healthcare/extension.js'

type Json = Record<string, unknown>

/** Our own system for the platform registration number (not a national register). */
export const REGISTRATION_NUMBER_SYSTEM = 'urn:carescim:registration-number'

/** Extension attribute → FHIR identifier system. */
export const IDENTIFIER_SYSTEMS: Record<string, string> = {
  agbCode: FHIR_SYSTEMS.agbCode,
  bigNumber: FHIR_SYSTEMS.bigNumber,
  uziNumber: FHIR_SYSTEMS.uziNumber,
  lanr: FHIR_SYSTEMS.lanr,
  efn: FHIR_SYSTEMS.efn,
  dkAuthorisationId: FHIR_SYSTEMS.dkAuthorisationId,
  terhikkiNumber: FHIR_SYSTEMS.terhikkiNumber,
  registrationNumber: REGISTRATION_NUMBER_SYSTEM
}

const EXTENSION = {
  ownName: 'http://hl7.org/fhir/StructureDefinition/humanname-own-name',
  ownPrefix: 'http://hl7.org/fhir/StructureDefinition/humanname-own-prefix',
  partnerName: 'http://hl7.org/fhir/StructureDefinition/humanname-partner-name',
  partnerPrefix: 'http://hl7.org/fhir/StructureDefinition/humanname-partner-prefix',
  assemblyOrder: 'http://hl7.org/fhir/StructureDefinition/humanname-assembly-order',
  qualifier: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier'
}

const text = (value: unknown): string | undefined => typeof value === 'string' && value !== '' ? value : undefined
const joined = (...parts: Array<string | undefined>) => parts.filter(p => p !== undefined).join(' ') || undefined
const stringExtension = (url: string, value: string | undefined) => value === undefined ? [] : [{ url, valueString: value }]

export function practitionerOf (user: Json): Json {
  const healthcare = (user[HEALTHCARE_URN] ?? {}) as Json
  const name = (user.name ?? {}) as Json
  const meta = user.meta as { lastModified: string, version: string }
  return {
    resourceType: 'Practitioner',
    id: user.id,
    meta: { versionId: meta.version.replace(/^W\/"|"$/g, ''), lastUpdated: meta.lastModified },
    identifier: Object.entries(IDENTIFIER_SYSTEMS)
      .filter(([attribute]) => text(healthcare[attribute]) !== undefined)
      .map(([attribute, system]) => ({ use: 'official', system, value: healthcare[attribute] })),
    active: user.active !== false,
    name: [humanName(name, healthcare, user.displayName)],
    telecom: [
      ...((user.emails ?? []) as Json[]).map(e => ({ system: 'email', value: e.value, ...(e.type === 'work' || e.type === 'home' ? { use: e.type } : {}) })),
      ...((user.phoneNumbers ?? []) as Json[]).map(p => ({ system: 'phone', value: p.value, ...(p.type === 'work' || p.type === 'home' || p.type === 'mobile' ? { use: p.type } : {}) }))
    ]
  }
}

/**
 * The name in use is the family name with its prefix; a different birth name is the person's own name and
 * the family name then the partner's (Nictiz NamenGebruik NL1 "own name", NL2 "partner's name").
 */
function humanName (name: Json, healthcare: Json, displayName: unknown): Json {
  const family = text(name.familyName)
  const prefix = text(healthcare.namePrefix)
  const birthName = text(healthcare.birthName)
  const birthPrefix = text(healthcare.birthNamePrefix)
  const usesPartnerName = birthName !== undefined && birthName !== family
  const familyExtensions = usesPartnerName
    ? [...stringExtension(EXTENSION.ownPrefix, birthPrefix), ...stringExtension(EXTENSION.ownName, birthName),
        ...stringExtension(EXTENSION.partnerPrefix, prefix), ...stringExtension(EXTENSION.partnerName, family)]
    : [...stringExtension(EXTENSION.ownPrefix, prefix), ...stringExtension(EXTENSION.ownName, family)]
  const given = [text(name.givenName), text(healthcare.initials)].filter((g): g is string => g !== undefined)
  const result: Json = {
    use: 'official',
    text: text(name.formatted) ?? text(displayName) ?? joined(text(name.givenName), prefix, family),
    extension: [{ url: EXTENSION.assemblyOrder, valueCode: usesPartnerName ? 'NL2' : 'NL1' }]
  }
  if (family !== undefined) {
    result.family = joined(prefix, family)
    result._family = { extension: familyExtensions }
  }
  if (given.length > 0) {
    result.given = given
    // Given names are birth names (BR), initials are initials (IN): iso21090-EN-qualifier, as Nictiz does.
    result._given = given.map((g, i) => ({ extension: [{ url: EXTENSION.qualifier, valueCode: i === 0 && text(name.givenName) !== undefined ? 'BR' : 'IN' }] }))
  }
  if (text(name.honorificPrefix) !== undefined) result.prefix = [name.honorificPrefix]
  if (text(name.honorificSuffix) !== undefined) result.suffix = [name.honorificSuffix]
  return result
}

/** `system|value` of a FHIR token search → the extension attribute to filter on. */
export function identifierSearch (token: string): { attribute: string, value: string } | undefined {
  const bar = token.indexOf('|')
  if (bar < 0) return undefined
  const system = token.slice(0, bar)
  const value = token.slice(bar + 1)
  const attribute = Object.entries(IDENTIFIER_SYSTEMS).find(([, s]) => s === system)?.[0]
  return attribute === undefined || value === '' ? undefined : { attribute, value }
}
