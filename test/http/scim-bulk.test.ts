// POST /Bulk end to end: every operation through the SCIM services on a real database (RFC 7644 §3.7).
import t, { type Test as Tap } from 'tap'
import { startTestApp } from '../helpers/app.js'

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const VERSION = /^W\/".+"$/
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'

interface Result { method?: string, bulkId?: string, version?: string, location?: string, status: string, response?: { status: string, scimType?: string, detail: string } }

t.test('POST /Bulk RFC7644 §3.7', async t => {
  const { app, tenant, runtime } = await startTestApp(t)
  let tenants = 0

  /** A tenant of its own for each case: the SCIM client of one organisation. */
  const client = async (t: Tap) => {
    const slug = `clinic-${++tenants}`
    const token = await tenant(slug)
    const base = `http://carescim.test/scim/v2/${slug}`
    const request = async (method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) => await app.inject({
      method,
      url: `/scim/v2/${slug}${path}`,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) })
    })
    const bulk = async (Operations: unknown[], extra: Record<string, unknown> = {}) => {
      const response = await request('POST', '/Bulk', { schemas: [BULK_REQUEST], Operations, ...extra })
      t.equal(response.statusCode, 200, 'a processed bulk request is 200 OK')
      t.match(response.headers['content-type'], /^application\/scim\+json/)
      const body = response.json() as { schemas: string[], Operations: Result[] }
      t.same(body.schemas, [BULK_RESPONSE])
      return body.Operations
    }
    const get = async (path: string) => (await request('GET', path)).json()
    const createUser = async (userName: string) => (await request('POST', '/Users', { schemas: [USER], userName })).json() as { id: string, meta: { version: string } }
    /** t.match lets extra array items pass: the number of results matters (§3.7.3, failOnErrors). */
    const expect = (results: Result[], expected: unknown[], message = 'the results') => {
      t.equal(results.length, expected.length, `${message}: one per processed operation`)
      t.match(results, expected, message)
    }
    return { slug, base, request, bulk, get, createUser, expect }
  }

  t.test('the §3.7.2 example: a User and a Group with that User as a member', async t => {
    const { base, bulk, get, expect } = await client(t)
    const results = await bulk([
      { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER], userName: 'Alice' } },
      { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] } }
    ])
    expect(results, [
      { method: 'POST', bulkId: 'qwerty', version: VERSION, status: '201', location: new RegExp(`^${base}/Users/[0-9a-f-]{36}$`) },
      { method: 'POST', bulkId: 'ytrewq', version: VERSION, status: '201', location: new RegExp(`^${base}/Groups/[0-9a-f-]{36}$`) }
    ])
    t.notOk('response' in results[0]!, 'a success carries no response body (§3.7: the server MAY omit it)')
    const aliceId = results[0]!.location!.split('/').pop()!
    const group = await get(`/Groups/${results[1]!.location!.split('/').pop()!}`)
    t.match(group, { displayName: 'Tour Guides', members: [{ value: aliceId, $ref: `${base}/Users/${aliceId}`, type: 'User' }] }, '"bulkId:qwerty" became Alice\'s id')
    t.equal(group.meta.version, results[1]!.version, 'the version is the resource\'s ETag')
  })

  t.test('the §3.7.2 enterprise example: a manager by bulkId, sent before the manager', async t => {
    const { bulk, get, expect } = await client(t)
    const results = await bulk([
      { method: 'POST', path: '/Users', bulkId: 'ytrewq', data: { schemas: [USER, ENTERPRISE], userName: 'Bob', [ENTERPRISE]: { employeeNumber: '11250', manager: { value: 'bulkId:qwerty' } } } },
      { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER], userName: 'Alice' } }
    ])
    expect(results, [{ bulkId: 'ytrewq', status: '201' }, { bulkId: 'qwerty', status: '201' }], 'reported in request order')
    const bob = await get(`/Users/${results[0]!.location!.split('/').pop()!}`)
    t.equal(bob[ENTERPRISE].manager.value, results[1]!.location!.split('/').pop(), 'Alice was created first (§3.7: the client\'s intent is preserved)')
  })

  t.test('PUT, PATCH and DELETE, with versions as If-Match', async t => {
    const { base, bulk, get, createUser, expect } = await client(t)
    const bob = await createUser('bob')
    const dave = await createUser('dave')
    const eve = await createUser('eve')
    const results = await bulk([
      { method: 'POST', path: '/Groups', bulkId: 'staff', data: { schemas: [GROUP], displayName: 'Staff' } },
      { method: 'PUT', path: `/Users/${bob.id}`, version: bob.meta.version, data: { schemas: [USER], userName: 'bob', nickName: 'Bobby' } },
      { method: 'PATCH', path: `/Users/${dave.id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'nickName', value: 'Dave' }] } },
      { method: 'PATCH', path: '/Groups/bulkId:staff', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: dave.id }] }] } },
      { method: 'DELETE', path: `/Users/${eve.id}`, version: eve.meta.version },
      { method: 'PUT', path: `/Users/${bob.id}`, version: bob.meta.version, data: { schemas: [USER], userName: 'bob', nickName: 'stale' } }
    ])
    const groupId = results[0]!.location!.split('/').pop()!
    expect(results, [
      { method: 'POST', status: '201' },
      { method: 'PUT', status: '200', location: `${base}/Users/${bob.id}`, version: VERSION },
      { method: 'PATCH', status: '200', location: `${base}/Users/${dave.id}`, version: VERSION },
      { method: 'PATCH', status: '204', location: `${base}/Groups/${groupId}`, version: VERSION },
      { method: 'DELETE', status: '204', location: `${base}/Users/${eve.id}` },
      {
        method: 'PUT',
        status: '412',
        location: `${base}/Users/${bob.id}`,
        response: { schemas: [ERROR], status: '412', detail: 'Failed to update. Resource changed on the server.' }
      }
    ], 'statuses as single requests would answer them (§3.7.3); a group PATCH answers 204 as /Groups does')
    t.notOk('version' in results[4]!, 'a deleted resource has no version')
    t.equal((await get(`/Users/${bob.id}`)).nickName, 'Bobby')
    t.equal((await get(`/Users/${dave.id}`)).nickName, 'Dave')
    t.match(await get(`/Groups/${groupId}`), { members: [{ value: dave.id }] }, 'the PATCH found the group by its bulkId')
    t.equal((await get(`/Users/${eve.id}`)).status, '404')
  })

  t.test('failOnErrors: processing stops once that many errors occurred', async t => {
    const { bulk, get, expect } = await client(t)
    const operations = [
      { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: 'alice' } },
      { method: 'DELETE', path: `/Users/${NO_SUCH_ID}` },
      { method: 'POST', path: '/Users', bulkId: 'c', data: { schemas: [USER], userName: 'carol' } }
    ]
    const stopped = await bulk(operations, { failOnErrors: 1 })
    expect(stopped, [
      { bulkId: 'a', status: '201' },
      { method: 'DELETE', status: '404', response: { status: '404', detail: `User ${NO_SUCH_ID} not found` } }
    ], 'the rest is neither processed nor returned')
    t.equal((await get('/Users?filter=userName eq "carol"')).totalResults, 0, 'carol was not created')

    const all = await bulk([{ ...operations[0], data: { schemas: [USER], userName: 'alice2' } }, ...operations.slice(1)], { failOnErrors: 2 })
    t.same(all.map(r => r.status), ['201', '404', '201'], 'below the limit, everything runs')
    const withoutLimit = await bulk([operations[1], operations[1], { method: 'DELETE', path: `/Users/${all[2]!.location!.split('/').pop()!}` }])
    t.same(withoutLimit.map(r => r.status), ['404', '404', '204'], 'without failOnErrors, as many changes as possible')
  })

  t.test('a reference to a bulkId whose POST failed: 409', async t => {
    const { bulk, get, expect } = await client(t)
    const results = await bulk([
      { method: 'POST', path: '/Users', bulkId: 'broken', data: { schemas: [USER], displayName: 'no userName' } },
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Team', members: [{ value: 'bulkId:broken' }] } },
      { method: 'PATCH', path: '/Users/bulkId:broken', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'nickName', value: 'x' }] } },
      { method: 'PATCH', path: '/Groups/bulkId:nobody', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'displayName', value: 'x' }] } }
    ])
    expect(results, [
      { method: 'POST', bulkId: 'broken', status: '400', response: { status: '400' } },
      { method: 'POST', bulkId: 'g', status: '409', response: { schemas: [ERROR], status: '409', detail: 'bulkId:broken cannot be resolved: the operation that creates it failed' } },
      { method: 'PATCH', status: '409', response: { detail: 'bulkId:broken cannot be resolved: the operation that creates it failed' } },
      { method: 'PATCH', status: '409', response: { detail: 'bulkId:nobody cannot be resolved: no POST operation of this request has that bulkId' } }
    ])
    t.notOk('location' in results[0]! || 'location' in results[1]! || 'location' in results[2]!, 'no location: no resource exists')
    t.equal((await get('/Groups')).totalResults, 0, 'the group was not created without its member')
  })

  t.test('an operation that cannot run is reported alone: POST without bulkId', async t => {
    const { bulk, expect } = await client(t)
    const results = await bulk([
      { method: 'POST', path: '/Users', data: { schemas: [USER], userName: 'nobulkid' } },
      { method: 'POST', path: '/Users', bulkId: 'ok', data: { schemas: [USER], userName: 'withbulkid' } },
      { method: 'GET', path: '/Users' }
    ])
    expect(results, [
      { method: 'POST', status: '400', response: { schemas: [ERROR], status: '400', scimType: 'invalidSyntax', detail: 'bulkId is required when method is POST' } },
      { method: 'POST', bulkId: 'ok', status: '201' },
      { method: 'GET', status: '400', response: { scimType: 'invalidSyntax', detail: 'method must be one of POST, PUT, PATCH or DELETE' } }
    ])
  })

  t.test('circular references RFC7644 §3.7.1', async t => {
    t.test('users managing each other: created, then completed', async t => {
      const { bulk, get, expect } = await client(t)
      const results = await bulk([
        { method: 'POST', path: '/Users', bulkId: 'alice', data: { schemas: [USER, ENTERPRISE], userName: 'alice', [ENTERPRISE]: { manager: { value: 'bulkId:bob' } } } },
        { method: 'POST', path: '/Users', bulkId: 'bob', data: { schemas: [USER, ENTERPRISE], userName: 'bob', [ENTERPRISE]: { manager: { value: 'bulkId:alice' } } } }
      ])
      expect(results, [{ bulkId: 'alice', status: '201', version: VERSION }, { bulkId: 'bob', status: '201', version: VERSION }])
      const [aliceId, bobId] = results.map(r => r.location!.split('/').pop()!)
      const alice = await get(`/Users/${aliceId!}`)
      t.equal(alice[ENTERPRISE].manager.value, bobId)
      t.equal((await get(`/Users/${bobId!}`))[ENTERPRISE].manager.value, aliceId)
      t.equal(alice.meta.version, results[0]!.version, 'the version after completion')
    })

    t.test('the §3.7.1 groups: nested groups may not form a cycle here, so both fail and nothing is left', async t => {
      const { bulk, get, expect } = await client(t)
      const results = await bulk([
        { method: 'POST', path: '/Groups', bulkId: 'qwerty', data: { schemas: [GROUP], displayName: 'Group A', members: [{ type: 'Group', value: 'bulkId:ytrewq' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Group B', members: [{ type: 'Group', value: 'bulkId:qwerty' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'c', data: { schemas: [GROUP], displayName: 'Group C', members: [{ value: 'bulkId:qwerty' }] } }
      ])
      expect(results, [
        { bulkId: 'qwerty', status: '409', response: { detail: 'Operations whose bulkIds reference each other (qwerty, ytrewq) succeed or fail together; bulkId:ytrewq failed' } },
        { bulkId: 'ytrewq', status: '400', response: { scimType: 'invalidValue', detail: /a group a member of itself/ } },
        { bulkId: 'c', status: '409', response: { detail: 'bulkId:qwerty cannot be resolved: the operation that creates it failed' } }
      ])
      t.notOk(results.some(r => 'location' in r), 'failed POSTs have no location')
      t.equal((await get('/Groups')).totalResults, 0, 'Group A, created first, was deleted again')
    })
  })

  t.test('tenant isolation: another tenant\'s ids are unknown', async t => {
    const anna = await client(t)
    const bert = await client(t)
    const annasUser = await anna.createUser('patient-zero')
    const results = await bert.bulk([
      { method: 'PUT', path: `/Users/${annasUser.id}`, data: { schemas: [USER], userName: 'hijacked' } },
      { method: 'PATCH', path: `/Users/${annasUser.id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'nickName', value: 'x' }] } },
      { method: 'DELETE', path: `/Users/${annasUser.id}` },
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Borrowed', members: [{ value: annasUser.id }] } }
    ])
    bert.expect(results, [
      { method: 'PUT', status: '404', location: `${bert.base}/Users/${annasUser.id}`, response: { detail: `User ${annasUser.id} not found` } },
      { method: 'PATCH', status: '404' },
      { method: 'DELETE', status: '404' },
      { method: 'POST', status: '400', response: { scimType: 'invalidValue', detail: /no User or Group with id/ } }
    ])
    t.match(await anna.get(`/Users/${annasUser.id}`), { userName: 'patient-zero', meta: { version: annasUser.meta.version } }, 'unchanged')
  })

  t.test('an unexpected failure is one operation\'s 500, with nothing of its cause', async t => {
    const { bulk, expect } = await client(t)
    const create = runtime.users.create.bind(runtime.users)
    runtime.users.create = async (scope, body) => {
      if ((body as { userName?: string }).userName === 'explode') throw new Error('connection reset by 10.1.2.3')
      return await create(scope, body)
    }
    t.teardown(() => { runtime.users.create = create })
    const results = await bulk([
      { method: 'POST', path: '/Users', bulkId: 'x', data: { schemas: [USER], userName: 'explode' } },
      { method: 'POST', path: '/Users', bulkId: 'y', data: { schemas: [USER], userName: 'fine' } }
    ])
    expect(results, [
      { bulkId: 'x', status: '500', response: { schemas: [ERROR], status: '500', detail: 'Internal server error' } },
      { bulkId: 'y', status: '201' }
    ])
    t.notMatch(JSON.stringify(results), /10\.1\.2\.3/)
  })

  t.test('refused whole', async t => {
    const { request } = await client(t)
    const errorBody = (response: Awaited<ReturnType<typeof request>>) => {
      t.match(response.headers['content-type'], /^application\/scim\+json/)
      return response.json()
    }

    t.test('more than maxOperations: 413 naming the limit (§3.7.4)', async t => {
      const maxOperations = runtime.registry.serviceProviderConfig().bulk.maxOperations
      const operations = Array.from({ length: maxOperations + 1 }, () => ({ method: 'DELETE', path: `/Users/${NO_SUCH_ID}` }))
      const response = await request('POST', '/Bulk', { schemas: [BULK_REQUEST], Operations: operations })
      t.equal(response.statusCode, 413)
      t.same(errorBody(response), { schemas: [ERROR], status: '413', detail: `The number of operations (${maxOperations + 1}) exceeds the maxOperations (${maxOperations}).` })
    })

    t.test('a body over maxPayloadSize: 413 naming the limit (§3.7.4)', async t => {
      const maxPayloadSize = runtime.registry.serviceProviderConfig().bulk.maxPayloadSize
      const body = JSON.stringify({ schemas: [BULK_REQUEST], Operations: [{ method: 'POST', path: '/Users', bulkId: 'big', data: { schemas: [USER], userName: 'x'.repeat(maxPayloadSize) } }] })
      const response = await request('POST', '/Bulk', body)
      t.equal(response.statusCode, 413)
      t.same(errorBody(response), { schemas: [ERROR], status: '413', detail: `The size of the bulk operation exceeds the maxPayloadSize (${maxPayloadSize}).` })
      t.equal((await request('GET', '/Users?filter=userName eq "x"')).json().totalResults, 0)
    })

    t.test('malformed BulkRequests: 400 invalidSyntax', async t => {
      const cases: Array<[string, unknown, string]> = [
        ['without the BulkRequest schema', { schemas: [USER], Operations: [] }, `A bulk request must list the schema ${BULK_REQUEST}`],
        ['without Operations', { schemas: [BULK_REQUEST] }, 'A bulk request needs an Operations array'],
        ['failOnErrors 0', { schemas: [BULK_REQUEST], Operations: [], failOnErrors: 0 }, 'failOnErrors must be an integer of at least 1'],
        ['an array', '[]', 'The body must be a BulkRequest object'],
        ['not JSON', '{"schemas": [', 'The request body is not valid JSON.']
      ]
      for (const [name, body, detail] of cases) {
        const response = await request('POST', '/Bulk', body)
        t.equal(response.statusCode, 400, name)
        t.same(errorBody(response), { schemas: [ERROR], status: '400', scimType: 'invalidSyntax', detail }, name)
      }
    })

    t.test('authentication comes first', async t => {
      const response = await app.inject({ method: 'POST', url: '/scim/v2/clinic-1/Bulk', payload: { schemas: [BULK_REQUEST], Operations: [] } })
      t.equal(response.statusCode, 401)
    })
  })
})
