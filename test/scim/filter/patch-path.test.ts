import t from 'tap'
import { formatPatchPath, parsePatchPath, type PatchPath } from '../../../src/scim/filter/index.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

t.test('RFC 7644 §3.5.2 path examples (Figure 8) and other valid paths', async t => {
  const examples: Array<[string, PatchPath]> = [
    ['members', { attribute: 'members' }],
    ['name.familyName', { attribute: 'name', subAttribute: 'familyName' }],
    ['addresses[type eq "work"]', { attribute: 'addresses', filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' } }],
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      { attribute: 'members', filter: { kind: 'compare', path: { attribute: 'value' }, op: 'eq', value: '2819c223-7f76-453a-919d-413861904646' } }],
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',
      { attribute: 'members', filter: { kind: 'compare', path: { attribute: 'value' }, op: 'eq', value: '2819c223-7f76-453a-919d-413861904646' }, subAttribute: 'displayName' }],
    ['emails[type eq "work" and value ew "example.com"]', {
      attribute: 'emails',
      filter: { kind: 'and', filters: [{ kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' }, { kind: 'compare', path: { attribute: 'value' }, op: 'ew', value: 'example.com' }] }
    }],
    ['emails[type eq "work"].value', { attribute: 'emails', filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' }, subAttribute: 'value' }],
    ['addresses[type eq "work"].streetAddress',
      { attribute: 'addresses', filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' }, subAttribute: 'streetAddress' }],
    [`${ENTERPRISE}:manager`, { uri: ENTERPRISE, attribute: 'manager' }],
    [`${ENTERPRISE}:manager.value`, { uri: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }],
    [`${ENTERPRISE}`, { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attribute: 'User' }],
    ['members[$ref pr]', { attribute: 'members', filter: { kind: 'present', path: { attribute: '$ref' } } }],
    ['emails[TYPE EQ "work"]', { attribute: 'emails', filter: { kind: 'compare', path: { attribute: 'TYPE' }, op: 'eq', value: 'work' } }]
  ]
  for (const [text, path] of examples) {
    t.same(parsePatchPath(text), path, text)
  }
  t.equal(formatPatchPath(parsePatchPath('addresses[type eq "work"].streetAddress')), 'addresses[type eq "work"].streetAddress')
  t.equal(formatPatchPath(parsePatchPath(`${ENTERPRISE}:manager.value`)), `${ENTERPRISE}:manager.value`)
})

t.test('malformed paths are invalidPath with a detail', async t => {
  const cases: Array<[string, string]> = [
    ['', 'Path is empty'],
    ['  ', 'Path is empty'],
    ['name.familyName x', 'Expected end of path at character offset 16, found "x"'],
    ['emails[type eq "work"] x', 'Expected "." followed by a sub-attribute name, or end of path at character offset 23, found "x"'],
    ['emails[type eq "work"].value.x', 'Expected a sub-attribute name of "emails" at character offset 23, found "value.x"'],
    ['emails[type eq "work"].', 'Expected an attribute path at character offset 23, found end of input'],
    ['emails[type eq "work"].value eq "x"', 'Expected "." followed by a sub-attribute name, or end of path at character offset 29, found "eq"'],
    ['emails[type eq]', 'Expected a comparison value (JSON string, number, true, false or null) at character offset 14, found "]"'],
    ['emails[type eq "work"', 'Expected "]" at character offset 21, found end of input'],
    ['emails[]', 'Expected an attribute path, "(" or "not (" at character offset 7, found "]"'],
    ['emails[value[x pr]]', 'Nested valuePath "value[" inside "emails[...]" at character offset 7 is not allowed'],
    ['name.givenName[value pr]', 'A valuePath applies to a multi-valued attribute, not to the sub-attribute "name.givenName" at character offset 0'],
    ['a.b.c', 'Invalid attribute path "a.b.c" at character offset 0: at most one sub-attribute is allowed'],
    ['[type eq "work"]', 'Expected an attribute path at character offset 0, found "["'],
    ['userName eq "x"', 'Expected end of path at character offset 9, found "eq"'],
    ['emails[type eq "a\\x"]', 'Invalid escape "\\x" in string at character offset 17'],
    ['"members"', 'Expected an attribute path at character offset 0, found string "members"']
  ]
  for (const [text, message] of cases) {
    t.throws(() => parsePatchPath(text), { name: 'ScimError', status: 400, scimType: 'invalidPath', message }, text)
  }
  t.throws(() => parsePatchPath(`members[value eq "${'x'.repeat(5000)}"]`),
    { scimType: 'invalidPath', message: 'Path is 5020 characters long; the maximum is 4096' })
})
