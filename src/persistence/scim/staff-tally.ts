import type { ListQuery } from '../../domain/scim/paging.js'
import type { SqlFragment } from '../scim-sql/index.js'
import type { Sql } from '../sql.js'

/**
 * A tenant's staff (its SCIM Users) listed whole, in id order: the reconciliation read every IdP pages
 * through. totalResults comes from staff_tally (per-bucket delta rows kept by triggers, see the entity)
 * instead of counting every membership, and a deep startIndex skips whole buckets by their counts, then
 * steps over fewer than one bucket's rows. One statement: the total and the page share one snapshot.
 */
export function isWholeStaffList (query: ListQuery, kind: string | undefined): boolean {
  return kind === 'staff' && query.filter === undefined && query.sortBy === undefined
}

// Summed per bucket in the reader's snapshot: exact, whatever has not been folded yet.
const TALLY = `tally as (select bucket, sum(delta)::int as n, count(*)::int as entries from staff_tally where tenant_id = ? group by bucket)`

// The first uuid of a bucket: its first byte, the rest zero (uuids compare bytewise, as their text does).
const BUCKET_START = `(lpad(to_hex(start.bucket::int), 2, '0') || '000000-0000-0000-0000-000000000000')::uuid`

/**
 * `with …` (the tally, and where the page starts) and the page's ids as `m.id = any(array(…))`, for the
 * caller's row query; the statement adds TALLY_COLUMNS (the total, and how many rows the tally has).
 */
export function wholeStaffPage (tenantId: string, query: ListQuery): { with: string, ids: SqlFragment } {
  const staff = 'select m.id from membership m where m.tenant_id = ? and m.kind = \'staff\''
  // The page size as a literal (an integer, bounded by maxResults): with `limit $n` PostgreSQL costs the
  // generic plan for 10 % of the rows and re-plans the statement on every execution (0.5 ms).
  const limit = `limit ${Math.trunc(query.limit)}`
  if (query.after !== undefined) {
    return {
      with: `with ${TALLY}, totals as (select coalesce(sum(n), 0)::int as total, coalesce(sum(entries), 0)::int as entries from tally)`,
      ids: { sql: `m.id = any(array(${staff} and m.id > ? order by m.id ${limit}))`, params: [tenantId, query.after] }
    }
  }
  return {
    with: `with ${TALLY}, totals as (select coalesce(sum(n), 0)::int as total, coalesce(sum(entries), 0)::int as entries from tally),
      placed as (select bucket, n, sum(n) over (order by bucket) as upto from tally),
      start as (select bucket, upto - n as before from placed where upto > ? order by bucket limit 1)`,
    // No start bucket (the offset is past the end): id >= null matches nothing.
    ids: {
      sql: `m.id = any(array(${staff} and m.id >= (select ${BUCKET_START} from start) order by m.id ${limit} offset (select ? - start.before from start)))`,
      params: [tenantId, query.offset]
    }
  }
}

export const TALLY_COLUMNS = '(select total from totals) as total, (select entries from totals) as tally_entries'

// Every write adds a row; past this many, a read folds them (a bucket's rows into one): reads stay short.
const FOLD_AFTER_ENTRIES = 512

/**
 * One statement: the deleted rows' sums come back as one row per bucket, atomically for every reader.
 * Two folds at once are safe: the second skips the rows the first deleted (and sums only its own).
 */
export async function foldStaffTally (sql: Sql, tenantId: string, entries: number): Promise<void> {
  if (entries <= FOLD_AFTER_ENTRIES) return
  await sql.query(
    `with gone as (delete from staff_tally where tenant_id = ? returning bucket, delta)
     insert into staff_tally (tenant_id, bucket, delta) select ?, bucket, sum(delta) from gone group by bucket having sum(delta) <> 0`,
    [tenantId, tenantId])
}
