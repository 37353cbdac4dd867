import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { scimClient, USER_SCHEMA } from '../helpers/scim-client.js'

const HC = 'urn:carescim:scim:schemas:extension:healthcare:1.0:User'

t.test('FHIR R4 Practitioner view', async t => {
  const { app, tenant } = await startTestApp(t)
  const token = await tenant('clinic')
  const scim = scimClient(app, 'clinic', token)
  const fhir = async (path: string, auth = token) => await app.inject({ method: 'GET', url: `/fhir/clinic${path}`, headers: { authorization: `Bearer ${auth}` } })

  const created = await scim.post('/Users', {
    schemas: [USER_SCHEMA, HC],
    userName: 'jdejong@clinic.nl',
    name: { givenName: 'Johanna', familyName: 'Visser', honorificPrefix: 'dr.' },
    emails: [{ value: 'j.visser@clinic.nl', type: 'work', primary: true }],
    phoneNumbers: [{ value: '+31 30 123 4567', type: 'work' }],
    [HC]: { agbCode: '01010235', bigNumber: '19012345601', initials: 'J.', namePrefix: 'de', birthName: 'Jong', birthNamePrefix: 'de' }
  })
  const id = created.body.id

  const read = await fhir(`/Practitioner/${id}`)
  t.equal(read.statusCode, 200)
  t.match(read.headers['content-type'], /^application\/fhir\+json/)
  const practitioner = read.json()
  t.match(practitioner, { resourceType: 'Practitioner', id, active: true, meta: { versionId: /^\d+\.\d+$/ } })
  t.same(practitioner.identifier.filter((i: { system: string }) => i.system !== 'urn:carescim:registration-number'), [
    { use: 'official', system: 'http://fhir.nl/fhir/NamingSystem/agb-z', value: '01010235' },
    { use: 'official', system: 'http://fhir.nl/fhir/NamingSystem/big', value: '19012345601' }
  ])
  t.match(practitioner.identifier.find((i: { system: string }) => i.system === 'urn:carescim:registration-number'), { value: /^CS-\d{9}-\d$/ })
  const [name] = practitioner.name
  t.equal(name.family, 'de Visser')
  t.same(name._family.extension, [
    { url: 'http://hl7.org/fhir/StructureDefinition/humanname-own-prefix', valueString: 'de' },
    { url: 'http://hl7.org/fhir/StructureDefinition/humanname-own-name', valueString: 'Jong' },
    { url: 'http://hl7.org/fhir/StructureDefinition/humanname-partner-prefix', valueString: 'de' },
    { url: 'http://hl7.org/fhir/StructureDefinition/humanname-partner-name', valueString: 'Visser' }
  ], 'birth name as own name, the name in use as partner name (Nictiz NameInformation)')
  t.same(name.extension, [{ url: 'http://hl7.org/fhir/StructureDefinition/humanname-assembly-order', valueCode: 'NL2' }])
  t.same(name.given, ['Johanna', 'J.'])
  t.same(name._given.map((g: { extension: Array<{ valueCode: string }> }) => g.extension[0]!.valueCode), ['BR', 'IN'])
  t.same(name.prefix, ['dr.'])
  t.same(practitioner.telecom, [{ system: 'email', value: 'j.visser@clinic.nl', use: 'work' }, { system: 'phone', value: '+31 30 123 4567', use: 'work' }])

  const bundle = (await fhir('/Practitioner?identifier=' + encodeURIComponent('http://fhir.nl/fhir/NamingSystem/big|19012345601'))).json()
  t.match(bundle, { resourceType: 'Bundle', type: 'searchset', total: 1 })
  t.equal(bundle.entry[0].fullUrl, `http://carescim.test/fhir/clinic/Practitioner/${id}`)
  t.equal(bundle.entry[0].resource.id, id)
  const none = (await fhir('/Practitioner?identifier=' + encodeURIComponent('http://example.org/unknown|1'))).json()
  t.match(none, { resourceType: 'Bundle', total: 0, entry: [] })

  const missing = await fhir('/Practitioner/00000000-0000-4000-8000-000000000000')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] })
  const other = await tenant('other')
  const unauthorized = await fhir(`/Practitioner/${id}`, other)
  t.equal(unauthorized.statusCode, 401, "another tenant's token")
  t.match(unauthorized.json(), { resourceType: 'OperationOutcome', issue: [{ code: 'login' }] })
  const otherTenant = await app.inject({ method: 'GET', url: `/fhir/other/Practitioner/${id}`, headers: { authorization: `Bearer ${other}` } })
  t.equal(otherTenant.statusCode, 404, 'not visible from another tenant')
})
