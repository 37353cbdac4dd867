import type { IdentifierKind } from './types.js'

/**
 * FHIR Identifier.system per kind (shared/domain.md), each checked against the profile that fixes it:
 * Nictiz nl-core (agb-z, big, uzi-nr-pers, bsn); HL7 Deutschland basisprofil-de-r4 IdentifierLanr, IdentifierBsnr,
 * IdentifierEfn, IdentifierTelematikId, IdentifierKvid10; HL7 DK Core dk-core-authorization-identifier and its CPR
 * examples; FinnishHL7 fi-base Practitioner (Terhikki urn:oid:1.2.246.537.26, hetu urn:oid:1.2.246.21).
 */
export const FHIR_SYSTEMS: Readonly<Record<IdentifierKind, string>> = Object.freeze({
  agbCode: 'http://fhir.nl/fhir/NamingSystem/agb-z',
  bigNumber: 'http://fhir.nl/fhir/NamingSystem/big',
  uziNumber: 'http://fhir.nl/fhir/NamingSystem/uzi-nr-pers',
  lanr: 'https://fhir.kbv.de/NamingSystem/KBV_NS_Base_ANR',
  bsnr: 'https://fhir.kbv.de/NamingSystem/KBV_NS_Base_BSNR',
  efn: 'http://fhir.de/sid/bundesaerztekammer/efn',
  telematikId: 'https://gematik.de/fhir/sid/telematik-id',
  dkAuthorisationId: 'https://autregweb.sst.dk',
  terhikkiNumber: 'urn:oid:1.2.246.537.26',
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  cpr: 'urn:oid:1.2.208.176.1.2',
  hetu: 'urn:oid:1.2.246.21',
  kvnr: 'http://fhir.de/sid/gkv/kvid-10'
})
