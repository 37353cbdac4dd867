// A transaction that PostgreSQL picks as a deadlock's victim runs again (sql.ts): both changes land.
import t from 'tap'
import { openDatabase } from '../../src/persistence/database.js'
import { reader, transaction } from '../../src/persistence/sql.js'
import { freshDatabaseUrl } from '../helpers/database.js'

t.test('two transactions locking two rows in opposite orders both commit', async t => {
  const databaseUrl = await freshDatabaseUrl(t)
  // The embedded database has one connection: nothing there can wait on anything else.
  if (databaseUrl === undefined) return t.pass('skipped: needs a PostgreSQL server (TEST_DATABASE_URL)')
  const database = await openDatabase({ databaseUrl, dataDir: undefined, poolMax: 4 })
  t.teardown(database.close)
  const sql = reader(database.orm)
  await sql.query('create table probe (id int primary key, writers text[] not null default \'{}\')')
  await sql.query('insert into probe (id) values (1), (2)')

  // Each takes its first row, waits until the other has taken its own, then asks for the other's.
  let taken = 0
  const bothTaken = async () => {
    taken++
    while (taken < 2) await new Promise(resolve => setTimeout(resolve, 5))
  }
  const attempts = { a: 0, b: 0 }
  const write = async (name: 'a' | 'b', first: number, second: number) => await transaction(database.orm, async tx => {
    attempts[name]++
    await tx.query("set local deadlock_timeout = '100ms'")
    await tx.query('update probe set writers = writers || ?::text where id = ?', [name, first])
    if (attempts[name] === 1) await bothTaken()
    await tx.query('update probe set writers = writers || ?::text where id = ?', [name, second])
  })
  await Promise.all([write('a', 1, 2), write('b', 2, 1)])

  t.equal(attempts.a + attempts.b, 3, 'one of them ran twice')
  const rows = await sql.query<{ id: number, writers: string[] }>('select id, writers from probe order by id')
  t.same(rows.map(row => [...row.writers].sort()), [['a', 'b'], ['a', 'b']], 'each row written once by each')
})
