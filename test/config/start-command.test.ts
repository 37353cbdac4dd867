import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startFlags } from '../../bench/settings.js'

// The container runs the server as `npm start` does, which is what the benchmark measures (bench/README.md).
t.test('the Dockerfile starts the server with npm start\'s node flags', async t => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)
  t.ok(cmd, 'an exec-form CMD')
  t.same(JSON.parse(cmd![1]!), ['node', ...startFlags(), 'dist/main.js'])
  t.ok(startFlags().includes('--no-allocation-site-pretenuring'), 'the flags the benchmark measured')
  t.ok(startFlags().includes('--heap-growing-percent=50'), 'the flags the benchmark measured')
})

// V8 flags come and go between Node versions, and node refuses to start with one it does not know.
t.test('this Node accepts the start flags', async t => {
  const run = spawnSync(process.execPath, [...startFlags(), '-e', '0'], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
})
