import t from 'tap'
import { KeyedBatches, type Outcome } from '../../src/persistence/keyed-batches.js'

/** Batches that run until released, recording what each batch held. */
function recorder (fits: (batch: number[], next: number) => boolean = () => true) {
  const batches: number[][] = []
  const releases: Array<() => void> = []
  const batcher = new KeyedBatches<number, string>(async jobs => {
    batches.push(jobs)
    await new Promise<void>(resolve => releases.push(resolve))
    if (jobs.includes(13) && jobs.length > 1) throw new Error('a batch with 13 fails')
    return jobs.map((job): Outcome<string> => job === 13 ? { error: new Error('13 fails alone') } : { value: `done ${job}` })
  }, fits)
  // Releases batches as they start, until `count` have run.
  const releaseAll = async (count: number) => {
    for (let released = 0; released < count; released++) {
      while (releases.length === 0) await new Promise(resolve => setImmediate(resolve))
      releases.shift()!()
    }
  }
  return { batcher, batches, releaseAll }
}

t.test('an idle key runs a job at once; what arrives meanwhile goes in the next batch, in order', async t => {
  const { batcher, batches, releaseAll } = recorder()
  const first = batcher.run('group', 1)
  const rest = [2, 3, 4].map(async job => await batcher.run('group', job))
  t.same(batches, [[1]], 'the first job did not wait for company')
  await releaseAll(2)
  t.same(await Promise.all([first, ...rest]), ['done 1', 'done 2', 'done 3', 'done 4'])
  t.same(batches, [[1], [2, 3, 4]])
})

t.test('keys do not wait for each other; fits bounds a batch', async t => {
  const { batcher, batches, releaseAll } = recorder(batch => batch.length < 2)
  const results = [batcher.run('a', 1), batcher.run('b', 2), batcher.run('a', 3), batcher.run('a', 4), batcher.run('a', 5)]
  t.same(batches, [[1], [2]], 'both keys started at once')
  await releaseAll(4)
  t.same(await Promise.all(results), ['done 1', 'done 2', 'done 3', 'done 4', 'done 5'])
  t.same(batches, [[1], [2], [3, 4], [5]])
})

t.test('a job\'s error is its own: a failed batch runs its jobs again alone', async t => {
  const { batcher, batches, releaseAll } = recorder()
  const first = batcher.run('group', 1)
  const later = [12, 13, 14].map(async job => await batcher.run('group', job).catch((error: Error) => error.message))
  await releaseAll(5)
  t.equal(await first, 'done 1')
  t.same(await Promise.all(later), ['done 12', '13 fails alone', 'done 14'])
  t.same(batches, [[1], [12, 13, 14], [12], [13], [14]])
  // The key is idle again: the next job runs at once.
  const next = batcher.run('group', 20)
  t.same(batches.at(-1), [20])
  await releaseAll(1)
  t.equal(await next, 'done 20')
})
