import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, totalmem } from 'node:os'
import { isClean, type Measurement, type Scenario } from './load.js'
import type { BenchSettings } from './settings.js'

export interface ScenarioRun {
  scenario: Scenario
  measurement: Measurement
  serverRssMB: number
  /** The server process's CPU time over the measured seconds, per completed request. */
  serverCpuMsPerRequest: number
  /** The rest of the machine's busy CPU time over the same seconds (PostgreSQL, the load generator), per request. */
  otherCpuMsPerRequest: number
}

export interface RunReport {
  date: string
  /** The code measured: commit, and whether src/ or the migrations had uncommitted changes. */
  revision: string
  machine: Machine
  settings: ShownSettings
  floor: ScenarioRun
  scenarios: ScenarioRun[]
  maxServerRssMB: number
  /** 1-minute load average before and after the load: other work on the machine shows here. */
  loadAverage: { before: number, after: number }
  targets: TargetCheck[]
}

/** The settings a reader of the results needs (not where the database or the README are). */
export type ShownSettings = Pick<BenchSettings, 'users' | 'groupMembers' | 'durationSeconds' | 'warmupSeconds' | 'connections' | 'only' | 'serverEntry' | 'nodeArguments'>

export function shownSettings ({ users, groupMembers, durationSeconds, warmupSeconds, connections, only, serverEntry, nodeArguments }: BenchSettings): ShownSettings {
  return { users, groupMembers, durationSeconds, warmupSeconds, connections, only, serverEntry, nodeArguments }
}

export interface Machine { cores: number, cpu: string, memoryGB: number, node: string, postgres: string }
export interface TargetCheck { target: string, measured: string, pass: boolean }

export function revision (): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim()
  try {
    const dirty = git('status', '--porcelain', '--', 'src', 'scim-schemas', 'config') !== ''
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

export function loadAverage (): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
}

export function machine (postgresVersion: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  return {
    cores: availableParallelism(),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    postgres: postgresVersion
  }
}

/** The issue's targets, each against this run's numbers. */
export function checkTargets (floor: Measurement, runs: ScenarioRun[], maxServerRssMB: number): TargetCheck[] {
  const of = (id: string) => runs.find(run => run.scenario.id === id)?.measurement
  const checks: TargetCheck[] = []
  const filter = of('filter')
  if (filter !== undefined) {
    const ratio = filter.requestsPerSecond / floor.requestsPerSecond
    checks.push({ target: 'filter by userName ≥ ½ of the floor\'s req/s', measured: `${percent(ratio)} of floor${unclean(filter)}`, pass: ratio >= 0.5 && isClean(filter) })
  }
  const p99Below = (id: string, label: string, limitMs: number) => {
    const measured = of(id)
    if (measured === undefined) return
    // No completed request means no latency to speak of: that is a failure, not a p99 of 0.
    const p99 = measured.total === 0 ? 'no request completed' : `${measured.p99} ms`
    checks.push({ target: `${label} p99 < ${limitMs} ms`, measured: `${p99}${unclean(measured)}`, pass: isClean(measured) && measured.p99 < limitMs })
  }
  p99Below('patch-group', 'group member PATCH', 20)
  p99Below('page-index', 'deep page (startIndex)', 50)
  p99Below('page-cursor', 'deep page (cursor)', 50)
  checks.push({ target: 'server RSS < 300 MB', measured: `${maxServerRssMB.toFixed(0)} MB`, pass: maxServerRssMB < 300 })
  return checks
}

/** The results as markdown: the same text is printed and written into bench/README.md. */
export function renderResults (report: RunReport): string {
  const { machine: m, settings: s, floor } = report
  const row = ({ scenario, measurement: r, serverCpuMsPerRequest, otherCpuMsPerRequest }: ScenarioRun) => {
    const [p50, p99, cpu, other] = r.total === 0
      ? ['—', '—', '—', '—']
      : [String(r.p50), String(r.p99), serverCpuMsPerRequest.toFixed(2), otherCpuMsPerRequest.toFixed(2)]
    return `| ${scenario.name} | ${r.requestsPerSecond.toFixed(0)} | ${p50} | ${p99} | ${r.errors} / ${r.non2xx} | ${percent(r.requestsPerSecond / floor.measurement.requestsPerSecond)} | ${cpu} | ${other} |`
  }
  const filter = report.scenarios.find(run => run.scenario.id === 'filter')
  return [
    `Run of ${report.date} on commit ${report.revision}: ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB RAM, Node ${m.node}, ${m.postgres}.`,
    `Server \`node ${[...s.nodeArguments, s.serverEntry].join(' ')}\`${s.serverEntry.endsWith('.ts') ? ' under tsx' : ''} (floor likewise); ${s.users.toLocaleString('en')} users, a group of ${s.groupMembers.toLocaleString('en')} members; ${s.connections} connections, ` +
      `${s.durationSeconds} s measured after ${s.warmupSeconds} s warm-up per scenario; load generator, server and PostgreSQL share the machine.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors / non-2xx | of floor | server CPU ms/req | rest of machine CPU ms/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...report.scenarios.map(row),
    row(floor),
    '',
    `- Floor (bare fastify, one primary-key SELECT, same pool): ${floor.measurement.requestsPerSecond.toFixed(0)} req/s, p99 ${floor.measurement.p99} ms.`,
    ...(filter === undefined ? [] : [`- Ratio filter / floor: ${(filter.measurement.requestsPerSecond / floor.measurement.requestsPerSecond).toPrecision(2)}.`]),
    `- Max server RSS over all scenarios: ${report.maxServerRssMB.toFixed(0)} MB (VmRSS sampled every 100 ms; per scenario: ${report.scenarios.map(run => `${run.scenario.id} ${run.serverRssMB.toFixed(0)}`).join(', ')}).`,
    `- Cores: ${m.cores}. 1-minute load average before the first scenario ${report.loadAverage.before.toFixed(2)}, after the last ${report.loadAverage.after.toFixed(2)}.`,
    '',
    'What each scenario sends:',
    '',
    ...[...report.scenarios, floor].map(({ scenario }) => `- **${scenario.name}**: ${scenario.description}`),
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...report.targets.map(t => `| ${t.target} | ${t.measured} | ${t.pass ? 'PASS' : 'FAIL'} |`)
  ].join('\n')
}

const START = '<!-- bench-results:start -->'
const END = '<!-- bench-results:end -->'

/** Replaces the text between the results markers of the README (written by `npm run bench`). */
export function writeResultsSection (readmePath: string, results: string): void {
  const readme = readFileSync(readmePath, 'utf8')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${START} … ${END} section`)
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${results}\n${readme.slice(end)}`)
}

function unclean (measurement: Measurement): string {
  if (measurement.total === 0) return ` (${measurement.timeouts} timeouts; nothing answered within the measured time)`
  return measurement.errors + measurement.non2xx > 0 ? ` (${measurement.errors} errors, ${measurement.non2xx} non-2xx)` : ''
}

function percent (ratio: number): string {
  if (ratio === 0) return '0 %'
  return ratio < 0.1 ? `${(ratio * 100).toPrecision(2)} %` : `${(ratio * 100).toFixed(0)} %`
}
