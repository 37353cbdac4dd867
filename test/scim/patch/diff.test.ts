import { deepStrictEqual } from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import { applyPatch, diffToPatch } from '../../../src/scim/patch/index.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'

const registry = SchemaRegistry.fromDirectory()
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
type Json = Record<string, unknown>

t.test('diffToPatch', async t => {
  const from = {
    schemas: [CORE, ENTERPRISE],
    id: 'u1',
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z' },
    userName: 'bjensen',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    title: 'Tour Guide',
    [ENTERPRISE]: { employeeNumber: '1', department: 'Tours' }
  }

  t.test('equal representations need no operations', async t => {
    t.strictSame(diffToPatch(registry, 'User', from, structuredClone(from)), [])
  })

  t.test('one operation per changed attribute, sub-attribute removes for complex values', async t => {
    const to = { ...from, name: { familyName: 'Jensen-Smith' }, title: undefined, active: false, [ENTERPRISE]: { employeeNumber: '1' } }
    t.strictSame(diffToPatch(registry, 'User', from, to), [
      { op: 'remove', path: { attribute: 'name', subAttribute: 'givenName' } },
      { op: 'replace', path: { attribute: 'name' }, value: { familyName: 'Jensen-Smith' } },
      { op: 'remove', path: { attribute: 'title' } },
      { op: 'replace', path: { attribute: 'active' }, value: false },
      { op: 'remove', path: { uri: ENTERPRISE, attribute: 'department' } }
    ])
  })

  t.test('read-only attributes are the server\'s and are left out', async t => {
    const to = { ...from, id: 'other', meta: { resourceType: 'User' }, groups: [{ value: 'g1' }] }
    t.strictSame(diffToPatch(registry, 'User', from, to), [])
  })

  t.test('attribute names match case-insensitively', async t => {
    t.strictSame(diffToPatch(registry, 'User', { userName: 'a' }, { USERNAME: 'a' }), [])
  })

  t.test('an unknown attribute is refused', async t => {
    t.throws(() => diffToPatch(registry, 'User', from, { ...from, shoeSize: 42 }), { status: 400, scimType: 'invalidValue', message: /Unknown attribute "shoeSize"/ })
  })
})

// Valid User representations from a small vocabulary (RFC 7643 §4.1, §4.3).
const text = fc.oneof(fc.constantFrom('Barbara', 'Jensen', 'Kasia', 'Wiśniewska', 'Ann', ''), fc.string({ maxLength: 6 }))
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })
const defined = (object: Json): Json => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined))
const nonEmpty = (object: Json) => Object.keys(object).length > 0

const name = fc.record({ givenName: optional(text), familyName: optional(text) }).map(defined).filter(nonEmpty)
const email = fc.record({
  value: fc.constantFrom('bjensen@example.com', 'babs@jensen.org', 'k.w@szpital.pl'),
  type: optional(fc.constantFrom('work', 'home', 'other')),
  primary: optional(fc.boolean())
}).map(defined)
// RFC 7643 §2.4: "primary" true at most once.
const emails = fc.array(email, { minLength: 1, maxLength: 3 })
  .filter(list => list.filter(item => item.primary === true).length <= 1)
const enterprise = fc.record({ employeeNumber: optional(fc.constantFrom('1', '701984', '42')), department: optional(text) }).map(defined).filter(nonEmpty)

const userArbitrary = fc.record({
  userName: fc.constantFrom('bjensen', 'kasia', 'ann'),
  displayName: optional(text),
  name: optional(name),
  emails: optional(emails),
  active: optional(fc.boolean()),
  title: optional(text),
  enterprise: optional(enterprise)
}).map(({ enterprise, ...core }): Json => defined({
  schemas: enterprise === undefined ? [CORE] : [CORE, ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  ...core,
  [ENTERPRISE]: enterprise
}))

t.test('applyPatch(from, diffToPatch(from, to)) is to', async t => {
  fc.assert(fc.property(userArbitrary, userArbitrary, (from, to) => {
    const { resource, changed } = applyPatch(registry, 'User', from, diffToPatch(registry, 'User', from, to))
    deepStrictEqual(resource, to)
    deepStrictEqual(changed, !isDeepStrictEqual(from, to))
  }), { numRuns: 500 })
  t.pass('500 random pairs')
})
