import t from 'tap'
import { startTestApp } from '../helpers/app.js'

t.test('discovery endpoints (RFC 7644 §4)', async t => {
  const { app, tenant } = await startTestApp(t)
  const token = await tenant('clinic')
  const get = async (path: string) => await app.inject({ method: 'GET', url: `/scim/v2/clinic${path}`, headers: { authorization: `Bearer ${token}` } })
  const base = 'http://carescim.test/scim/v2/clinic'

  t.test('ServiceProviderConfig', async t => {
    const response = await get('/ServiceProviderConfig')
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], 'application/scim+json; charset=utf-8')
    const spc = response.json()
    t.same(spc.schemas, ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'])
    for (const feature of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag']) t.type(spc[feature]?.supported, 'boolean', `${feature}.supported`)
    t.equal(spc.bulk.maxOperations > 0, true)
    t.equal(spc.filter.maxResults > 0, true)
    t.equal(spc.authenticationSchemes[0].type, 'oauthbearertoken')
    t.equal(spc.meta.location, `${base}/ServiceProviderConfig`)
    t.equal(spc.meta.resourceType, 'ServiceProviderConfig')
  })

  t.test('ResourceTypes', async t => {
    const list = (await get('/ResourceTypes')).json()
    t.same(list.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse'])
    t.equal(list.totalResults, list.Resources.length)
    const user = list.Resources.find((r: { id: string }) => r.id === 'User')
    t.equal(user.endpoint, '/Users')
    t.equal(user.schema, 'urn:ietf:params:scim:schemas:core:2.0:User')
    t.same(user.schemaExtensions, [
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      { schema: 'urn:carescim:scim:schemas:extension:healthcare:1.0:User', required: false }
    ])
    t.equal(user.meta.location, `${base}/ResourceTypes/User`)
    const group = (await get('/ResourceTypes/Group')).json()
    t.equal(group.endpoint, '/Groups')
    t.equal((await get('/ResourceTypes/Device')).statusCode, 404)
  })

  t.test('Schemas', async t => {
    const list = (await get('/Schemas')).json()
    const ids = list.Resources.map((s: { id: string }) => s.id)
    for (const id of ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:carescim:scim:schemas:extension:healthcare:1.0:User']) {
      t.ok(ids.includes(id), id)
    }
    const user = (await get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).json()
    t.equal(user.meta.location, `${base}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`)
    const userName = user.attributes.find((a: { name: string }) => a.name === 'userName')
    t.match(userName, { type: 'string', required: true, caseExact: false, uniqueness: 'server', mutability: 'readWrite' })
    t.equal((await get('/Schemas/urn:example:nothing')).statusCode, 404)
  })

  t.test('a filter on discovery endpoints is refused (RFC 7644 §4)', async t => {
    const response = await get('/Schemas?filter=id%20eq%20%22x%22')
    t.equal(response.statusCode, 403)
    t.equal(response.json().status, '403')
  })
})
