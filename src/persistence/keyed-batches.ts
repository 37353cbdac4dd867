/** A job's outcome as `execute` reports it: a value, or an error for that job alone. */
export type Outcome<Result> = { value: Result } | { error: unknown }

interface Waiting<Job, Result> {
  job: Job
  resolve: (value: Result) => void
  reject: (error: unknown) => void
}

/**
 * Group commit per key: the jobs of one key run one batch at a time, and those that arrive while a batch
 * runs go together in the next one, in arrival order, as many as `fits` lets in. A job that finds its key
 * idle runs at once, alone. `execute` must be all or nothing (one statement): when it throws for a batch
 * of several, each job runs again alone, so that one job's failure stays its own.
 */
export class KeyedBatches<Job, Result> {
  private readonly queues = new Map<string, Array<Waiting<Job, Result>>>()

  constructor (
    private readonly execute: (jobs: Job[]) => Promise<Array<Outcome<Result>>>,
    private readonly fits: (batch: Job[], next: Job) => boolean
  ) {}

  async run (key: string, job: Job): Promise<Result> {
    return await new Promise<Result>((resolve, reject) => {
      const waiting = { job, resolve, reject }
      const queue = this.queues.get(key)
      if (queue !== undefined) {
        queue.push(waiting)
        return
      }
      const started = [waiting]
      this.queues.set(key, started)
      void this.drain(key, started)
    })
  }

  private async drain (key: string, queue: Array<Waiting<Job, Result>>): Promise<void> {
    while (queue.length > 0) {
      const batch = [queue.shift()!]
      while (queue.length > 0 && this.fits(batch.map(waiting => waiting.job), queue[0]!.job)) batch.push(queue.shift()!)
      if (batch.length === 1) await this.settle(batch)
      else if (!await this.settle(batch, true)) for (const waiting of batch) await this.settle([waiting])
    }
    this.queues.delete(key)
  }

  /** Runs the batch and settles its jobs; false, settling none, when it threw and `retryAlone` says to. */
  private async settle (batch: Array<Waiting<Job, Result>>, retryAlone = false): Promise<boolean> {
    let outcomes: Array<Outcome<Result>>
    try {
      outcomes = await this.execute(batch.map(waiting => waiting.job))
    } catch (error) {
      if (retryAlone) return false
      batch[0]!.reject(error)
      return true
    }
    batch.forEach((waiting, index) => {
      const outcome = outcomes[index]!
      if ('error' in outcome) waiting.reject(outcome.error)
      else waiting.resolve(outcome.value)
    })
    return true
  }
}
