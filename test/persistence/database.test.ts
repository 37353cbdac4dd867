import t from 'tap'
import { openDatabase } from '../../src/persistence/database.js'
import { migrationsList } from '../../src/persistence/migrations/index.js'
import { DataDirectoryInUseError } from '../../src/persistence/data-directory-lock.js'
import { freshDatabaseUrl, temporaryDirectory } from '../helpers/database.js'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

t.test('migrations run up on an empty database, then have nothing left to do', async t => {
  const databaseUrl = await freshDatabaseUrl(t)
  const database = await openDatabase({ databaseUrl, dataDir: undefined, poolMax: 2 })
  t.teardown(database.close)
  const applied = await database.migrate()
  t.same(applied, migrationsList.map(m => m.name), 'every committed migration, in order')
  const tables = await database.orm.em.fork().getConnection().execute<Array<{ tablename: string }>>(
    "select tablename from pg_tables where schemaname = 'public' order by tablename"
  )
  t.same(tables.map(r => r.tablename), ['account', 'audit_event', 'group_member', 'identity_provider', 'login_request', 'membership', 'mikro_orm_migrations', 'national_identity', 'one_time_token', 'org_unit', 'outbox_mail', 'quota_usage', 'scim_group', 'scim_token', 'staff_tally', 'tenant', 'user_groups'])
  const extensions = await database.orm.em.fork().getConnection().execute<Array<{ extname: string }>>('select extname from pg_extension order by extname')
  t.ok(extensions.some(e => e.extname === 'citext'), 'citext')
  t.same(await database.migrate(), [], 'idempotent')
})

t.test('a failing query does not stall the connection (pglite-socket queue)', async t => {
  const databaseUrl = await freshDatabaseUrl(t)
  const database = await openDatabase({ databaseUrl, dataDir: undefined, poolMax: 1 })
  t.teardown(database.close)
  const connection = database.orm.em.fork().getConnection()
  await t.rejects(connection.execute('select * from no_such_table'), /no_such_table/)
  await t.rejects(connection.execute('select 1/0'), /division by zero/)
  t.same(await connection.execute('select 41 + 1 as answer'), [{ answer: 42 }])
})

t.test('embedded database: data survives a restart; the directory is guarded', async t => {
  const dataDir = temporaryDirectory(t)
  const first = await openDatabase({ databaseUrl: undefined, dataDir, poolMax: 5 })
  await first.migrate()
  t.match(first.description, `embedded PostgreSQL (PGlite) in ${dataDir}`)
  await first.orm.em.fork().getConnection().execute("insert into tenant (id, slug, display_name, settings, created_at, updated_at) values ('00000000-0000-4000-8000-000000000001', 'kept', 'Kept', '{}', now(), now())")

  await t.rejects(openDatabase({ databaseUrl: undefined, dataDir, poolMax: 1 }), DataDirectoryInUseError, 'a second process (or opener) is refused')
  try {
    await openDatabase({ databaseUrl: undefined, dataDir, poolMax: 1 })
  } catch (error) {
    t.match((error as Error).message, `The data directory ${dataDir} is in use by process ${process.pid}`)
  }
  await first.close()

  const second = await openDatabase({ databaseUrl: undefined, dataDir, poolMax: 1 })
  t.teardown(second.close)
  t.same(await second.migrate(), [], 'schema kept')
  const rows = await second.orm.em.fork().getConnection().execute('select slug from tenant')
  t.same(rows, [{ slug: 'kept' }], 'data kept')
})

t.test('a stale lock left by a dead process is taken over', async t => {
  const dataDir = temporaryDirectory(t)
  writeFileSync(join(dataDir, 'carescim.pid'), '2147483646')
  const database = await openDatabase({ databaseUrl: undefined, dataDir, poolMax: 1 })
  await database.close()
  t.pass('opened despite the stale pid file')
})
