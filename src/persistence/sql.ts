import { DriverException, type EntityManager, type MikroORM } from '@mikro-orm/postgresql'

/** Raw, parameterised SQL (knex `?` placeholders) inside the caller's transaction. */
export interface Sql {
  query: <T>(sql: string, params?: unknown[]) => Promise<T[]>
}

export function sqlOf (em: EntityManager): Sql {
  return { query: async <T>(sql: string, params: unknown[] = []) => await em.execute<T[]>(sql, bindings(params)) }
}

/**
 * knex expands a JS array binding into a list of values (`in (?)` style); our SQL binds whole arrays
 * (`= any(?::uuid[])`), so arrays travel as PostgreSQL array literals.
 */
function bindings (params: unknown[]): never[] {
  return params.map(p => Array.isArray(p) ? arrayLiteral(p) : p) as never[]
}

function arrayLiteral (values: unknown[]): string {
  return `{${values.map(v => `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

/** One transaction per change: the resource write and everything that goes with it commit together. */
export async function transaction<T> (orm: MikroORM, work: (sql: Sql) => Promise<T>): Promise<T> {
  return await orm.em.fork().transactional(async em => await work(sqlOf(em)))
}

/** Reads outside a transaction (one statement each). */
export function reader (orm: MikroORM): Sql {
  return sqlOf(orm.em.fork())
}

/** The name of the unique constraint a statement violated, if that is why it failed. */
export function violatedUniqueConstraint (error: unknown): string | undefined {
  if (!(error instanceof DriverException) || error.code !== '23505') return undefined
  return (error as DriverException & { constraint?: string }).constraint
}

/** A trusted identifier (from our own schema files) as a SQL string literal. */
export function sqlString (value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
