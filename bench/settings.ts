import { readFileSync } from 'node:fs'

/** The benchmark's knobs, from BENCH_* environment variables (see bench/README.md). */
export interface BenchSettings {
  databaseUrl: string
  /** Seeded users (accounts + memberships) in the bench tenant. */
  users: number
  /** Members of the one big group (the first `groupMembers` seeded users). */
  groupMembers: number
  /** Measured seconds per scenario. */
  durationSeconds: number
  /** Unmeasured seconds before each scenario (JIT, caches, pool). */
  warmupSeconds: number
  connections: number
  /** Scenario ids to run (BENCH_ONLY=filter,patch-group); undefined = all. The floor always runs. */
  only: string[] | undefined
  /** The server's entry point: src/main.ts (run under tsx) or dist/main.js (`npm run build` first). */
  serverEntry: string
  /** The node flags of `npm start` (package.json), then extraNodeArguments: server and floor run as production runs. */
  nodeArguments: string[]
  /**
   * BENCH_NODE_ARGS: extra node arguments of the server and floor processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
   * to profile them (such a run is for investigating and never writes the README).
   */
  extraNodeArguments: string[]
  /** Where the results table goes (between the markers); empty = do not write. */
  readmePath: string
}

export const BENCH_TENANT = 'bench'

export function benchSettings (env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const extraNodeArguments = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const settings: BenchSettings = {
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carescim_bench',
    // userNames carry a six-digit number (seed-000001@…)
    users: integer(env, 'BENCH_USERS', 100_000, 1_000, 999_999),
    groupMembers: integer(env, 'BENCH_GROUP_MEMBERS', 50_000, 1),
    durationSeconds: integer(env, 'BENCH_DURATION', 10, 1),
    warmupSeconds: integer(env, 'BENCH_WARMUP', 2, 0),
    connections: integer(env, 'BENCH_CONNECTIONS', 10, 1),
    only: env.BENCH_ONLY === undefined || env.BENCH_ONLY === '' ? undefined : env.BENCH_ONLY.split(',').map(id => id.trim()),
    // As production runs it (`npm start`): compiled, no tsx loader in the memory figures.
    serverEntry: env.BENCH_SERVER_ENTRY ?? 'dist/main.js',
    nodeArguments: [...startFlags(), ...extraNodeArguments],
    extraNodeArguments,
    readmePath: env.BENCH_README ?? new URL('./README.md', import.meta.url).pathname
  }
  // The group PATCH scenario adds users who are not yet members: some must be left over.
  if (settings.groupMembers >= settings.users) throw new Error('BENCH_GROUP_MEMBERS must be smaller than BENCH_USERS')
  if (!/^postgres(ql)?:\/\/[^/]+\/\w+$/.test(settings.databaseUrl)) throw new Error('BENCH_DATABASE_URL must be postgres://…/<database name of letters, digits, _>')
  return settings
}

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < minimum || value > maximum) throw new Error(`${name} must be an integer from ${minimum} to ${maximum} (got ${JSON.stringify(text)})`)
  return value
}

/** The flags between `node` and the entry in package.json's start script (`node [flags] dist/main.js`). */
export function startFlags (): string[] {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
  const words = packageJson.scripts.start.trim().split(/\s+/)
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') throw new Error(`package.json start script is not "node [flags] dist/main.js": ${packageJson.scripts.start}`)
  return words.slice(1, -1)
}
