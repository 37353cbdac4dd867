import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { filterQuery, scimClient, USER_SCHEMA, type ScimClient } from '../helpers/scim-client.js'

const HC = 'urn:carescim:scim:schemas:extension:healthcare:1.0:User'
// Published examples (sources in src/domain/healthcare/identifiers): LANR from gematik, UZI from Nictiz.
const VALID = { agbCode: '01010235', bigNumber: '19012345601', uziNumber: '123456789', lanr: '838382210' }

async function professional (scim: ScimClient, userName: string, healthcare: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return await scim.post('/Users', { schemas: [USER_SCHEMA, HC], userName, [HC]: healthcare, ...extra })
}

t.test('healthcare extension: validated identifiers, registration number, filters', async t => {
  const { app, tenant } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))

  const created = await professional(scim, 'arts@example.nl', { ...VALID, discipline: 'physician', initials: 'J.P.', namePrefix: 'van der', birthName: 'Berg', birthNamePrefix: 'van den' })
  t.equal(created.status, 201)
  const hc = created.body[HC]
  t.match(hc, { ...VALID, discipline: 'physician', namePrefix: 'van der', birthName: 'Berg' })
  t.match(hc.registrationNumber, /^CS-\d{9}-\d$/, 'assigned by CareSCIM, with a check digit')
  t.ok(created.body.schemas.includes(HC))

  const other = await scim.createUser('other@example.nl')
  t.not((other as Record<string, Record<string, string>>)[HC]!.registrationNumber, hc.registrationNumber, 'unique per account')

  const readOnly = await scim.patch(`/Users/${created.body.id}`, [{ op: 'replace', path: `${HC}:registrationNumber`, value: 'CS-000000001-2' }])
  t.equal(readOnly.status, 400)
  t.equal(readOnly.body.scimType, 'mutability')

  const cases: Array<[string, string, RegExp]> = [
    ['lanr', '838382310', /lanr: LANR check digit/],
    ['agbCode', '1234', /agbCode: .*8 digits/],
    ['uziNumber', '12345678x', /uziNumber/],
    ['dkAuthorisationId', 'AEIOU', /dkAuthorisationId/]
  ]
  for (const [attribute, value, detail] of cases) {
    const response = await professional(scim, `bad-${attribute}@example.nl`, { [attribute]: value })
    t.equal(response.status, 400, `${attribute} ${value}`)
    t.equal(response.body.scimType, 'invalidValue')
    t.match(response.body.detail, detail)
    t.match(response.body.detail, `${HC}:${attribute}`, 'names the attribute')
  }
  const pseudo = await professional(scim, 'pseudo@example.nl', { lanr: '999999900' })
  t.equal(pseudo.status, 201, 'a pseudo-LANR is valid')
  const bigWarning = await professional(scim, 'big@example.nl', { bigNumber: '12345678901' })
  t.equal(bigWarning.status, 201, "BIG's unofficial check only warns (CIBG publishes none)")

  const byBig = await scim.get(`/Users?${filterQuery(`${HC}:bigNumber eq "${VALID.bigNumber}"`)}&attributes=userName`)
  t.same(byBig.body.Resources.map((r: { userName: string }) => r.userName), ['arts@example.nl'])
  const byNumber = await scim.get(`/Users?${filterQuery(`${HC}:registrationNumber eq "${hc.registrationNumber.toLowerCase()}"`)}`)
  t.same(byNumber.body.Resources.map((r: { userName: string }) => r.userName), ['arts@example.nl'], 'as people type it')
  const byPrefix = await scim.get(`/Users?${filterQuery(`${HC}:namePrefix eq "VAN DER"`)}`)
  t.equal(byPrefix.body.totalResults, 1)
})

t.test('an AGB, BIG, UZI or LANR belongs to one account platform-wide, without leaking', async t => {
  const { app, tenant } = await startTestApp(t)
  const a = scimClient(app, 'hospital', await tenant('hospital'))
  const b = scimClient(app, 'clinic', await tenant('clinic'))
  t.equal((await professional(a, 'secret-name@hospital.nl', VALID, { name: { familyName: 'Geheim' } })).status, 201)
  for (const [attribute, value] of Object.entries(VALID)) {
    const response = await professional(b, `claim-${attribute}@clinic.nl`, { [attribute]: value })
    t.equal(response.status, 409, attribute)
    t.equal(response.body.scimType, 'uniqueness')
    t.equal(response.body.detail, `${HC}:${attribute} is already registered to another account`)
    t.notMatch(JSON.stringify(response.body), /Geheim|hospital|secret-name/, 'nothing of the other tenant')
  }
  const mine = await a.createUser('second@hospital.nl')
  const patch = await a.patch(`/Users/${mine.id}`, [{ op: 'add', path: `${HC}:bigNumber`, value: VALID.bigNumber }])
  t.equal(patch.status, 409, 'also within a tenant, also by PATCH')
})

t.test('supervising user rules', async t => {
  const { app, tenant, runtime } = await startTestApp(t)
  const scim = scimClient(app, 'clinic', await tenant('clinic'))
  const supervisor = (await professional(scim, 'supervisor@clinic.nl', VALID, { displayName: 'Dr. S' })).body
  const unregistered = (await professional(scim, 'nurse@clinic.nl', { discipline: 'nurse' })).body

  const trainee = await professional(scim, 'trainee@clinic.nl', { discipline: 'physician', supervisingUser: { value: supervisor.id } })
  t.equal(trainee.status, 201)
  t.same(trainee.body[HC].supervisingUser, { value: supervisor.id, $ref: `http://carescim.test/scim/v2/clinic/Users/${supervisor.id}` })
  t.equal(trainee.body[HC].supervisionValid, true)

  const byUserName = await professional(scim, 'trainee2@clinic.nl', { supervisingUserReference: 'SUPERVISOR@clinic.nl' })
  t.equal(byUserName.body[HC].supervisingUser.value, supervisor.id, 'a plain string (Entra) resolved by userName')
  t.notOk('supervisingUserReference' in byUserName.body[HC], 'writeOnly: never returned')
  const byBig = await professional(scim, 'trainee3@clinic.nl', { supervisingUserReference: VALID.bigNumber })
  t.equal(byBig.body[HC].supervisingUser.value, supervisor.id, '… or by BIG number')

  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no AGB and BIG', { supervisingUser: { value: unregistered.id } }, /must have an AGB code and a BIG number/],
    ['unknown reference', { supervisingUserReference: 'nobody' }, /no User of this tenant has the userName or BIG number "nobody"/],
    ['unknown id', { supervisingUser: { value: '00000000-0000-4000-8000-000000000000' } }, /is not a User of this tenant/]
  ]
  for (const [label, healthcare, detail] of refused) {
    const response = await professional(scim, `refused-${label.replaceAll(' ', '-')}@clinic.nl`, healthcare)
    t.equal(response.status, 400, label)
    t.match(response.body.detail, detail, label)
  }
  const self = await scim.patch(`/Users/${supervisor.id}`, [{ op: 'add', path: `${HC}:supervisingUser`, value: { value: supervisor.id } }])
  t.match(self.body.detail, 'cannot be the user itself')

  // A second registered professional supervised by the first; the first may then not be supervised by the second.
  const second = (await professional(scim, 'second@clinic.nl', { agbCode: '01010236', bigNumber: '29012345601', supervisingUser: { value: supervisor.id } })).body
  const cycle = await scim.patch(`/Users/${supervisor.id}`, [{ op: 'add', path: `${HC}:supervisingUser`, value: { value: second.id } }])
  t.equal(cycle.status, 400)
  t.match(cycle.body.detail, 'cycle')

  const other = scimClient(app, 'other', await tenant('other'))
  const foreign = await professional(other, 'x@other.nl', { supervisingUser: { value: supervisor.id } })
  t.equal(foreign.status, 400, "another tenant's user cannot supervise")

  t.test('a tenant that requires supervision for unregistered practitioners', async t => {
    await runtime.tenants.configure('clinic', { healthcare: { requireSupervisor: true, supervisorRemoval: 'refuse' } })
    const missing = await professional(scim, 'unsupervised@clinic.nl', { discipline: 'physician' })
    t.equal(missing.status, 400)
    t.match(missing.body.detail, 'supervisingUser is required')
    t.equal((await professional(scim, 'registered@clinic.nl', { discipline: 'physician', agbCode: '01010237', bigNumber: '39012345601' })).status, 201)

    const deactivate = await scim.patch(`/Users/${supervisor.id}`, [{ op: 'replace', path: 'active', value: false }])
    t.equal(deactivate.status, 409, 'refuse: a supervisor of others cannot be deactivated')
    t.match(deactivate.body.detail, /supervises \d+ user/)
    t.equal((await scim.delete(`/Users/${supervisor.id}`)).status, 409, '… nor deleted')
  })

  t.test('the default policy flags the supervisees instead', async t => {
    await runtime.tenants.configure('clinic', {})
    t.equal((await scim.patch(`/Users/${supervisor.id}`, [{ op: 'replace', path: 'active', value: false }])).status, 200)
    t.equal((await scim.get(`/Users/${trainee.body.id}`)).body[HC].supervisionValid, false, 'flagged')
    t.equal((await scim.patch(`/Users/${supervisor.id}`, [{ op: 'replace', path: 'active', value: true }])).status, 200)
    t.equal((await scim.get(`/Users/${trainee.body.id}`)).body[HC].supervisionValid, true, 'valid again once the supervisor is reactivated')
    t.equal((await scim.delete(`/Users/${supervisor.id}`)).status, 204)
    const after = (await scim.get(`/Users/${trainee.body.id}`)).body[HC]
    t.equal(after.supervisionValid, false)
    t.equal(after.supervisingUser.value, supervisor.id, 'kept, so the tenant sees whom to replace')
  })
})
