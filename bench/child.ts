import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** A server under test in its own process, so that its memory is its own and can be read from /proc. */
export interface ServerProcess {
  url: string
  pid: number
  /** Largest resident set size seen since start (or the last reset), in MB (10^6 bytes, as the target says). */
  maxRssMB: () => number
  resetMaxRss: () => void
  /** CPU time (user + system) the process has used so far, in seconds. */
  cpuSeconds: () => number
  stop: () => Promise<void>
}

const REPO_ROOT = new URL('../', import.meta.url).pathname
const RSS_SAMPLE_MS = 100

/**
 * Starts `node [nodeArguments] [--import tsx] <entry>` from the repository root (tsx for a .ts entry),
 * waits for the line announcing its URL ("listening on http://…") and for GET /readyz to answer 200.
 */
export async function startServer (entry: string, env: Record<string, string>, nodeArguments: string[] = [], timeoutMs = 60_000): Promise<ServerProcess> {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...nodeArguments, ...loader, entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    // A server logging at warn or above during a benchmark is worth seeing at once.
    process.stderr.write(chunk.split('\n').filter(Boolean).map(line => `  [${entry}] ${line}\n`).join(''))
  })
  const url = await announcedUrl(child, timeoutMs, () => stderr)
  await waitReady(url, timeoutMs)

  let maxRss = 0
  const sample = () => { maxRss = Math.max(maxRss, rssMB(child.pid!)) }
  sample()
  const sampler = setInterval(sample, RSS_SAMPLE_MS)
  return {
    url,
    pid: child.pid!,
    maxRssMB: () => { sample(); return maxRss },
    resetMaxRss: () => { maxRss = 0; sample() },
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: async () => {
      clearInterval(sampler)
      await stopChild(child)
    }
  }
}

async function announcedUrl (child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const onData = (chunk: string) => {
      stdout += chunk
      const match = /listening on (http:\/\/[^\s)]+)/.exec(stdout)
      if (match === null) return
      settle()
      resolve(match[1]!)
    }
    const onExit = (code: number | null) => fail(new Error(`exited with code ${String(code)} before listening`))
    const timer = setTimeout(() => fail(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs)
    const settle = () => {
      clearTimeout(timer)
      child.stdout!.off('data', onData)
      child.off('exit', onExit)
      // Keep draining stdout, or a chatty child would block on a full pipe.
      child.stdout!.resume()
    }
    const fail = (error: Error) => {
      settle()
      child.kill('SIGKILL')
      reject(new Error(`${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr()}`))
    }
    child.stdout!.setEncoding('utf8').on('data', onData)
    child.once('exit', onExit)
  })
}

async function waitReady (url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await fetch(`${url}/readyz`).catch(() => undefined)
    if (response?.status === 200) return
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** VmRSS from /proc/<pid>/status (in KiB, though it says kB), in MB; 0 when the process is gone. */
function rssMB (pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? 0 : Number(match[1]) * 1024 / 1e6
  } catch {
    return 0
  }
}

const CLOCK_TICKS_PER_SECOND = 100 // USER_HZ: 100 on every Linux architecture Node runs on

/** utime + stime from /proc/<pid>/stat (fields 14 and 15; the command name in field 2 may contain spaces). */
function cpuSeconds (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

/** Busy CPU seconds of the whole machine (every core: /proc/stat minus idle and iowait): server, PostgreSQL and load generator. */
export function machineBusySeconds (): number {
  // cpu  user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1, 9).map(Number)
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS_PER_SECOND
}

/** SIGTERM (graceful: the server closes its pool), SIGKILL if it has not exited after 15 s. */
async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}
