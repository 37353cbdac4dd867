/** Who made a change and from where: every audit row carries it (NEN 7513-style logging). */
export type ChangeSource = 'scim' | 'admin' | 'self-service' | 'enrolment' | 'cli' | 'system'

export interface Actor {
  type: 'scim-token' | 'account' | 'cli' | 'system'
  /** The SCIM token's id, the acting membership's id, … */
  id?: string
  /** A human-readable name for notifications ("Anna de Vries"). */
  label?: string
}

export interface ChangeContext {
  source: ChangeSource
  actor: Actor
  requestId?: string
  clientIp?: string
}

export const CLI_CONTEXT: ChangeContext = { source: 'cli', actor: { type: 'cli', label: 'carescim CLI' } }
