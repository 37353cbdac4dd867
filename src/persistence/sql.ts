import { createHash } from 'node:crypto'
import { DeadlockException, DriverException, type MikroORM } from '@mikro-orm/postgresql'

/**
 * Raw, parameterised SQL with `?` placeholders: a transaction's statements (`transaction()`) or single
 * reads (`reader()`). Values go to pg as they are: a JS array becomes a PostgreSQL array
 * (`= any(?::uuid[])`), an object its JSON.
 */
export interface Sql {
  query: <T>(sql: string, params?: unknown[]) => Promise<T[]>
}

/**
 * One transaction per change: the resource write and everything that goes with it commit together.
 * Its statements run on the transaction's connection as prepared statements, as `reader()`'s do: through
 * `em.execute` they went as text with the values inlined, and PostgreSQL planned each one afresh (the
 * User row query twice per PATCH: 0.9-1.3 ms each, where its execution takes 0.07 ms).
 */
export async function transaction<T> (orm: MikroORM, work: (sql: Sql) => Promise<T>): Promise<T> {
  return await retryingDeadlocks(async () => await orm.em.fork().transactional(async em => {
    // knex hands a transaction's own client the connection the transaction holds (makeTxClient).
    const { client } = em.getTransactionContext<{ client: ConnectionSource }>()!
    const connection = await client.acquireConnection()
    return await work({ query: async <T>(sql: string, params: unknown[] = []) => await prepared<T>(orm, connection, sql, params) })
  }))
}

const DEADLOCK_ATTEMPTS = 3

/**
 * Runs `run` again when PostgreSQL chose it as a deadlock's victim (40P01): it was rolled back whole, and
 * the other side holds its locks no more. Triggers rewrite the stored parts of Users (migration
 * stored_user_rows): changes of two groups with the same members can lock those in opposite orders.
 */
async function retryingDeadlocks<T> (run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (!(error instanceof DeadlockException) || attempt === DEADLOCK_ATTEMPTS) throw error
    }
  }
}

/** What `reader()` needs of a pg client from the pool (pg's Client). */
interface PooledClient {
  query: (config: { name?: string, text: string, values: unknown[] }) => Promise<{ rows: unknown[] }>
}

/** knex's client: the pool's, or a transaction's (whose connection is the transaction's). */
interface ConnectionSource {
  acquireConnection: () => Promise<PooledClient>
  releaseConnection: (connection: PooledClient) => Promise<void>
}

interface Statement { name: string, text: string }

// Per SQL text: its `$n` form and a statement name. Bounded: filters make texts without end.
const statements = new Map<string, Statement>()
const MAX_STATEMENT_TEXTS = 1000
// Per connection: the statements PostgreSQL keeps prepared for it (session memory), also bounded.
const preparedOn = new WeakMap<PooledClient, Set<string>>()
const MAX_PREPARED_PER_CONNECTION = 200

function statementOf (sql: string): Statement {
  let statement = statements.get(sql)
  if (statement === undefined) {
    let n = 0
    statement = { name: `r${createHash('sha1').update(sql).digest('base64url')}`, text: sql.replaceAll('?', () => `$${++n}`) }
    if (statements.size >= MAX_STATEMENT_TEXTS) statements.clear()
    statements.set(sql, statement)
  }
  return statement
}

/**
 * Reads outside a transaction (one statement each), as named prepared statements on the pool's pg
 * connection: PostgreSQL parses a statement once per connection and, after a few executions, reuses a
 * generic plan. Planning the User row query (joins, the supervisor and groups subqueries) costs several
 * times its execution. Parameters travel as values, not inlined literals, so the text repeats.
 */
export function reader (orm: MikroORM): Sql {
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      const pool = orm.em.getConnection().getKnex().client as ConnectionSource
      return await retryingDeadlocks(async () => {
        const connection = await pool.acquireConnection()
        try {
          return await prepared<T>(orm, connection, sql, params)
        } finally {
          await pool.releaseConnection(connection)
        }
      })
    }
  }
}

/** One statement on `connection`, named (prepared once per connection) while the connection has room. */
async function prepared<T> (orm: MikroORM, connection: PooledClient, sql: string, params: unknown[]): Promise<T[]> {
  try {
    const { name, text } = statementOf(sql)
    let names = preparedOn.get(connection)
    if (names === undefined) preparedOn.set(connection, names = new Set())
    const named = names.has(name) || names.size < MAX_PREPARED_PER_CONNECTION
    if (named) names.add(name)
    const result = await connection.query({ ...(named ? { name } : {}), text, values: params })
    return result.rows as T[]
  } catch (error) {
    throw orm.em.getDriver().convertException(error as Error)
  }
}

/** The name of the unique constraint a statement violated, if that is why it failed. */
export function violatedUniqueConstraint (error: unknown): string | undefined {
  if (!(error instanceof DriverException) || error.code !== '23505') return undefined
  return (error as DriverException & { constraint?: string }).constraint
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids from a URL or body are checked before they reach a uuid column (PostgreSQL would answer with an error). */
export function isUuid (value: string): boolean {
  return UUID.test(value)
}

/** A trusted identifier (from our own schema files) as a SQL string literal. */
export function sqlString (value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
