import { conflict, invalidValue } from '../../scim/errors.js'
import { checkIdentifier, type IdentifierKind } from './identifiers/index.js'

/** Our own namespace: `urn:ietf:params:scim` is IANA's, reserved for IETF-registered schemas (RFC 7643 §10.2). */
export const HEALTHCARE_URN = 'urn:carescim:scim:schemas:extension:healthcare:1.0:User'

/** Extension attributes holding a professional identifier, validated by its rules (src/domain/healthcare/identifiers). */
const IDENTIFIER_ATTRIBUTES: Record<string, IdentifierKind> = {
  agbCode: 'agbCode',
  bigNumber: 'bigNumber',
  uziNumber: 'uziNumber',
  lanr: 'lanr',
  efn: 'efn',
  dkAuthorisationId: 'dkAuthorisationId',
  terhikkiNumber: 'terhikkiNumber'
}

/** Identifiers that belong to one account platform-wide (unique indexes on the account). */
export const PLATFORM_UNIQUE_IDENTIFIERS = ['agbCode', 'bigNumber', 'uziNumber', 'lanr'] as const

/** Extension attributes that are the tenant's own (on the membership); the rest is personal data. */
export const TENANT_SPECIFIC_ATTRIBUTES = new Set(['supervisingUser'])

type Extension = Record<string, unknown>

export function healthcareOf (resource: Record<string, unknown>): Extension | undefined {
  const extension = resource[HEALTHCARE_URN]
  return typeof extension === 'object' && extension !== null ? extension as Extension : undefined
}

/**
 * Checks format and check digits of every identifier present and stores its canonical form.
 * A failed check is a 400 naming the attribute and the rule; a warning (BIG's unofficial check) is returned.
 */
function checkProfessionalIdentifiers (resource: Record<string, unknown>): string[] {
  const extension = healthcareOf(resource)
  if (extension === undefined) return []
  const warnings: string[] = []
  for (const [attribute, kind] of Object.entries(IDENTIFIER_ATTRIBUTES)) {
    const value = extension[attribute]
    if (typeof value !== 'string') continue
    const check = checkIdentifier(kind, value)
    if (!check.valid) throw invalidValue(`${HEALTHCARE_URN}:${attribute}: ${check.problem ?? 'not a valid identifier'}`, `${HEALTHCARE_URN}:${attribute}`)
    if (check.warning !== undefined) warnings.push(`${attribute}: ${check.warning}`)
    if (check.normalized !== undefined) extension[attribute] = check.normalized
  }
  return warnings
}

/** The attribute every supervision rule concerns (a form shows its message there). */
const SUPERVISING_USER = `${HEALTHCARE_URN}:supervisingUser`

/** What the supervisor rules need to know of another member of the tenant. */
export interface MemberFacts {
  id: string
  active: boolean
  agbCode: string | undefined
  bigNumber: string | undefined
  supervisorId: string | undefined
}

export interface MemberDirectory {
  member: (id: string) => Promise<MemberFacts | undefined>
  /** A member by userName or BIG number (Entra sends custom attributes only as simple strings). */
  memberByReference: (reference: string) => Promise<MemberFacts | undefined>
}

export interface SupervisionPolicy {
  /** A practitioner (a discipline set) without both AGB and BIG must name a supervising user. */
  requireSupervisor: boolean
}

/**
 * Flux's "verantwoordelijke gebruiker": resolves `supervisingUserReference` into `supervisingUser` and
 * checks the rules: an active member of the same tenant with an AGB code and a BIG number; not the
 * user itself; no cycle of supervisors.
 */
async function checkSupervision (resource: Record<string, unknown>, selfId: string | undefined, directory: MemberDirectory, policy: SupervisionPolicy): Promise<void> {
  const extension = healthcareOf(resource)
  const reference = extension?.supervisingUserReference
  if (extension !== undefined && typeof reference === 'string') {
    delete extension.supervisingUserReference
    const found = await directory.memberByReference(reference)
    if (found === undefined) throw invalidValue(`${HEALTHCARE_URN}:supervisingUserReference: no User of this tenant has the userName or BIG number "${reference}"`, SUPERVISING_USER)
    extension.supervisingUser = { value: found.id }
  }
  const supervisorId = (extension?.supervisingUser as { value?: string } | undefined)?.value
  if (supervisorId === undefined) {
    const practitioner = typeof extension?.discipline === 'string'
    const registered = typeof extension?.agbCode === 'string' && typeof extension.bigNumber === 'string'
    if (policy.requireSupervisor && practitioner && !registered) {
      throw invalidValue(`${HEALTHCARE_URN}:supervisingUser is required: this tenant requires a supervising user for practitioners without both an AGB code and a BIG number`, SUPERVISING_USER)
    }
    return
  }
  if (supervisorId === selfId) throw invalidValue(`${HEALTHCARE_URN}:supervisingUser cannot be the user itself`, SUPERVISING_USER)
  const supervisor = await directory.member(supervisorId)
  if (supervisor === undefined) throw invalidValue(`${HEALTHCARE_URN}:supervisingUser "${supervisorId}" is not a User of this tenant`, SUPERVISING_USER)
  if (!supervisor.active) throw invalidValue(`${HEALTHCARE_URN}:supervisingUser must be an active User`, SUPERVISING_USER)
  if (supervisor.agbCode === undefined || supervisor.bigNumber === undefined) {
    throw invalidValue(`${HEALTHCARE_URN}:supervisingUser must have an AGB code and a BIG number`, SUPERVISING_USER)
  }
  // Walk up the chain: reaching the user again would make a cycle.
  let next = supervisor.supervisorId
  for (let depth = 0; next !== undefined && depth < 32; depth++) {
    if (next === selfId) throw invalidValue(`${HEALTHCARE_URN}:supervisingUser would make a cycle of supervisors`, SUPERVISING_USER)
    next = (await directory.member(next))?.supervisorId
  }
}

/** Every rule of the extension on a whole User, for SCIM and the admin API alike; returns the warnings. */
export async function checkHealthcareRules (resource: Record<string, unknown>, selfId: string | undefined, directory: MemberDirectory, policy: SupervisionPolicy): Promise<string[]> {
  const warnings = checkProfessionalIdentifiers(resource)
  await checkSupervision(resource, selfId, directory, policy)
  return warnings
}

export type SupervisorRemovalPolicy = 'refuse' | 'flag'

/** Deleting or deactivating a supervisor: refused while they supervise anyone, or allowed and flagged on the supervisees. */
export function checkSupervisorRemoval (supervisees: number, policy: SupervisorRemovalPolicy): void {
  if (supervisees > 0 && policy === 'refuse') {
    throw conflict(`This user supervises ${supervisees} user(s); assign them another supervising user first (tenant setting healthcare.supervisorRemoval = refuse)`)
  }
}
