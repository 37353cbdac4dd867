// Developer tool: `npm run migration:create -- <snake_case_name>` writes src/persistence/migrations/Migration<ts>_<name>.ts
// with the difference between the entities and the committed migrations, computed on a fresh in-memory
// database. Then add the new class to migrations/index.ts by hand (a reviewed, static list).
import { openDatabase } from './database.js'

const name = process.argv[2]
if (name === undefined || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:create -- <snake_case_name>')
  process.exit(2)
}
const database = await openDatabase({ databaseUrl: undefined, dataDir: undefined, poolMax: 1 })
try {
  await database.migrate()
  const result = await database.orm.getMigrator().createMigration(undefined, false, false, name)
  if (result.diff.up.length === 0) console.log('No changes: the entities match the migrations.')
  else console.log(`Wrote ${result.fileName}:\n${result.diff.up.join('\n')}`)
} finally {
  await database.close()
}
