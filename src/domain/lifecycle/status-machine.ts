import { conflict } from '../errors.js'
import type { MembershipStatus } from '../scim/user-store.js'

/**
 * A membership's status (design.md): `created` (activation mail sent) → `active` (password set) →
 * `inactive` (deactivated) → reactivated back to `created`, with a new activation mail.
 */
export type StatusTransition = 'activate' | 'deactivate' | 'reactivate'

const NEXT: Record<StatusTransition, Partial<Record<MembershipStatus, MembershipStatus>>> = {
  activate: { created: 'active' },
  deactivate: { created: 'inactive', active: 'inactive' },
  reactivate: { inactive: 'created' }
}

const REFUSAL: Record<StatusTransition, string> = {
  activate: 'only an account waiting for activation can be activated',
  deactivate: 'the account is already inactive',
  reactivate: 'only an inactive account can be reactivated'
}

export function transition (status: MembershipStatus, change: StatusTransition): MembershipStatus {
  const next = NEXT[change][status]
  if (next === undefined) throw conflict(`Cannot ${change} an account that is ${status}: ${REFUSAL[change]}`)
  return next
}

/** Which transition (if any) took a membership from one status to another. */
export function transitionBetween (from: MembershipStatus | undefined, to: MembershipStatus): StatusTransition | undefined {
  if (from === to || from === undefined) return undefined
  if (to === 'inactive') return 'deactivate'
  if (from === 'inactive') return 'reactivate'
  return to === 'active' ? 'activate' : undefined
}
