/**
 * `npm run bench`: seeds the bench tenant on a real PostgreSQL, then drives the server (a child process)
 * with autocannon and prints req/s and latency per scenario against a floor. See bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { machineBusySeconds, startServer, type ServerProcess } from './child.js'
import { ensureDatabase, executor, openBenchRuntime, openMonitor, serverEnvironment, type DatabaseMonitor } from './database.js'
import { loadFixtures, type Fixtures } from './fixtures.js'
import { measure, prepare, type LoadOptions, type Scenario } from './load.js'
import { checkTargets, loadAverage, machine, revision, renderResults, shownSettings, writeResultsSection, type RunReport, type ScenarioRun } from './report.js'
import { floorScenario, scimScenarios } from './scenarios.js'
import { removePostedUsers, seed } from './seed.js'
import { benchSettings, type BenchSettings } from './settings.js'

const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`)

async function main (): Promise<void> {
  const settings = benchSettings()
  const started = performance.now()
  // Read before anything runs: the code the server starts with, not what the tree holds by the end.
  const runRevision = revision()
  if (await ensureDatabase(settings.databaseUrl)) log(`created database ${new URL(settings.databaseUrl).pathname.slice(1)}`)
  const dataDir = mkdtempSync(join(tmpdir(), 'carescim-bench-'))
  const environment = serverEnvironment(settings.databaseUrl, dataDir)
  const { fixtures, tenantId, postgres } = await prepareData(settings, environment)
  const scenarios = chosenScenarios(scimScenarios(fixtures), settings.only)
  const load: LoadOptions = {
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
    headers: { authorization: `Bearer ${fixtures.token}`, accept: 'application/scim+json' }
  }

  const monitor = await openMonitor(settings.databaseUrl)
  const loadBefore = loadAverage()
  let measured: { floor: ScenarioRun, runs: ScenarioRun[] }
  try {
    if (settings.serverEntry.startsWith('dist/')) {
      log('server: npm run build')
      execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
    }
    log(`floor: starting bench/floor.ts; server: starting ${settings.serverEntry}`)
    measured = await withServer('bench/floor.ts', environment, settings, async floorServer =>
      await withServer(settings.serverEntry, environment, settings, async server => {
        // The filter target compares two throughputs: floor and filter alternate in rounds, so that both see
        // the same machine (its speed drifts over a run; bench/README.md, "Reading the numbers").
        const filter = scenarios.find(scenario => scenario.id === 'filter')
        const paired = filter === undefined
          ? undefined
          : await alternate([floorServer, floorScenario(fixtures)], [server, filter], load, monitor)
        const done: ScenarioRun[] = []
        for (const scenario of scenarios) done.push(scenario === filter ? paired!.second : await runScenario(server, scenario, load, monitor))
        return { floor: paired?.first ?? await runScenario(floorServer, floorScenario(fixtures), load, monitor), runs: done }
      }))
  } finally {
    await monitor.close()
  }
  const { floor, runs } = measured
  const loadAfter = loadAverage()
  await removeCreatedUsers(environment, tenantId)
  rmSync(dataDir, { recursive: true, force: true })

  const maxServerRssMB = Math.max(...runs.map(run => run.serverRssMB))
  const report: RunReport = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    revision: runRevision,
    machine: machine(postgres),
    settings: shownSettings(settings),
    floor,
    scenarios: runs,
    maxServerRssMB,
    loadAverage: { before: loadBefore, after: loadAfter },
    targets: checkTargets(floor.measurement, runs, maxServerRssMB)
  }
  const results = renderResults(report)
  process.stdout.write(`\n${results}\n\n`)
  saveJson(report)
  // A partial or profiled run (BENCH_ONLY, BENCH_NODE_ARGS) is for investigating: it never replaces the full table.
  if (settings.readmePath !== '' && settings.only === undefined && settings.extraNodeArguments.length === 0) {
    writeResultsSection(settings.readmePath, results)
    log(`results written to ${settings.readmePath}`)
  }
  log(`done in ${((performance.now() - started) / 60_000).toFixed(1)} min`)
}

/** Migrates, seeds (or finds the seeded data) and reads the fixtures, then closes its pool before any load. */
async function prepareData (settings: BenchSettings, environment: Record<string, string>): Promise<{ fixtures: Fixtures, tenantId: string, postgres: string }> {
  const runtime = await openBenchRuntime(environment)
  try {
    const seeded = await seed(runtime, settings, log)
    const fixtures = await loadFixtures(runtime, settings, seeded)
    const [version] = await executor(runtime)<{ v: string }>("select split_part(version(), ' on ', 1) as v")
    return { fixtures, tenantId: seeded.tenantId, postgres: version!.v }
  } finally {
    await runtime.close()
  }
}

/** The POST scenario's users go, so that the next run reads the same data set. */
async function removeCreatedUsers (environment: Record<string, string>, tenantId: string): Promise<void> {
  const runtime = await openBenchRuntime(environment)
  try {
    await removePostedUsers(executor(runtime), tenantId)
  } finally {
    await runtime.close()
  }
}

async function withServer<T> (entry: string, environment: Record<string, string>, settings: BenchSettings, work: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServer(entry, environment, settings.nodeArguments)
  try {
    return await work(server)
  } finally {
    await server.stop()
  }
}

async function runScenario (server: ServerProcess, scenario: Scenario, load: LoadOptions, monitor: DatabaseMonitor): Promise<ScenarioRun> {
  await settle(monitor)
  await quietMachine()
  log(`${scenario.name}: ${load.warmupSeconds} s warm-up, ${load.durationSeconds} s measured`)
  await prepare(server.url, scenario, load)
  server.resetMaxRss()
  const cpuBefore = server.cpuSeconds()
  const machineBefore = machineBusySeconds()
  const measurement = await measure(server.url, scenario, load)
  const perRequest = (seconds: number) => seconds * 1000 / Math.max(measurement.total, 1)
  const serverCpuMsPerRequest = perRequest(server.cpuSeconds() - cpuBefore)
  // Everything else on the machine: PostgreSQL's backends, the load generator (this process), the rest.
  const otherCpuMsPerRequest = perRequest(machineBusySeconds() - machineBefore) - serverCpuMsPerRequest
  const run = { scenario, measurement, serverRssMB: server.maxRssMB(), serverCpuMsPerRequest, otherCpuMsPerRequest }
  log(`  ${measurement.requestsPerSecond.toFixed(0)} req/s, p50 ${measurement.p50} ms, p99 ${measurement.p99} ms, ` +
    `errors ${measurement.errors}, non-2xx ${measurement.non2xx} ${JSON.stringify(measurement.statusCodes)}, ` +
    `RSS ${run.serverRssMB.toFixed(0)} MB, server CPU ${serverCpuMsPerRequest.toFixed(2)} ms/request, ` +
    `rest of the machine ${otherCpuMsPerRequest.toFixed(2)} ms/request`)
  return run
}

const ROUNDS = 3

/**
 * Two scenarios on two servers in ROUNDS alternating rounds of durationSeconds / ROUNDS each, each round after
 * its own warm-up (the other process ran in between), each merged into one run: req/s and CPU over all its
 * rounds, p50 the rounds' median, p99 the highest round's.
 */
async function alternate (first: [ServerProcess, Scenario], second: [ServerProcess, Scenario], load: LoadOptions, monitor: DatabaseMonitor): Promise<{ first: ScenarioRun, second: ScenarioRun }> {
  const rounds: Array<[ScenarioRun, ScenarioRun]> = []
  for (let round = 0; round < ROUNDS; round++) {
    const options = { ...load, durationSeconds: load.durationSeconds / ROUNDS }
    log(`round ${round + 1} of ${ROUNDS}`)
    rounds.push([await runScenario(...first, options, monitor), await runScenario(...second, options, monitor)])
  }
  return { first: merged(rounds.map(([run]) => run)), second: merged(rounds.map(([, run]) => run)) }
}

function merged (runs: ScenarioRun[]): ScenarioRun {
  const sum = (of: (run: ScenarioRun) => number) => runs.reduce((acc, run) => acc + of(run), 0)
  const total = sum(run => run.measurement.total)
  const perRequest = (of: (run: ScenarioRun) => number) => sum(run => of(run) * run.measurement.total) / Math.max(total, 1)
  const statusCodes: Record<string, number> = {}
  for (const run of runs) for (const [code, count] of Object.entries(run.measurement.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count
  const p50s = runs.map(run => run.measurement.p50).sort((a, b) => a - b)
  return {
    scenario: runs[0]!.scenario,
    measurement: {
      // Rounds of equal length: the mean of their rates is the rate over all of them.
      requestsPerSecond: sum(run => run.measurement.requestsPerSecond) / runs.length,
      p50: p50s[Math.floor(p50s.length / 2)]!,
      p99: Math.max(...runs.map(run => run.measurement.p99)),
      errors: sum(run => run.measurement.errors),
      timeouts: sum(run => run.measurement.timeouts),
      non2xx: sum(run => run.measurement.non2xx),
      total,
      statusCodes
    },
    serverRssMB: Math.max(...runs.map(run => run.serverRssMB)),
    serverCpuMsPerRequest: perRequest(run => run.serverCpuMsPerRequest),
    otherCpuMsPerRequest: perRequest(run => run.otherCpuMsPerRequest)
  }
}

function chosenScenarios (scenarios: Scenario[], only: string[] | undefined): Scenario[] {
  if (only === undefined) return scenarios
  const unknown = only.filter(id => !scenarios.some(scenario => scenario.id === id))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: no scenario ${unknown.join(', ')} (known: ${scenarios.map(s => s.id).join(', ')})`)
  return scenarios.filter(scenario => only.includes(scenario.id))
}

const SETTLE_LIMIT_MS = 120_000

/** Waits (up to 2 minutes) until no statement of an earlier scenario is still running in the database. */
async function settle (monitor: DatabaseMonitor): Promise<void> {
  const started = Date.now()
  let active = await monitor.activeStatements()
  if (active === 0) return
  log(`  waiting for ${active} statement(s) left running by the previous scenario…`)
  while (active > 0 && Date.now() - started < SETTLE_LIMIT_MS) {
    await new Promise(resolve => setTimeout(resolve, 250))
    active = await monitor.activeStatements()
  }
  log(active === 0
    ? `  database idle after ${((Date.now() - started) / 1000).toFixed(1)} s`
    : `  still ${active} statement(s) running after ${SETTLE_LIMIT_MS / 1000} s; going on`)
}

const QUIET_LIMIT_MS = 15_000
// Busy CPU seconds per second, all cores together: what an idle machine's own services use, with room.
const QUIET_BUSY = 0.2

/**
 * Waits (up to 15 s) until the machine is nearly idle. A process that has just answered /readyz is still
 * compiling and collecting for a few seconds: the floor's first round, started then, ran at half speed.
 */
async function quietMachine (): Promise<void> {
  const started = Date.now()
  for (;;) {
    const before = machineBusySeconds()
    await new Promise(resolve => setTimeout(resolve, 500))
    const busy = (machineBusySeconds() - before) / 0.5
    if (busy < QUIET_BUSY) return
    if (Date.now() - started > QUIET_LIMIT_MS) {
      log(`  the machine is still busy (${busy.toFixed(2)} CPU seconds per second) after ${QUIET_LIMIT_MS / 1000} s; going on`)
      return
    }
  }
}

/** bench/results/<date>.json (gitignored): every number of the run, status codes included. */
function saveJson (report: RunReport): void {
  const folder = new URL('./results/', import.meta.url)
  mkdirSync(folder, { recursive: true })
  const file = new URL(`${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.json`, folder)
  const scenarios = report.scenarios.map(({ scenario, ...rest }) => ({ id: scenario.id, name: scenario.name, ...rest }))
  const floor = { id: report.floor.scenario.id, measurement: report.floor.measurement }
  writeFileSync(file, JSON.stringify({ ...report, floor, scenarios }, null, 2) + '\n')
  log(`results saved to ${file.pathname}`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
