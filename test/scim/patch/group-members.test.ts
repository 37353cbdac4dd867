// splitMemberOperations: every shape clients send for a group's members.
import t from 'tap'
import { netMemberChanges, parsePatchRequest, splitMemberOperations } from '../../../src/scim/patch/index.js'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const split = (...operations: unknown[]) => splitMemberOperations(parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }))
const changes = (...operations: unknown[]) => split(...operations).memberChanges

t.test('add', async t => {
  t.strictSame(changes({ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b', display: 'B', $ref: null }] }), [{ kind: 'add', ids: ['a', 'b'] }], 'RFC 7644 §3.5.2.1')
  t.strictSame(changes({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'a' }] }), [{ kind: 'add', ids: ['a'] }], 'Entra ID, capitalised op')
  t.strictSame(changes({ op: 'add', path: 'members', value: ['a', 'b'] }), [{ kind: 'add', ids: ['a', 'b'] }], 'bare string ids')
  t.strictSame(changes({ op: 'add', path: 'members', value: { value: 'a' } }), [{ kind: 'add', ids: ['a'] }], 'a single member object')
  t.strictSame(changes({ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'a' }] }), [{ kind: 'add', ids: ['a'] }], 'ids once each')
  t.strictSame(changes({ op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members', value: [{ value: 'a' }] }), [{ kind: 'add', ids: ['a'] }], 'URN-qualified path')
  t.strictSame(changes({ op: 'add', path: 'Members', value: [] }), [], 'nothing to add')
})

t.test('remove', async t => {
  t.strictSame(changes({ op: 'remove', path: 'members[value eq "a"]' }), [{ kind: 'remove', ids: ['a'] }], 'RFC 7644 §3.5.2.2 filter')
  t.strictSame(changes({ op: 'remove', path: 'members[value eq "a" or value eq "b" or VALUE EQ "c"]' }), [{ kind: 'remove', ids: ['a', 'b', 'c'] }], 'or-combined')
  t.strictSame(changes({ op: 'Remove', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }), [{ kind: 'remove', ids: ['a', 'b'] }], 'Entra ID value list: only those')
  t.strictSame(changes({ op: 'remove', path: 'members', value: [] }), [], 'an empty list removes nothing, never everything')
  t.strictSame(changes({ op: 'remove', path: 'members' }), [{ kind: 'removeAll' }], 'RFC 7644 §3.5.2.2 all members')
  t.strictSame(changes({ op: 'remove', path: 'members', value: null }), [{ kind: 'removeAll' }], 'null value is no value')
})

t.test('replace', async t => {
  t.strictSame(changes({ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }), [{ kind: 'replaceAll', ids: ['a', 'b'] }], 'RFC 7644 §3.5.2.3')
  t.strictSame(changes({ op: 'replace', path: 'members', value: [] }), [{ kind: 'replaceAll', ids: [] }], 'replace with [] empties the group')
  t.strictSame(changes({ op: 'replace', path: 'members', value: null }), [{ kind: 'replaceAll', ids: [] }])
})

t.test('no-path add and replace', async t => {
  const replaced = split({ op: 'replace', value: { displayName: 'Nurses', members: [{ value: 'a' }] } })
  t.strictSame(replaced.memberChanges, [{ kind: 'replaceAll', ids: ['a'] }])
  t.strictSame(replaced.otherOperations, [{ op: 'replace', value: { displayName: 'Nurses' } }], 'the rest stays an operation')

  const added = split({ op: 'add', value: { members: [{ value: 'a' }] } })
  t.strictSame(added.memberChanges, [{ kind: 'add', ids: ['a'] }])
  t.strictSame(added.otherOperations, [], 'nothing else left')

  const okta = split({ op: 'replace', value: { id: 'g1', displayName: 'Test SCIMv2' } })
  t.strictSame(okta.memberChanges, [])
  t.strictSame(okta.otherOperations, [{ op: 'replace', value: { id: 'g1', displayName: 'Test SCIMv2' } }])
})

t.test('order is kept and other operations pass through', async t => {
  const result = split(
    { op: 'remove', path: 'members' },
    { op: 'replace', path: 'displayName', value: 'Nurses' },
    { op: 'add', path: 'members', value: [{ value: 'a' }] },
    { op: 'remove', path: 'members[value eq "a"]' }
  )
  t.strictSame(result.memberChanges, [{ kind: 'removeAll' }, { kind: 'add', ids: ['a'] }, { kind: 'remove', ids: ['a'] }])
  t.strictSame(result.otherOperations, [{ op: 'replace', path: { attribute: 'displayName' }, value: 'Nurses' }])
})

t.test('unsupported member shapes', async t => {
  // RFC 7644 §3.12 invalidFilter: "the specified attribute and filter comparison combination is not supported".
  t.throws(() => changes({ op: 'remove', path: 'members[type eq "Group"]' }), { status: 400, scimType: 'invalidFilter', message: /A "members" filter must be `value eq "id"`/ })
  t.throws(() => changes({ op: 'remove', path: 'members[value sw "a"]' }), { scimType: 'invalidFilter', message: /must be `value eq "id"`/ })
  t.throws(() => changes({ op: 'remove', path: 'members[value eq "a" and type eq "User"]' }), { scimType: 'invalidFilter', message: /must be `value eq "id"`/ })
  t.throws(() => changes({ op: 'replace', path: 'members[value eq "a"]', value: { value: 'b' } }), { status: 400, scimType: 'invalidPath', message: /supported for "remove" only/ })
  // RFC 7643 §8.7.1: members' value, $ref and type are immutable.
  t.throws(() => changes({ op: 'replace', path: 'members[value eq "a"].value', value: 'b' }), { status: 400, scimType: 'mutability', message: /"members\.value" cannot be modified/ })
  t.throws(() => changes({ op: 'add', path: 'members', value: [{ display: 'no id' }] }), { status: 400, scimType: 'invalidValue', message: /non-empty string "value"/ })
  t.throws(() => changes({ op: 'add', path: 'members', value: [''] }), { scimType: 'invalidValue', message: /non-empty string "value"/ })
  t.throws(() => changes({ op: 'replace', value: { members: [{ value: 42 }] } }), { scimType: 'invalidValue', message: /non-empty string "value"/ })
})

t.test('netMemberChanges: what one statement writes', async t => {
  t.same(netMemberChanges([{ kind: 'add', ids: ['A', 'b'] }, { kind: 'remove', ids: ['a'] }]), { clearOthers: false, present: ['b'], absent: ['a'] }, 'the last operation on an id wins, ids compared case-insensitively')
  t.same(netMemberChanges([{ kind: 'add', ids: ['x'] }, { kind: 'remove', ids: ['x'] }]), { clearOthers: false, present: [], absent: ['x'] }, 'add then remove: absent')
  t.same(netMemberChanges([{ kind: 'add', ids: ['a'] }, { kind: 'replaceAll', ids: ['b'] }, { kind: 'add', ids: ['c'] }]), { clearOthers: true, present: ['b', 'c'], absent: [] }, 'replaceAll discards what came before')
  t.same(netMemberChanges([{ kind: 'removeAll' }, { kind: 'remove', ids: ['d'] }]), { clearOthers: true, present: [], absent: [] })
})
