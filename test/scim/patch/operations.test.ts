import t from 'tap'
import { parsePatchRequest } from '../../../src/scim/patch/index.js'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations })

t.test('PatchOp message RFC7644 §3.5.2', async t => {
  t.test('parses ops, paths and values in order', async t => {
    const operations = parsePatchRequest(body(
      { op: 'add', path: 'emails', value: [{ value: 'a@example.com' }] },
      { op: 'remove', path: 'members[value eq "2819c223"]' },
      { op: 'replace', value: { active: false } }
    ))
    t.strictSame(operations.map(operation => operation.op), ['add', 'remove', 'replace'])
    t.strictSame(operations[0]?.path, { attribute: 'emails' })
    t.equal(operations[1]?.path?.filter?.kind, 'compare')
    t.equal(operations[1]?.value, undefined)
    t.equal(operations[2]?.path, undefined)
  })

  t.test('op is case-insensitive (Microsoft Entra ID sends "Add", "Replace", "Remove")', async t => {
    const operations = parsePatchRequest(body(
      { op: 'Add', path: 'title', value: 'x' },
      { op: 'Replace', path: 'title', value: 'y' },
      { op: 'REMOVE', path: 'title' }
    ))
    t.strictSame(operations.map(operation => operation.op), ['add', 'replace', 'remove'])
  })

  t.test('message attribute names are case-insensitive (RFC 7643 §2.1)', async t => {
    const operations = parsePatchRequest({ Schemas: [PATCH_OP], operations: [{ Op: 'add', Path: 'title', Value: 'x' }] })
    t.strictSame(operations, [{ op: 'add', path: { attribute: 'title' }, value: 'x' }])
  })

  t.test('null path is no path', async t => {
    t.strictSame(parsePatchRequest(body({ op: 'replace', path: null, value: { title: 'x' } })), [{ op: 'replace', value: { title: 'x' } }])
  })
})

t.test('malformed messages', async t => {
  const cases: Array<[string, unknown, { status: number, scimType: string, message: RegExp }]> = [
    ['body not an object', [], { status: 400, scimType: 'invalidSyntax', message: /must be a JSON object/ }],
    ['schemas missing', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, { status: 400, scimType: 'invalidSyntax', message: /"schemas" must contain "urn:ietf:params:scim:api:messages:2.0:PatchOp"/ }],
    ['wrong schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, { status: 400, scimType: 'invalidSyntax', message: /"schemas" must contain/ }],
    ['Operations missing', { schemas: [PATCH_OP] }, { status: 400, scimType: 'invalidSyntax', message: /"Operations" must be a non-empty array/ }],
    ['Operations empty', body(), { status: 400, scimType: 'invalidSyntax', message: /"Operations" must be a non-empty array/ }],
    ['operation not an object', body('add'), { status: 400, scimType: 'invalidSyntax', message: /Operations\[0\] must be a JSON object/ }],
    ['op missing', body({ path: 'title', value: 'x' }), { status: 400, scimType: 'invalidSyntax', message: /Operations\[0\]\.op must be one of "add", "remove", "replace"/ }],
    ['op from JSON Patch', body({ op: 'add', path: 'title', value: 'x' }, { op: 'move', path: 'title' }), { status: 400, scimType: 'invalidSyntax', message: /Operations\[1\]\.op must be one of/ }],
    ['path not a string', body({ op: 'add', path: 7, value: 'x' }), { status: 400, scimType: 'invalidSyntax', message: /Operations\[0\]\.path must be a string/ }],
    ['path malformed', body({ op: 'add', path: 'emails[type eq "work"', value: 'x' }), { status: 400, scimType: 'invalidPath', message: /Expected/ }],
    ['path empty', body({ op: 'add', path: '', value: 'x' }), { status: 400, scimType: 'invalidPath', message: /Path is empty/ }],
    // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with … noTarget".
    ['remove without path', body({ op: 'remove' }), { status: 400, scimType: 'noTarget', message: /"remove" requires a "path"/ }],
    ['add without value', body({ op: 'add', path: 'title' }), { status: 400, scimType: 'invalidValue', message: /"add" requires a "value"/ }],
    ['replace without value', body({ op: 'replace', path: 'title' }), { status: 400, scimType: 'invalidValue', message: /"replace" requires a "value"/ }],
    ['no-path add with a string', body({ op: 'add', value: 'x' }), { status: 400, scimType: 'invalidValue', message: /without "path", "value" must be an object of attributes/ }],
    ['no-path replace with an array', body({ op: 'replace', value: [{ active: false }] }), { status: 400, scimType: 'invalidValue', message: /must be an object of attributes/ }]
  ]
  for (const [name, input, wanted] of cases) {
    t.test(name, async t => { t.throws(() => parsePatchRequest(input), wanted) })
  }
})
