import { invalid } from './errors.js'

/** Something@somewhere.tld without spaces: enough to catch typos; the activation link proves the rest. */
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function isEmailAddress (value: string): boolean {
  return EMAIL_ADDRESS.test(value) && value.length <= 254
}

/** The trimmed address, or a 400 saying it is not one. */
export function validEmail (value: unknown): string {
  const address = typeof value === 'string' ? value.trim() : ''
  if (!isEmailAddress(address)) throw invalid(`"${String(value)}" is not a valid email address`, 'email')
  return address
}
