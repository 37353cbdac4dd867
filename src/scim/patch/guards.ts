/**
 * Mutability and "required" rules for one write, checked where the write happens.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.2 (mutability, required)
 */
import { mutability } from '../errors.js'
import type { AttributeDefinition } from '../schema/types.js'
import { deepEqual, isUnassigned } from './json.js'

/**
 * Returns 'same' when `next` leaves the value as it is: writing the current value again is not a
 * modification, so even read-only attributes pass (Okta echoes the group's `id` in its no-path
 * `replace`). Otherwise throws 400 mutability when:
 * - the attribute is readOnly ("a client MUST NOT modify an attribute that has mutability readOnly");
 * - it is immutable and already has a value (a client MAY only "add" one when it had none);
 * - it is required and would become unassigned ("If an attribute is removed or becomes unassigned
 *   and is defined as a required attribute or a read-only attribute … scimType mutability").
 */
export function guardWrite (attribute: AttributeDefinition, current: unknown, next: unknown, label: string): 'same' | 'changed' {
  if (isUnassigned(current) ? isUnassigned(next) : deepEqual(current, next)) return 'same'
  if (attribute.mutability === 'readOnly') {
    throw mutability(`Attribute "${label}" is readOnly`)
  }
  if (attribute.mutability === 'immutable' && !isUnassigned(current)) {
    throw mutability(`Attribute "${label}" is immutable and already has a value`)
  }
  if (attribute.required && isUnassigned(next)) {
    throw mutability(`Attribute "${label}" is required and cannot be removed`)
  }
  return 'changed'
}
