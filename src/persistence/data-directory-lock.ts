import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** The embedded database's files belong to one process at a time. */
export class DataDirectoryInUseError extends Error {
  constructor (readonly dataDir: string, readonly pid: number) {
    super(`The data directory ${dataDir} is in use by process ${pid} (a running CareSCIM server?). ` +
      'Stop that process first, or set DATABASE_URL to use a PostgreSQL server that many processes can share.')
    this.name = 'DataDirectoryInUseError'
  }
}

export interface DataDirectoryLock { release: () => void }

/** Directories this process holds: a pid file naming our own pid is stale unless listed here (PID 1 in containers). */
const heldHere = new Set<string>()

/**
 * An exclusive pid file in DATA_DIR. A lock whose process is gone (crash, kill -9) is taken over;
 * PGlite itself would happily open the same files twice and corrupt them.
 */
export function lockDataDirectory (dataDir: string): DataDirectoryLock {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'carescim.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      heldHere.add(file)
      return {
        release: () => {
          heldHere.delete(file)
          rmSync(file, { force: true })
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
      const held = holder === process.pid ? heldHere.has(file) : Number.isInteger(holder) && isAlive(holder)
      if (held) throw new DataDirectoryInUseError(dataDir, holder)
      rmSync(file, { force: true })
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}`)
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
