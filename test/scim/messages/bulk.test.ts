// The BulkRequest protocol core: parsing, bulkId references, ordering, results (RFC 7644 §3.7).
import t from 'tap'
import { ScimError } from '../../../src/scim/errors.js'
import {
  bulkResponse, failed, parseBulkRequest, planBulk, resolveReferences, succeeded, unresolvedReference, withoutReferences,
  type BulkOperation, type BulkRequest, type BulkStep, type RejectedOperation
} from '../../../src/scim/messages/bulk.js'

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const limits = { maxOperations: 10 }
const parse = (operations: unknown[], extra: Record<string, unknown> = {}) =>
  parseBulkRequest({ schemas: [BULK_REQUEST], Operations: operations, ...extra }, limits)
const rejection = (operation: unknown) => parse([operation]).operations[0] as RejectedOperation
const indexes = (steps: BulkStep[]) => steps.map(step => step.kind === 'operation' ? step.operation.index : step.operations.map(op => op.index))

// RFC 7644 §3.7.2, the request that creates Alice and the Tour Guides with Alice as a member.
const rfcExample = [
  { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER], userName: 'Alice' } },
  { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] } }
]

t.test('parsing a BulkRequest RFC7644 §3.7', async t => {
  t.test('the §3.7.2 example', async t => {
    const request = parse(rfcExample)
    t.same(request, {
      operations: [
        { index: 0, method: 'POST', bulkId: 'qwerty', resourceType: 'User', data: rfcExample[0]!.data, references: [] },
        { index: 1, method: 'POST', bulkId: 'ytrewq', resourceType: 'Group', data: rfcExample[1]!.data, references: ['qwerty'] }
      ]
    })
  })

  t.test('PUT, PATCH and DELETE name a resource; version becomes the If-Match; methods are case-insensitive', async t => {
    const { operations, failOnErrors } = parse([
      { method: 'put', path: '/Users/b7c14771', version: 'W/"1.1"', data: { schemas: [USER], userName: 'Bob' } },
      { method: 'Patch', path: '/Groups/bulkId:g/', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] } },
      { method: 'DELETE', path: '/Users/e9025315', data: { ignored: 'bulkId:x' } }
    ], { failOnErrors: 1 })
    t.equal(failOnErrors, 1)
    t.same(operations, [
      { index: 0, method: 'PUT', resourceType: 'User', id: 'b7c14771', version: 'W/"1.1"', data: { schemas: [USER], userName: 'Bob' }, references: [] },
      { index: 1, method: 'PATCH', resourceType: 'Group', id: 'bulkId:g', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] }, references: ['g'] },
      { index: 2, method: 'DELETE', resourceType: 'User', id: 'e9025315', references: [] }
    ], 'a DELETE has no data, hence no references in it')
  })

  t.test('attribute names are case-insensitive (RFC 7643 §2.1): "operations" as some clients send it', async t => {
    const request = parseBulkRequest({ Schemas: [BULK_REQUEST], operations: [{ Method: 'DELETE', Path: '/Groups/1' }], FailOnErrors: 2 }, limits)
    t.same(request, { failOnErrors: 2, operations: [{ index: 0, method: 'DELETE', resourceType: 'Group', id: '1', references: [] }] })
  })

  t.test('references at any depth, in path and data, each once', async t => {
    const [op] = parse([{
      method: 'PUT',
      path: '/Users/bulkId:alice',
      data: { schemas: [USER, ENTERPRISE], userName: 'Alice', [ENTERPRISE]: { manager: { value: 'bulkId:bob' } }, emails: [{ value: 'bulkId:alice' }], nickName: 'bulkId:' }
    }]).operations as BulkOperation[]
    t.same(op!.references, ['alice', 'bob'], '"bulkId:" alone references nothing')
  })

  t.test('an empty Operations array is a request with nothing to do', async t => {
    t.same(parse([]), { operations: [] })
  })
})

t.test('malformed BulkRequests are refused whole: 400 invalidSyntax', async t => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', [], /The body must be a BulkRequest object/],
    ['no body', undefined, /The body must be a BulkRequest object/],
    ['without the BulkRequest schema', { schemas: [USER], Operations: [] }, /must list the schema urn:ietf:params:scim:api:messages:2\.0:BulkRequest/],
    ['without Operations', { schemas: [BULK_REQUEST] }, /needs an Operations array/],
    ['Operations not an array', { schemas: [BULK_REQUEST], Operations: { method: 'POST' } }, /needs an Operations array/],
    ['failOnErrors 0', { schemas: [BULK_REQUEST], Operations: [], failOnErrors: 0 }, /failOnErrors must be an integer of at least 1/],
    ['failOnErrors 1.5', { schemas: [BULK_REQUEST], Operations: [], failOnErrors: 1.5 }, /failOnErrors must be an integer of at least 1/],
    ['failOnErrors "1"', { schemas: [BULK_REQUEST], Operations: [], failOnErrors: '1' }, /failOnErrors must be an integer of at least 1/],
    ['a bulkId twice', { schemas: [BULK_REQUEST], Operations: [rfcExample[0], { ...rfcExample[1], bulkId: 'qwerty' }] }, /bulkId "qwerty" is used by more than one operation/]
  ]
  for (const [name, body, detail] of cases) {
    t.throws(() => parseBulkRequest(body, limits), { name: 'ScimError', status: 400, scimType: 'invalidSyntax', message: detail }, name)
  }
})

t.test('maxOperations RFC7644 §3.7.4: 413 naming the limit', async t => {
  const operations = Array.from({ length: 11 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }))
  t.throws(() => parse(operations), { name: 'ScimError', status: 413, scimType: undefined, message: 'The number of operations (11) exceeds the maxOperations (10).' })
  t.equal(parse(operations.slice(1)).operations.length, 10, 'exactly maxOperations is fine')
})

t.test('an operation that cannot run is rejected alone, with the status a single request would get', async t => {
  const cases: Array<[string, unknown, Partial<RejectedOperation>, number, string | undefined, RegExp]> = [
    ['not an object', 'DELETE /Users/1', {}, 400, 'invalidSyntax', /Operations\[0\] must be an object/],
    ['no method', { path: '/Users' }, {}, 400, 'invalidSyntax', /method must be one of POST, PUT, PATCH or DELETE/],
    ['GET is not a bulk method', { method: 'get', path: '/Users/1' }, { method: 'get' }, 400, 'invalidSyntax', /method must be one of/],
    ['POST without bulkId (§3.7: REQUIRED when method is POST)', { method: 'post', path: '/Users', data: {} }, { method: 'POST' }, 400, 'invalidSyntax', /bulkId is required when method is POST/],
    ['an empty bulkId', { method: 'POST', path: '/Users', bulkId: '', data: {} }, { method: 'POST' }, 400, 'invalidSyntax', /bulkId must be a non-empty string/],
    ['a numeric bulkId', { method: 'POST', path: '/Users', bulkId: 7, data: {} }, { method: 'POST' }, 400, 'invalidSyntax', /bulkId must be a non-empty string/],
    ['a version that is no string', { method: 'DELETE', path: '/Users/1', version: 3 }, { method: 'DELETE' }, 400, 'invalidSyntax', /version must be a string/],
    ['no path', { method: 'DELETE' }, { method: 'DELETE' }, 400, 'invalidSyntax', /path is required/],
    ['an endpoint we do not serve', { method: 'POST', bulkId: 'x', path: '/Devices', data: {} }, { method: 'POST', bulkId: 'x' }, 404, undefined, /No bulk endpoint at \/Devices/],
    ['no prototype lookups', { method: 'DELETE', path: '/constructor/1' }, { method: 'DELETE' }, 404, undefined, /No bulk endpoint at \/constructor\/1/],
    ['a path below a resource', { method: 'DELETE', path: '/Users/1/manager' }, { method: 'DELETE' }, 404, undefined, /No bulk endpoint at \/Users\/1\/manager/],
    ['a POST to a resource', { method: 'POST', bulkId: 'x', path: '/Users/1', data: {} }, { method: 'POST', bulkId: 'x' }, 400, 'invalidSyntax', /A POST path names a resource type endpoint \(\/Users\)/],
    ['a PUT to an endpoint', { method: 'PUT', path: '/Groups', data: {} }, { method: 'PUT' }, 400, 'invalidSyntax', /A PUT path names a resource, e\.g\. \/Groups\/\{id\}/],
    ['a PATCH without data', { method: 'PATCH', path: '/Groups/1' }, { method: 'PATCH' }, 400, 'invalidSyntax', /data is required when method is PATCH/]
  ]
  for (const [name, operation, echo, status, scimType, detail] of cases) {
    const rejected = rejection(operation)
    t.match(rejected, { index: 0, ...echo }, `${name}: method and bulkId echoed`)
    t.match(rejected.error, { name: 'ScimError', status, scimType, message: detail }, name)
  }
})

t.test('resolving bulkId references RFC7644 §3.7.2', async t => {
  const ids = new Map([['qwerty', '92b725cd'], ['boss', '11250']])
  const data = {
    schemas: [USER, ENTERPRISE],
    userName: 'Bob',
    [ENTERPRISE]: { manager: { value: 'bulkId:boss' } },
    emails: [{ value: 'bulkId:qwerty' }, 'bulkId:qwerty', 'bulkId:unknown'],
    displayName: 'see bulkId:qwerty',
    active: true,
    count: 3,
    nothing: null
  }
  t.same(resolveReferences(data, ids), {
    schemas: [USER, ENTERPRISE],
    userName: 'Bob',
    [ENTERPRISE]: { manager: { value: '11250' } },
    emails: [{ value: '92b725cd' }, '92b725cd', 'bulkId:unknown'],
    displayName: 'see bulkId:qwerty',
    active: true,
    count: 3,
    nothing: null
  }, 'whole values only; unknown ones stay for the caller to refuse')
  t.equal(data.emails[1], 'bulkId:qwerty', 'the request is not modified')
  t.equal(resolveReferences('bulkId:qwerty', ids), '92b725cd', 'a path id')
})

t.test('the data of a cycle member without its references to the cycle RFC7644 §3.7.1', async t => {
  const pending = new Set(['a', 'b'])
  t.same(withoutReferences({
    schemas: [GROUP],
    displayName: 'Group A',
    members: [{ type: 'Group', value: 'bulkId:b' }, { type: 'User', value: 'bulkId:done' }, { value: 'u1' }]
  }, pending), {
    schemas: [GROUP],
    displayName: 'Group A',
    members: [{ type: 'User', value: 'bulkId:done' }, { value: 'u1' }]
  }, 'a member goes with its reference; references outside the cycle stay')
  t.same(withoutReferences({
    schemas: [USER, ENTERPRISE],
    userName: 'Alice',
    nickName: 'bulkId:a',
    [ENTERPRISE]: { employeeNumber: '1', manager: { value: 'bulkId:b', displayName: 'Bob' } },
    emails: ['bulkId:a', 'x']
  }, pending), {
    schemas: [USER, ENTERPRISE],
    userName: 'Alice',
    [ENTERPRISE]: { employeeNumber: '1' },
    emails: ['x']
  }, 'a manager goes whole; an attribute of the resource itself goes alone')
})

t.test('ordering: a POST runs before the operations that reference it RFC7644 §3.7', async t => {
  const plan = (operations: unknown[]) => planBulk(parse(operations))

  t.same(indexes(plan(rfcExample)), [0, 1], 'already in order: request order')
  t.same(indexes(plan([rfcExample[1], rfcExample[0]])), [1, 0], 'the group referencing the user waits for it')
  t.same(indexes(plan([
    { method: 'DELETE', path: '/Users/1' },
    { method: 'PATCH', path: '/Groups/bulkId:g', data: {} },
    { method: 'DELETE', path: '/Users/2' },
    { method: 'POST', path: '/Groups', bulkId: 'g', data: { members: [{ value: 'bulkId:u' }] } },
    { method: 'POST', path: '/Users', bulkId: 'u', data: {} }
  ])), [0, 4, 3, 1, 2], 'only what is needed moves; the rest keeps request order')
  t.same(indexes(plan([
    { method: 'PATCH', path: '/Groups/bulkId:missing', data: {} },
    { method: 'POST', path: '/Users', data: {} },
    { method: 'PUT', path: '/Users/bulkId:rejected', data: {} },
    { method: 'POST', path: '/Users', bulkId: 'rejected' }
  ])), [0, 1, 3, 2], 'unknown bulkIds add no order; a rejected POST still runs (fails) first')
})

t.test('circular references form one step RFC7644 §3.7.1', async t => {
  const cyclic = [
    { method: 'POST', path: '/Groups', bulkId: 'qwerty', data: { schemas: [GROUP], displayName: 'Group A', members: [{ type: 'Group', value: 'bulkId:ytrewq' }] } },
    { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Group B', members: [{ type: 'Group', value: 'bulkId:qwerty' }] } }
  ]
  t.same(indexes(planBulk(parse(cyclic))), [[0, 1]], 'the §3.7.1 example')
  t.same(indexes(planBulk(parse([
    { method: 'PATCH', path: '/Users/bulkId:c', data: {} },
    { method: 'POST', path: '/Users', bulkId: 'a', data: { manager: 'bulkId:b' } },
    { method: 'POST', path: '/Users', bulkId: 'self', data: { manager: 'bulkId:self' } },
    { method: 'POST', path: '/Users', bulkId: 'b', data: { manager: 'bulkId:c' } },
    { method: 'POST', path: '/Users', bulkId: 'c', data: { manager: 'bulkId:a' } }
  ]))), [[1, 3, 4], 0, [2]], 'a cycle of three, in request order, before what needs it; a POST referencing itself')
  t.test('a long chain does not overflow the stack', async t => {
    const chain = Array.from({ length: 1000 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: { manager: i === 999 ? 'x' : `bulkId:u${i + 1}` } }))
    const steps = planBulk(parseBulkRequest({ schemas: [BULK_REQUEST], Operations: chain }, { maxOperations: 1000 }))
    t.same(indexes(steps), Array.from({ length: 1000 }, (_, i) => 999 - i))
  })
})

t.test('results and the BulkResponse RFC7644 §3.7.3', async t => {
  const request: BulkRequest = parse([rfcExample[0], { method: 'DELETE', path: '/Users/1' }, { method: 'POST', path: '/Users', data: {} }])
  const [post, del, rejected] = request.operations as [BulkOperation, BulkOperation, RejectedOperation]
  const created = succeeded(post, { id: '92b725cd', location: 'https://example.com/v2/Users/92b725cd', version: 'W/"1.1"', status: 201 })
  t.same(created, { method: 'POST', bulkId: 'qwerty', version: 'W/"1.1"', location: 'https://example.com/v2/Users/92b725cd', status: '201' }, 'status as a string, no response body')
  t.same(succeeded(del, { id: '1', location: 'https://example.com/v2/Users/1', status: 204 }), { method: 'DELETE', location: 'https://example.com/v2/Users/1', status: '204' })
  t.same(failed(del, new ScimError(404, 'User 1 not found'), 'https://example.com/v2/Users/1'), {
    method: 'DELETE',
    location: 'https://example.com/v2/Users/1',
    status: '404',
    response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'User 1 not found' }
  }, 'a failure carries the SCIM error')
  t.same(failed(rejected, rejected.error), {
    method: 'POST',
    status: '400',
    response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidSyntax', detail: 'bulkId is required when method is POST' }
  }, 'a failed POST has no location')
  t.same(failed(del, new ScimError(500, 'connection refused at 10.0.0.3')).response, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'Internal server error'
  }, 'a 5xx says nothing of its cause')
  t.same(bulkResponse([created]), { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'], Operations: [created] })
  t.match(unresolvedReference('qwerty', true), { status: 409, message: 'bulkId:qwerty cannot be resolved: the operation that creates it failed' })
  t.match(unresolvedReference('nope', false), { status: 409, message: 'bulkId:nope cannot be resolved: no POST operation of this request has that bulkId' })
})
