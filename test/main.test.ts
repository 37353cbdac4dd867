import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { freshDatabaseUrl, temporaryDirectory } from './helpers/database.js'

t.test('the server announces itself, serves, and shuts down gracefully on SIGTERM', async t => {
  const dataDir = temporaryDirectory(t)
  const databaseUrl = await freshDatabaseUrl(t)
  const secrets = { SESSION_SIGNING_KEY: 's'.repeat(40), NATIONAL_ID_HMAC_KEY: 'n'.repeat(40), ENCRYPTION_KEY: 'e'.repeat(40) }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...secrets, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', chunk => { stderr += String(chunk) })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', chunk => {
      stdout += String(chunk)
      const match = /CareSCIM listening on (http:\/\/[\d.]+:\d+)/.exec(stdout)
      if (match !== null) resolve(match[1]!)
    })
    void exited.then(code => reject(new Error(`exited with ${code}: ${stderr}`)))
  })
  t.match(stdout, /^CareSCIM starting: /, 'says what it is doing first')
  t.match(stdout, databaseUrl === undefined ? `Database: embedded PostgreSQL (PGlite) in ${dataDir}` : 'Database: PostgreSQL at postgres://')
  t.match(stdout, 'To create a tenant: ')
  t.same(await (await fetch(`${url}/readyz`)).json(), { status: 'ready' })

  child.kill('SIGTERM')
  t.equal(await exited, 0, 'exit code 0')
  t.match(stderr, 'SIGTERM: shutting down')
  if (databaseUrl === undefined) t.notOk(existsSync(join(dataDir, 'carescim.pid')), 'the data directory is released')
})
