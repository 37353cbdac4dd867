import t from 'tap'
import { runCli } from '../../src/cli/main.js'
import { freshDatabaseUrl, temporaryDirectory, type Teardown } from '../helpers/database.js'
import { linkIn, startSmtpServer } from '../helpers/smtp.js'

const secrets = {
  SESSION_SIGNING_KEY: 's'.repeat(40),
  NATIONAL_ID_HMAC_KEY: 'n'.repeat(40),
  ENCRYPTION_KEY: 'e'.repeat(40)
}

async function cliEnv (t: Teardown): Promise<NodeJS.ProcessEnv> {
  const databaseUrl = await freshDatabaseUrl(t)
  return { ...secrets, DATA_DIR: temporaryDirectory(t), PUBLIC_URL: 'http://scim.test', LOG_LEVEL: 'silent', ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) }
}

async function run (env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { write: text => { stdout += text }, progress: text => { stderr += text + '\n' } }, env)
  return { code, stdout, stderr }
}

t.test('tenant create --json prints one JSON object with the token shown once', async t => {
  const env = await cliEnv(t)
  const created = await run(env, 'tenant', 'create', 'st-anna', '--name', 'St. Anna Ziekenhuis', '--json')
  t.equal(created.code, 0, created.stderr)
  const lines = created.stdout.trim().split('\n')
  t.equal(lines.length, 1, 'one line')
  const result = JSON.parse(lines[0]!) as Record<string, string>
  t.same(Object.keys(result), ['tenant', 'scimBaseUrl', 'token'])
  t.equal(result.tenant, 'st-anna')
  t.equal(result.scimBaseUrl, 'http://scim.test/scim/v2/st-anna')
  t.match(result.token, /^cscim_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/)
  t.match(created.stderr, /Applied \d+ migration\(s\): Migration/, 'migration progress goes to stderr')

  const again = await run(env, 'tenant', 'create', 'st-anna', '--json')
  t.equal(again.code, 1)
  t.match(again.stderr, 'carescim: A tenant with slug "st-anna" already exists')

  const listed = await run(env, 'tenant', 'list', '--json')
  t.same(JSON.parse(listed.stdout).map((x: { tenant: string, name: string }) => [x.tenant, x.name]), [['st-anna', 'St. Anna Ziekenhuis']])

  const rotated = await run(env, 'token', 'rotate', 'st-anna', '--json')
  t.equal(rotated.code, 0)
  const rotatedResult = JSON.parse(rotated.stdout) as Record<string, string>
  t.equal(rotatedResult.tenant, 'st-anna')
  t.not(rotatedResult.token, result.token)

  const configured = await run(env, 'tenant', 'configure', 'st-anna', '--require-supervisor', 'true', '--supervisor-removal', 'refuse', '--json')
  t.equal(configured.code, 0, configured.stderr)
  t.same(JSON.parse(configured.stdout), { tenant: 'st-anna', settings: { healthcare: { requireSupervisor: true, supervisorRemoval: 'refuse' } } })
  const badPolicy = await run(env, 'tenant', 'configure', 'st-anna', '--supervisor-removal', 'maybe')
  t.equal(badPolicy.code, 2)

  const migrated = await run(env, 'migrate')
  t.equal(migrated.code, 0)
  t.match(migrated.stderr, 'Database schema is up to date.')
})

t.test('bad input: usage errors exit 2, domain errors exit 1', async t => {
  const env = await cliEnv(t)
  const noArgs = await run(env)
  t.equal(noArgs.code, 2)
  t.match(noArgs.stdout, 'Usage: carescim')
  const unknown = await run(env, 'tenant', 'explode')
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, 'unknown command "tenant explode"')
  const badSlug = await run(env, 'tenant', 'create', 'Not A Slug')
  t.equal(badSlug.code, 1)
  t.match(badSlug.stderr, 'Invalid tenant slug "Not A Slug"')
  const missing = await run(env, 'token', 'rotate', 'nobody')
  t.equal(missing.code, 1)
  t.match(missing.stderr, 'No tenant "nobody"')
  const badConfig = await run({ ...env, PORT: 'x' }, 'tenant', 'list')
  t.equal(badConfig.code, 1)
  t.match(badConfig.stderr, 'Invalid setting PORT')
})

t.test('account create: the bootstrap of a first user administrator, with the activation mail sent', async t => {
  const smtp = await startSmtpServer(t)
  const env = { ...await cliEnv(t), SMTP_URL: smtp.url }
  t.equal((await run(env, 'tenant', 'create', 'clinic', '--name', 'Clinic', '--json')).code, 0)
  const created = await run(env, 'account', 'create', 'clinic', '--email', 'anna@clinic.test', '--given-name', 'Anna', '--family-name', 'de Vries', '--role', 'user-admin', '--role', 'practitioner', '--json')
  t.equal(created.code, 0, created.stderr)
  const account = JSON.parse(created.stdout) as Record<string, unknown>
  t.match(account, { tenant: 'clinic', email: 'anna@clinic.test', status: 'created', roles: ['user-admin', 'practitioner'] })
  t.match(created.stderr, /Sending the activation mail/)
  t.equal(smtp.messages.length, 1, 'the mail went out before the command ended')
  t.match(linkIn(smtp.messages[0]!, 'http://scim.test/activate?token='), /token=[A-Za-z0-9_-]{43}&tenant=clinic$/)

  const again = await run(env, 'account', 'create', 'clinic', '--email', 'anna@clinic.test', '--given-name', 'A', '--family-name', 'B', '--role', 'user-admin')
  t.equal(again.code, 1)
  t.match(again.stderr, 'already a member of this tenant')
  const unknownRole = await run(env, 'account', 'create', 'clinic', '--email', 'x@clinic.test', '--given-name', 'A', '--family-name', 'B', '--role', 'wizard')
  t.equal(unknownRole.code, 1)
  t.match(unknownRole.stderr, 'Unknown role(s): wizard')
  const missing = await run(env, 'account', 'create', 'clinic', '--email', 'x@clinic.test')
  t.equal(missing.code, 2)
  const noTenant = await run(env, 'account', 'create', 'nowhere', '--email', 'x@clinic.test', '--given-name', 'A', '--family-name', 'B', '--role', 'patient')
  t.equal(noTenant.code, 1)
  t.match(noTenant.stderr, 'No tenant "nowhere"')
})

t.test('idp add: registers an OpenID Provider; the secret is never printed', async t => {
  const env = await cliEnv(t)
  t.equal((await run(env, 'tenant', 'create', 'clinic', '--json')).code, 0)
  const added = await run(env, 'idp', 'add', 'clinic', '--issuer', 'https://broker.example.com', '--client-id', 'carescim', '--client-secret', 'top-secret-value',
    '--purpose', 'patient-enrolment', '--policy', 'auto', '--national-id-claim', 'bsn', '--national-id-kind', 'bsn', '--acr', 'urn:eidas:loa:substantial', '--json')
  t.equal(added.code, 0, added.stderr)
  const provider = JSON.parse(added.stdout) as Record<string, unknown>
  t.match(provider, { tenant: 'clinic', issuer: 'https://broker.example.com', clientId: 'carescim', purpose: 'patient-enrolment', policy: 'auto', nationalIdClaim: 'bsn', nationalIdKind: 'bsn', acrValues: ['urn:eidas:loa:substantial'] })
  t.notMatch(added.stdout, /top-secret-value/)
  const badPurpose = await run(env, 'idp', 'add', 'clinic', '--issuer', 'https://x.example.com', '--client-id', 'a', '--client-secret', 'b', '--purpose', 'fun')
  t.equal(badPurpose.code, 2)
  const noKind = await run(env, 'idp', 'add', 'clinic', '--issuer', 'https://x.example.com', '--client-id', 'a', '--client-secret', 'b', '--purpose', 'patient-enrolment')
  t.equal(noKind.code, 1)
  t.match(noKind.stderr, "national identifier's kind")
})
