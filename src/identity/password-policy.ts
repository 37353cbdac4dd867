/**
 * A sane password policy (NIST SP 800-63B §5.1.1.2): length over composition rules; no email-derived
 * or trivially repeated passwords; long passphrases welcome.
 * @see https://pages.nist.gov/800-63-3/sp800-63b.html#memsecret
 */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256
/**
 * Consecutive wrong passwords after which sign-in pauses, a minute at first and doubling up to an hour
 * (NIST SP 800-63B §5.2.2: at most 100 failed attempts). The answer stays the same, so nobody learns
 * whether an account exists or is paused.
 */
export const LOCKOUT_THRESHOLD = 10

const COMMON = new Set(['password1234', '123456789012', 'qwertyuiopas', 'welkom123456', 'passwort1234', 'adgangskode1', 'salasana1234'])

/** Why the password is refused, or undefined when it is acceptable. */
export function passwordProblem (password: string, email: string | undefined): string | undefined {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return `The password must have at least ${PASSWORD_MIN_LENGTH} characters`
  if (length > PASSWORD_MAX_LENGTH) return `The password must have at most ${PASSWORD_MAX_LENGTH} characters`
  if (new Set(password).size < 4) return 'The password repeats too few different characters'
  const lower = password.toLowerCase()
  if (COMMON.has(lower)) return 'The password is too common'
  const local = email?.split('@')[0]?.toLowerCase()
  if (local !== undefined && local.length >= 4 && lower.includes(local)) return 'The password must not contain your email address'
  return undefined
}
