import t from 'tap'
import { openDatabase } from '../../../src/persistence/database.js'
import { SqlUserStore } from '../../../src/persistence/scim/user-store.js'
import { foldStaffTally } from '../../../src/persistence/scim/staff-tally.js'
import { reader } from '../../../src/persistence/sql.js'
import { defaultSchemaDirectory, SchemaRegistry } from '../../../src/scim/schema/registry.js'
import { freshDatabaseUrl } from '../../helpers/database.js'

// The whole-staff list (no filter, no sortBy) reads totals and deep offsets from staff_tally: it must
// answer exactly what counting and OFFSET over the memberships would, after any mix of writes.
t.test('staff_tally: totals and deep offsets equal counting the memberships', async t => {
  const database = await openDatabase({ databaseUrl: await freshDatabaseUrl(t), dataDir: undefined, poolMax: 2 })
  t.teardown(async () => { await database.close() })
  await database.migrate()
  const sql = reader(database.orm)
  const store = new SqlUserStore(database.orm, SchemaRegistry.fromDirectory(defaultSchemaDirectory()))
  const a = '10000000-0000-4000-8000-000000000000'
  const b = '20000000-0000-4000-8000-000000000000'

  const insertMembers = async (tenantId: string, from: number, to: number, kind: 'staff' | 'patient') => {
    await sql.query(`insert into tenant (id, slug, display_name, settings, created_at, updated_at) values (?, ?, ?, '{}', now(), now()) on conflict do nothing`, [tenantId, tenantId.slice(0, 1), 't'])
    await sql.query(`with accounts as (
        insert into account (id, email, profile, registration_seq, version, created_at, updated_at)
        select gen_random_uuid(), format('%s-%s-%s@tally.test', ?::text, ?::text, i), '{}', nextval('account_registration_seq'), 1, now(), now()
        from generate_series(?::int, ?::int) i returning id, email)
      insert into membership (id, tenant_id, account_id, user_name, status, kind, attributes, version, created_at, updated_at)
      select gen_random_uuid(), ?, id, email, 'active', ?, '{}', 1, now(), now() from accounts`, [tenantId, kind, from, to, tenantId, kind])
  }
  const expected = async (tenantId: string, offset: number, limit: number) => (await sql.query<{ id: string }>(
    `select id from membership where tenant_id = ? and kind = 'staff' order by id offset ? limit ?`, [tenantId, offset, limit])).map(r => r.id)
  const expectedTotal = async (tenantId: string) => Number((await sql.query<{ n: string }>(
    `select count(*) as n from membership where tenant_id = ? and kind = 'staff'`, [tenantId]))[0]!.n)

  const check = async (label: string) => {
    for (const tenantId of [a, b]) {
      const total = await expectedTotal(tenantId)
      for (const offset of [0, 1, 57, 255, 256, Math.max(total - 3, 0), total, total + 10]) {
        const page = await store.list(tenantId, { offset, limit: 7 }, 'staff')
        t.same(page.items.map(u => u.id), await expected(tenantId, offset, 7), `${label}: offset ${offset}`)
        t.equal(page.total, total, `${label}: total`)
      }
      t.equal((await store.list(tenantId, { offset: 0, limit: 0 }, 'staff')).total, total, `${label}: count=0`)
      // Cursor paging walks every staff member once, in id order.
      const walked: string[] = []
      let after: string | undefined
      for (;;) {
        const page = await store.list(tenantId, { offset: 0, limit: 50, ...(after === undefined ? {} : { after }) }, 'staff')
        t.equal(page.total, total)
        walked.push(...page.items.map(u => u.id))
        if (page.items.length < 50) break
        after = page.items[page.items.length - 1]!.id
      }
      t.same(walked, await expected(tenantId, 0, total + 1), `${label}: cursor walk`)
    }
  }

  await insertMembers(a, 1, 700, 'staff')
  await insertMembers(a, 701, 740, 'patient')
  await insertMembers(b, 1, 30, 'staff')
  await check('bulk inserts')

  await sql.query(`delete from membership where tenant_id = ? and id in (select id from membership where tenant_id = ? order by id limit 25)`, [a, a])
  await sql.query(`update membership set kind = 'patient' where id in (select id from membership where tenant_id = ? and kind = 'staff' order by id desc limit 10)`, [a])
  await sql.query(`update membership set kind = 'staff' where id in (select id from membership where tenant_id = ? and kind = 'patient' limit 5)`, [a])
  await sql.query(`update membership set status = 'inactive' where tenant_id = ?`, [b])
  await check('deletes and kind changes')

  // Folding keeps the sums and leaves at most one row per bucket.
  const tally = async (tenantId: string) => (await sql.query<{ total: number, entries: number }>(
    'select sum(delta)::int as total, count(*)::int as entries from staff_tally where tenant_id = ?', [tenantId]))[0]!
  const before = await tally(a)
  await foldStaffTally(sql, a, Number.MAX_SAFE_INTEGER)
  const after = await tally(a)
  t.equal(after.total, before.total)
  t.ok(after.entries <= 256 && after.entries < before.entries, `${before.entries} rows folded into ${after.entries}`)
  await check('folded')

  const empty = '30000000-0000-4000-8000-000000000000'
  t.same(await store.list(empty, { offset: 0, limit: 5 }, 'staff'), { items: [], total: 0 }, 'a tenant without users')

  await sql.query('truncate membership cascade')
  t.same(await store.list(a, { offset: 0, limit: 5 }, 'staff'), { items: [], total: 0 }, 'truncated: nobody left to count')
})
