import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { filterQuery, scimClient, type ScimClient } from '../helpers/scim-client.js'

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

async function seed (scim: ScimClient) {
  const people = [
    ['anna@example.com', 'Anna', 'de Vries', 'Nurse', true],
    ['bram@example.com', 'Bram', 'Bakker', 'Physician', true],
    ['carla@example.org', 'Carla', 'Jansen', 'Nurse', false],
    ['dirk@example.org', 'Dirk', 'Visser', 'Planner', true],
    ['eva@example.com', 'Eva', 'Smit', 'Physician', true]
  ] as const
  const ids: string[] = []
  for (const [userName, givenName, familyName, title, active] of people) {
    ids.push((await scim.createUser(userName, { name: { givenName, familyName }, title, active, emails: [{ value: userName, type: 'work', primary: true }] })).id)
  }
  return ids
}

t.test('filtering, sorting, paging and projection (RFC 7644 §3.4.2)', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  await seed(scim)
  const names = (body: { Resources: Array<{ userName: string }> }) => body.Resources.map(r => r.userName)

  t.test('filters through HTTP', async t => {
    const cases: Array<[string, string[]]> = [
      ['userName eq "ANNA@example.com"', ['anna@example.com']],
      ['title eq "Nurse" and active eq true', ['anna@example.com']],
      ['name.familyName sw "b" or name.givenName ew "a"', ['anna@example.com', 'bram@example.com', 'carla@example.org', 'eva@example.com']],
      ['emails[type eq "work" and value co "example.org"]', ['carla@example.org', 'dirk@example.org']],
      ['not (title eq "Nurse")', ['bram@example.com', 'dirk@example.org', 'eva@example.com']],
      ['meta.created gt "2000-01-01T00:00:00Z"', ['anna@example.com', 'bram@example.com', 'carla@example.org', 'dirk@example.org', 'eva@example.com']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName pr and active eq false', ['carla@example.org']],
      ['userName eq "nobody@example.com"', []]
    ]
    for (const [filter, expected] of cases) {
      const response = await scim.get(`/Users?${filterQuery(filter)}&sortBy=userName`)
      t.equal(response.status, 200, filter)
      t.same(names(response.body), expected, filter)
      t.equal(response.body.totalResults, expected.length)
    }
    const bad = await scim.get(`/Users?${filterQuery('userName eq')}`)
    t.equal(bad.status, 400)
    t.equal(bad.body.scimType, 'invalidFilter')
    const unknown = await scim.get(`/Users?${filterQuery('shoeSize gt 40')}`)
    t.equal(unknown.status, 400)
    t.equal(unknown.body.scimType, 'invalidFilter')
    // Entra ID's Test Connection: a filter on a random userName must be an empty list, never 404.
    const probe = await scim.get(`/Users?${filterQuery('userName eq "9a0f6c7e-2f7b-4a53-9b47-6a3c6a2b1d10"')}`)
    t.equal(probe.status, 200)
    t.same(probe.body, { schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] })
  })

  t.test('sorting', async t => {
    const ascending = await scim.get('/Users?sortBy=name.familyName')
    t.same(ascending.body.Resources.map((r: { name: { familyName: string } }) => r.name.familyName), ['Bakker', 'de Vries', 'Jansen', 'Smit', 'Visser'], 'case-insensitive')
    const descending = await scim.get('/Users?sortBy=userName&sortOrder=descending')
    t.same(names(descending.body), ['eva@example.com', 'dirk@example.org', 'carla@example.org', 'bram@example.com', 'anna@example.com'])
    t.equal((await scim.get('/Users?sortOrder=sideways')).status, 400)
  })

  t.test('index paging', async t => {
    const page = await scim.get('/Users?sortBy=userName&startIndex=2&count=2')
    t.same(names(page.body), ['bram@example.com', 'carla@example.org'])
    t.match(page.body, { totalResults: 5, startIndex: 2, itemsPerPage: 2 })
    // A first page is read in one pass, later ones ids first: together they are the whole list, in order.
    const whole = names((await scim.get('/Users?sortBy=name.familyName&sortOrder=descending')).body)
    const paged: string[] = []
    for (const startIndex of [1, 3, 5]) {
      const next = await scim.get(`/Users?sortBy=name.familyName&sortOrder=descending&startIndex=${startIndex}&count=2`)
      t.equal(next.body.totalResults, 5, `totalResults on the page at ${startIndex}`)
      paged.push(...names(next.body))
    }
    t.same(paged, whole)
    t.equal(whole.length, 5)
    const countZero = await scim.get('/Users?count=0')
    t.match(countZero.body, { totalResults: 5, itemsPerPage: 0, Resources: [] }, 'count=0: only totalResults')
    const corrected = await scim.get('/Users?startIndex=-4&count=-1')
    t.match(corrected.body, { startIndex: 1, itemsPerPage: 0 }, 'out-of-range values are corrected (§3.4.2.4)')
    const past = await scim.get('/Users?startIndex=99')
    t.match(past.body, { totalResults: 5, itemsPerPage: 0, Resources: [] })
    t.equal((await scim.get('/Users?count=two')).status, 400)
  })

  t.test('cursor paging (RFC 9865)', async t => {
    const seen: string[] = []
    let cursor = ''
    for (let i = 0; i < 5; i++) {
      const page = await scim.get(`/Users?count=2&cursor=${cursor}`)
      t.equal(page.status, 200)
      seen.push(...names(page.body))
      if (page.body.nextCursor === undefined) break
      cursor = page.body.nextCursor
    }
    t.same(seen.sort(), ['anna@example.com', 'bram@example.com', 'carla@example.org', 'dirk@example.org', 'eva@example.com'], 'every user once')
    const bogus = await scim.get('/Users?cursor=bm90LWEtY3Vyc29y')
    t.equal(bogus.status, 400)
    t.equal(bogus.body.scimType, 'invalidCursor')
  })

  t.test('attributes and excludedAttributes', async t => {
    const only = await scim.get(`/Users?${filterQuery('userName eq "anna@example.com"')}&attributes=name.givenName,emails.value`)
    const anna = only.body.Resources[0]
    t.same(Object.keys(anna).sort(), ['emails', 'id', 'name', 'schemas'], 'id and schemas always returned')
    t.same(anna.name, { givenName: 'Anna' })
    t.same(anna.emails, [{ value: 'anna@example.com' }])
    const without = await scim.get(`/Users/${anna.id}?excludedAttributes=emails,meta,id`)
    t.notOk('emails' in without.body)
    t.notOk('meta' in without.body)
    t.equal(without.body.id, anna.id, 'id cannot be excluded (returned: always)')
  })

  t.test('POST /.search per resource type and on the root', async t => {
    const search = { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title eq "Physician"', sortBy: 'userName', attributes: ['userName'], startIndex: 1, count: 10 }
    const users = await scim.post('/Users/.search', search)
    t.equal(users.status, 200)
    t.same(names(users.body), ['bram@example.com', 'eva@example.com'])
    const root = await scim.post('/.search', search)
    t.same(names(root.body), ['bram@example.com', 'eva@example.com'], 'a User-only filter matches no Group')
    const notSearch = await scim.post('/Users/.search', { filter: 'title pr' })
    t.equal(notSearch.status, 400)
    t.equal(notSearch.body.scimType, 'invalidSyntax')
  })
})

t.test('ETags (RFC 7644 §3.14)', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const user = await scim.createUser('etag@example.com')
  const etag = user.meta.version

  const notModified = await scim.get(`/Users/${user.id}`, { 'if-none-match': etag })
  t.equal(notModified.status, 304)
  t.equal(notModified.headers.etag, etag)
  t.equal((await scim.get(`/Users/${user.id}`, { 'if-none-match': 'W/"0.0"' })).status, 200)

  const updated = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'First' }], { 'if-match': etag })
  t.equal(updated.status, 200)
  t.not(updated.headers.etag, etag)

  const stale = await scim.patch(`/Users/${user.id}`, [{ op: 'replace', path: 'displayName', value: 'Second' }], { 'if-match': etag })
  t.equal(stale.status, 412)
  t.equal(stale.body.status, '412')
  t.equal((await scim.get(`/Users/${user.id}`)).body.displayName, 'First', 'nothing changed')
  t.equal((await scim.put(`/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' }, { 'if-match': etag })).status, 412)
  t.equal((await scim.delete(`/Users/${user.id}`, { 'if-match': etag })).status, 412)
  t.equal((await scim.delete(`/Users/${user.id}`, { 'if-match': '*' })).status, 204)

  const spc = (await scim.get('/ServiceProviderConfig')).body
  t.equal(spc.etag.supported, true, 'advertised')
})
