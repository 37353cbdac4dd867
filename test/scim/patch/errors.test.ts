// Each PATCH error: status, scimType and detail (RFC 7644 §3.12), and atomicity (§3.5.2).
import t from 'tap'
import { ScimError } from '../../../src/scim/errors.js'
import { applyPatch, parsePatchRequest } from '../../../src/scim/patch/index.js'
import { SchemaRegistry } from '../../../src/scim/schema/registry.js'

const registry = SchemaRegistry.fromDirectory()
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const patch = (resourceType: string, resource: Record<string, unknown>, ...operations: unknown[]) =>
  applyPatch(registry, resourceType, resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }))

const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'bjensen',
  name: { givenName: 'Barbara' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  groups: [{ value: 'g1', display: 'Tour Guides' }],
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' }
})
const group = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Tour Guides',
  members: [{ value: 'u1', type: 'User' }, { value: 'u2' }]
})

interface Case { name: string, resourceType?: string, resource?: () => Record<string, unknown>, operations: unknown[], scimType: string, detail: RegExp }

const cases: Case[] = [
  // invalidPath: RFC 7644 §3.12 "The "path" attribute was invalid or malformed".
  { name: 'unknown attribute', operations: [{ op: 'replace', path: 'favouriteColour', value: 'blue' }], scimType: 'invalidPath', detail: /Unknown attribute "favouriteColour" for resource type User/ },
  { name: 'unknown sub-attribute', operations: [{ op: 'replace', path: 'name.nickname', value: 'Babs' }], scimType: 'invalidPath', detail: /Unknown attribute "name\.nickname"/ },
  { name: 'unknown extension attribute', operations: [{ op: 'add', path: `${ENTERPRISE}:shoeSize`, value: '42' }], scimType: 'invalidPath', detail: /Unknown attribute/ },
  { name: 'unknown attribute in a no-path value', operations: [{ op: 'add', value: { favouriteColour: 'blue' } }], scimType: 'invalidPath', detail: /Operations\[0\] \(add \(no path\)\): Unknown attribute "favouriteColour"/ },
  // A filter on a single complex attribute selects it when it matches (Entra: `manager[value eq "id"]`).
  { name: 'filter on a single-valued attribute that does not match', operations: [{ op: 'replace', path: 'name[givenName eq "Nobody"].givenName', value: 'Babs' }], scimType: 'noTarget', detail: /No value of "name" matches the filter/ },
  { name: 'filter naming an unknown sub-attribute, unmatched', operations: [{ op: 'add', path: 'emails[kind eq "work"].value', value: 'x@example.com' }], scimType: 'invalidPath', detail: /"emails" has no sub-attribute "kind"/ },

  // noTarget: RFC 7644 §3.5.2.3 (replace) and §3.12 ("a filter that yields no match"), also for remove.
  { name: 'replace with a filter that matches nothing', operations: [{ op: 'replace', path: 'emails[value co "@nowhere"].type', value: 'home' }], scimType: 'noTarget', detail: /No value of "emails" matches the filter \[value co "@nowhere"\]/ },
  { name: 'replace with an eq filter on a complex attribute is created, but ne is not', operations: [{ op: 'replace', path: 'emails[type ne "work"].value', value: 'x@example.com' }], scimType: 'noTarget', detail: /matches the filter \[type ne "work"\]/ },
  { name: 'remove with a filter that matches nothing', operations: [{ op: 'remove', path: 'emails[type eq "home"]' }], scimType: 'noTarget', detail: /No value of "emails" matches the filter \[type eq "home"\]/ },
  { name: 'add to every element of an empty attribute', resource: () => ({ ...user(), emails: [] }), operations: [{ op: 'add', path: 'emails.type', value: 'work' }], scimType: 'noTarget', detail: /No value of "emails" exists/ },

  // mutability: RFC 7644 §3.5.2 — readOnly, immutable with a value, required becoming unassigned.
  { name: 'replace the readOnly id', operations: [{ op: 'replace', path: 'id', value: 'u2' }], scimType: 'mutability', detail: /Attribute "id" is readOnly/ },
  { name: 'remove the readOnly id', operations: [{ op: 'remove', path: 'id' }], scimType: 'mutability', detail: /Attribute "id" is readOnly/ },
  { name: 'replace a readOnly sub-attribute', operations: [{ op: 'replace', path: 'meta.lastModified', value: '2025-01-01T00:00:00Z' }], scimType: 'mutability', detail: /Attribute "meta\.lastModified" is readOnly/ },
  { name: 'add to the readOnly groups', operations: [{ op: 'add', path: 'groups', value: [{ value: 'g2' }] }], scimType: 'mutability', detail: /Attribute "groups" is readOnly/ },
  { name: 'readOnly id in a no-path replace with another value', resourceType: 'Group', resource: group, operations: [{ op: 'replace', value: { id: 'other', displayName: 'x' } }], scimType: 'mutability', detail: /Attribute "id" is readOnly/ },
  { name: 'modify an immutable sub-attribute that has a value', resourceType: 'Group', resource: group, operations: [{ op: 'replace', path: 'members[value eq "u1"].value', value: 'u3' }], scimType: 'mutability', detail: /Attribute "members\.value" is immutable and already has a value/ },
  { name: 'remove an immutable sub-attribute that has a value', resourceType: 'Group', resource: group, operations: [{ op: 'remove', path: 'members[value eq "u1"].type' }], scimType: 'mutability', detail: /"members\.type" is immutable/ },
  { name: 'remove a required attribute', operations: [{ op: 'remove', path: 'userName' }], scimType: 'mutability', detail: /Attribute "userName" is required and cannot be removed/ },
  { name: 'replace a required attribute with null', operations: [{ op: 'replace', path: 'userName', value: null }], scimType: 'mutability', detail: /"userName" is required/ },
  { name: 'remove a required attribute of a group', resourceType: 'Group', resource: group, operations: [{ op: 'remove', path: 'displayName' }], scimType: 'mutability', detail: /"displayName" is required/ },

  // invalidValue: RFC 7644 §3.12 — "not compatible with the operation or attribute type".
  { name: 'string for a string attribute expected', operations: [{ op: 'replace', path: 'userName', value: 42 }], scimType: 'invalidValue', detail: /Attribute "userName" must be a string/ },
  { name: 'boolean spelled wrong', operations: [{ op: 'replace', path: 'active', value: 'yes' }], scimType: 'invalidValue', detail: /Attribute "active" must be a boolean/ },
  { name: 'boolean sub-attribute spelled wrong', operations: [{ op: 'replace', path: 'emails[type eq "work"].primary', value: 1 }], scimType: 'invalidValue', detail: /Attribute "emails\.primary" must be a boolean/ },
  { name: 'extension attribute of the wrong type', operations: [{ op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: 701984 }], scimType: 'invalidValue', detail: /Attribute "urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:employeeNumber" must be a string/ },
  { name: 'binary that is not base64', operations: [{ op: 'add', path: 'x509Certificates', value: [{ value: 'not base64!' }] }], scimType: 'invalidValue', detail: /"x509Certificates\.value" must be a base64 string/ },
  { name: 'array for a complex attribute', operations: [{ op: 'replace', path: 'name', value: ['Barbara'] }], scimType: 'invalidValue', detail: /Attribute "name" must be a complex value/ },
  { name: 'unknown sub-attribute in a value', operations: [{ op: 'add', path: 'emails', value: [{ value: 'x@example.com', kind: 'work' }] }], scimType: 'invalidValue', detail: /Attribute "emails" has no sub-attribute "kind"/ },
  { name: 'null element in a multi-valued value', operations: [{ op: 'add', path: 'emails', value: [null] }], scimType: 'invalidValue', detail: /"emails" cannot hold a null element/ },
  { name: 'two primary values (RFC 7643 §2.4)', operations: [{ op: 'replace', path: 'emails', value: [{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: 'True' }] }], scimType: 'invalidValue', detail: /"emails" can have only one value with "primary" true/ },
  { name: 'extension URN with a non-object value', operations: [{ op: 'add', path: ENTERPRISE, value: 'x' }], scimType: 'invalidValue', detail: /Schema extension "urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User" must be given as an object/ },
  { name: 'member without an id', resourceType: 'Group', resource: group, operations: [{ op: 'add', path: 'members', value: [{ value: 7 }] }], scimType: 'invalidValue', detail: /"members\.value" must be a string/ }
]

t.test('PATCH errors RFC7644 §3.12', async t => {
  for (const { name, resourceType = 'User', resource = user, operations, scimType, detail } of cases) {
    t.test(name, async t => {
      t.throws(() => patch(resourceType, resource(), ...operations), { name: 'ScimError', status: 400, scimType, message: detail })
    })
  }
})

t.test('the detail names the failing operation', async t => {
  t.throws(() => patch('User', user(), { op: 'add', path: 'title', value: 'x' }, { op: 'Replace', path: 'emails[type sw "ho"].display', value: 'y' }, { op: 'add', path: 'nickName', value: 'z' }), {
    message: /^Operations\[1\] \(replace emails\[type sw "ho"\]\.display\): No value of "emails" matches the filter \[type sw "ho"\]$/
  })
})

t.test('operations built in code get the parser\'s answers', async t => {
  t.throws(() => applyPatch(registry, 'User', user(), [{ op: 'remove' }]), { status: 400, scimType: 'noTarget', message: /"remove" requires a "path"/ })
  t.throws(() => applyPatch(registry, 'User', user(), [{ op: 'add', value: 'x' }]), { status: 400, scimType: 'invalidValue', message: /must be an object of attributes/ })
})

t.test('a request is atomic RFC7644 §3.5.2', async t => {
  const original = user()
  const snapshot = structuredClone(original)
  t.throws(() => patch('User', original,
    { op: 'replace', path: 'userName', value: 'babs' },
    { op: 'add', path: 'emails', value: [{ value: 'b@example.com', type: 'home' }] },
    { op: 'remove', path: 'userName' }
  ), { scimType: 'mutability', message: /Operations\[2\] \(remove userName\): Attribute "userName" is required/ })
  t.strictSame(original, snapshot, 'the input is never modified')
})

t.test('a stored value of the wrong shape is a server fault, not the client\'s', async t => {
  const broken = { ...user(), emails: 'bjensen@example.com' }
  t.throws(() => patch('User', broken, { op: 'remove', path: 'emails[type eq "work"]' }), { message: /Stored multi-valued complex attribute is not a list of objects/ })
  try {
    patch('User', broken, { op: 'remove', path: 'emails[type eq "work"]' })
  } catch (error) {
    t.notOk(error instanceof ScimError, 'a plain Error, rendered as 500')
  }
})
