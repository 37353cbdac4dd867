import t from 'tap'
import { changedFields } from '../../../src/domain/lifecycle/changed-fields.js'
import { secondsUntilNextUtcDay } from '../../../src/domain/lifecycle/membership-lifecycle.js'
import { transition, transitionBetween } from '../../../src/domain/lifecycle/status-machine.js'

t.test('the status machine: created → active → inactive → created', async t => {
  t.equal(transition('created', 'activate'), 'active')
  t.equal(transition('active', 'deactivate'), 'inactive')
  t.equal(transition('created', 'deactivate'), 'inactive', 'an account waiting for activation can be deactivated')
  t.equal(transition('inactive', 'reactivate'), 'created', 'reactivation waits for a new activation')
  for (const [status, change] of [['active', 'activate'], ['inactive', 'activate'], ['inactive', 'deactivate'], ['active', 'reactivate'], ['created', 'reactivate']] as const) {
    t.throws(() => transition(status, change), { name: 'DomainError', kind: 'conflict', message: new RegExp(`^Cannot ${change} an account that is ${status}`) })
  }
  t.equal(transitionBetween('active', 'inactive'), 'deactivate')
  t.equal(transitionBetween('inactive', 'created'), 'reactivate')
  t.equal(transitionBetween('created', 'active'), 'activate')
  t.equal(transitionBetween('active', 'active'), undefined)
})

t.test('changed fields: attribute paths with from/to; secrets and national ids without values', async t => {
  const urn = 'urn:carescim:scim:schemas:extension:healthcare:1.0:User'
  t.same(changedFields({ displayName: 'A', title: 'Dr', [urn]: { bigNumber: '1' }, meta: { version: '1' } }, { displayName: 'B', title: 'Dr', [urn]: { bigNumber: '2' }, meta: { version: '2' } }), {
    displayName: { from: 'A', to: 'B' },
    [`${urn}:bigNumber`]: { from: '1', to: '2' }
  })
  t.same(changedFields({ bsn: '111222333' }, { bsn: '999999990', password: 'secret' }), { bsn: { changed: true }, password: { changed: true } })
  t.same(changedFields(undefined, { userName: 'x' }), { userName: { from: null, to: 'x' } })
})

t.test('quota reset: seconds until the next UTC midnight', async t => {
  t.equal(secondsUntilNextUtcDay(new Date('2026-11-22T23:59:30Z')), 30)
  t.equal(secondsUntilNextUtcDay(new Date('2026-11-22T00:00:00Z')), 86400)
})
