/**
 * The bench tenant's data, written with a few set-based statements (generate_series, data-modifying
 * CTEs) rather than 100,000 HTTP calls: seeding is not what is measured.
 */
import type { Runtime } from '../src/runtime.js'
import { executor, type Execute } from './database.js'
import { BENCH_TENANT, type BenchSettings } from './settings.js'

/** Every account the benchmark creates has an address at this domain (seeded: seed-…, POSTed: post-…). */
export const BENCH_MAIL_DOMAIN = 'bench.carescim.test'
const BIG_GROUP = 'Bench all staff'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

export interface SeedResult {
  tenantId: string
  /** A fresh SCIM token of the bench tenant (the previous ones are revoked). */
  token: string
  groupId: string
  seeded: boolean
  seconds: number
}

export async function seed (runtime: Runtime, settings: BenchSettings, log: (line: string) => void): Promise<SeedResult> {
  const started = performance.now()
  const execute = executor(runtime)

  const existing = (await runtime.tenants.listTenants()).find(t => t.slug === BENCH_TENANT)
  const { tenant, token } = existing === undefined
    ? await runtime.tenants.createTenant(BENCH_TENANT, 'CareSCIM benchmark')
    : await runtime.tenants.rotateToken(BENCH_TENANT)
  await removePostedUsers(execute, tenant.id)
  // The POST scenario creates thousands of users a run: above the default daily quota (200), which would
  // turn it into a measurement of 429 answers. A tenant onboarding its staff would be given such a quota.
  await runtime.tenants.configure(BENCH_TENANT, { ...tenant.settings, quotas: { ...tenant.settings.quotas, create: 10_000_000 } })

  const counts = await countsOf(execute, tenant.id)
  if (counts.users === settings.users && counts.members === settings.groupMembers && counts.groupId !== undefined) {
    log(`seed: tenant "${BENCH_TENANT}" already holds ${counts.users} users and a group of ${counts.members} members; not seeding`)
    await vacuum(execute, log)
    return { tenantId: tenant.id, token, groupId: counts.groupId, seeded: false, seconds: (performance.now() - started) / 1000 }
  }
  if (counts.users > 0) {
    log(`seed: tenant "${BENCH_TENANT}" holds ${counts.users} users and ${counts.members} members, not ${settings.users}/${settings.groupMembers}; reseeding`)
    await removeTenantData(execute, tenant.id)
  }
  log(`seed: ${settings.users} accounts and memberships…`)
  await insertUsers(execute, tenant.id, settings.users)
  log(`seed: a group of ${settings.groupMembers} members…`)
  const groupId = await insertGroup(execute, tenant.id, settings.groupMembers)
  await vacuum(execute, log)
  const seconds = (performance.now() - started) / 1000
  log(`seed: done in ${seconds.toFixed(1)} s`)
  return { tenantId: tenant.id, token, groupId, seeded: true, seconds }
}

/**
 * What autovacuum would have done by the time a tenant this size is in use: statistics, the visibility map
 * and no dead rows. On every run, not only after seeding: each run leaves some 100,000 dead rows (the group
 * PATCH's member rows, the PATCHed and removed users, the sent mails), and where autovacuum is off (as on
 * this project's CI machines) they piled up from run to run and slowed the next runs down.
 */
async function vacuum (execute: Execute, log: (line: string) => void): Promise<void> {
  log('seed: vacuum analyze…')
  await execute('vacuum (analyze)')
}

/**
 * What a run's POST scenario leaves: its users (the seeded data set stays the same from run to run) and
 * their activation mails. Left queued, those thousands of mails were sent by the next run's server during
 * its first scenarios (the floor and the filter), competing with them for the CPU.
 */
export async function removePostedUsers (execute: Execute, tenantId: string): Promise<void> {
  await execute('delete from outbox_mail where tenant_id = ?', [tenantId])
  await execute(`delete from group_member gm using membership m
    where gm.tenant_id = ? and gm.member_id = m.id and m.user_name like 'post-%'`, [tenantId])
  await execute(`delete from membership where tenant_id = ? and user_name like 'post-%'`, [tenantId])
  await execute(`delete from account a where a.email like ? and not exists (select 1 from membership m where m.account_id = a.id)`,
    [`post-%@${BENCH_MAIL_DOMAIN}`])
}

async function countsOf (execute: Execute, tenantId: string): Promise<{ users: number, members: number, groupId: string | undefined }> {
  const [users] = await execute<{ n: string }>('select count(*) as n from membership where tenant_id = ?', [tenantId])
  const [group] = await execute<{ id: string, n: string }>(
    `select g.id, (select count(*) from group_member gm where gm.tenant_id = g.tenant_id and gm.group_id = g.id) as n
     from scim_group g where g.tenant_id = ? and g.display_name = ?`, [tenantId, BIG_GROUP])
  return { users: Number(users?.n ?? 0), members: Number(group?.n ?? 0), groupId: group?.id }
}

async function removeTenantData (execute: Execute, tenantId: string): Promise<void> {
  await execute('delete from group_member where tenant_id = ?', [tenantId])
  await execute('delete from scim_group where tenant_id = ?', [tenantId])
  await execute('delete from membership where tenant_id = ?', [tenantId])
  await execute(`delete from account a where a.email like ? and not exists (select 1 from membership m where m.account_id = a.id)`,
    [`%@${BENCH_MAIL_DOMAIN}`])
}

/**
 * Accounts with the personal data an IdP sends (name, emails, phone, title, locale), memberships with the
 * enterprise extension, as a real User would have; `seed-000001@…` is both userName and login email.
 * Timestamps spread over a year, so that created/lastModified are not all equal.
 */
async function insertUsers (execute: Execute, tenantId: string, users: number): Promise<void> {
  await execute(`
    with person as (
      select i,
        format('seed-%s@${BENCH_MAIL_DOMAIN}', lpad(i::text, 6, '0')) as email,
        (array['Anna','Bram','Chloé','Daan','Emma','Finn','Greta','Hugo','Iris','Jens','Katja','Lars','Mila','Noah','Olga','Pieter','Sanne','Timo','Ulla','Vera'])[1 + i % 20] as given,
        (array['de Vries','Jansen','Müller','Schmidt','Nielsen','Hansen','Virtanen','Korhonen','Bakker','Visser','Meyer','Larsen','Mäkinen','Smit','Weber','Berg','Koch','Lund','Laine','Mulder'])[1 + (i / 20) % 20] || ' ' || i as family,
        (array['Nurse','Physician','Midwife','Pharmacist','Physiotherapist','Radiographer','Ward clerk','Surgeon'])[1 + i % 8] as title,
        (array['Cardiology','Emergency','Oncology','Paediatrics','Radiology','Surgery','Pharmacy','Administration'])[1 + (i / 7) % 8] as department,
        now() - make_interval(secs => (i % 31536000)) as created
      from generate_series(1, ?::int) as s(i)
    ), account_rows as (
      insert into account (id, email, profile, registration_seq, version, created_at, updated_at)
      select gen_random_uuid(), p.email, jsonb_build_object(
          'name', jsonb_build_object('formatted', p.given || ' ' || p.family, 'givenName', p.given, 'familyName', p.family),
          'displayName', p.given || ' ' || p.family,
          'title', p.title,
          'emails', jsonb_build_array(jsonb_build_object('value', p.email, 'type', 'work', 'primary', true)),
          'phoneNumbers', jsonb_build_array(jsonb_build_object('value', format('+31 20 555 %s', lpad((p.i % 10000)::text, 4, '0')), 'type', 'work')),
          'preferredLanguage', 'nl-NL', 'locale', 'nl-NL', 'timezone', 'Europe/Amsterdam'),
        nextval('account_registration_seq'), 1, p.created, p.created
      from person p
      returning id, email, created_at
    )
    insert into membership (id, tenant_id, account_id, user_name, external_id, status, attributes, version, created_at, updated_at)
    select gen_random_uuid(), ?, a.id, a.email, gen_random_uuid()::text, 'active', jsonb_build_object(?::text, jsonb_build_object(
        'employeeNumber', split_part(split_part(a.email::text, '@', 1), '-', 2),
        'department', p.department, 'organization', 'Bench Care Group', 'costCenter', 'CC-' || (p.i % 50))),
      1, a.created_at, a.created_at
    from account_rows a join person p on p.email = a.email::text`,
  [users, tenantId, ENTERPRISE])
}

/** One group holding the first `members` seeded users (seed-000001 …). */
async function insertGroup (execute: Execute, tenantId: string, members: number): Promise<string> {
  const [group] = await execute<{ id: string }>(
    `insert into scim_group (id, tenant_id, display_name, external_id, attributes, version, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, gen_random_uuid()::text, '{}'::jsonb, 1, now(), now()) returning id`,
    [tenantId, BIG_GROUP])
  await execute(`
    insert into group_member (tenant_id, group_id, member_id, member_type, created_at)
    select ?, ?, m.id, 'User', now() from membership m
    where m.tenant_id = ? and m.user_name <= ?`,
  [tenantId, group!.id, tenantId, `seed-${String(members).padStart(6, '0')}@${BENCH_MAIL_DOMAIN}`])
  return group!.id
}
