import t from 'tap'
import { administratorRoles, checkKnownRoles, checkMayChangeRoles, checkMayDefineRole, checkRoleDefinition, permissionsOf, ROLE_PRESETS } from '../../../src/domain/access/catalogue.js'

const isKind = (kind: string) => ({ name: 'DomainError', kind })

t.test('the presets cover the seeds\' roles', async t => {
  t.same(Object.keys(ROLE_PRESETS).sort(), ['admin-staff', 'case-manager', 'front-desk', 'owner', 'patient', 'planner', 'practitioner', 'user-admin'])
  t.same(administratorRoles(ROLE_PRESETS).sort(), ['owner', 'user-admin'])
  t.notOk(permissionsOf(ROLE_PRESETS, ['front-desk']).has('accounts.write'))
  t.ok(permissionsOf(ROLE_PRESETS, ['Practitioner', 'front-desk']).has('records.write'), 'role keys compare case-insensitively (IdPs send "Practitioner")')
})

t.test('granting: never more administration than one holds; application rights are handed out freely', async t => {
  const userAdmin = permissionsOf(ROLE_PRESETS, ['user-admin'])
  t.doesNotThrow(() => checkMayChangeRoles(ROLE_PRESETS, userAdmin, ['user-admin', 'practitioner', 'front-desk']))
  t.throws(() => checkMayChangeRoles(ROLE_PRESETS, userAdmin, ['owner']), isKind('forbidden'))
  const owner = permissionsOf(ROLE_PRESETS, ['owner'])
  t.doesNotThrow(() => checkMayChangeRoles(ROLE_PRESETS, owner, ['owner']))
  t.throws(() => checkMayDefineRole(userAdmin, { displayName: 'x', permissions: ['idps.manage'] }), isKind('forbidden'))
  t.doesNotThrow(() => checkMayDefineRole(userAdmin, { displayName: 'x', permissions: ['records.read'] }))
})

t.test('catalogue input is checked', async t => {
  t.throws(() => checkKnownRoles(ROLE_PRESETS, ['practitioner', 'wizard']), /Unknown role\(s\): wizard/)
  t.throws(() => checkRoleDefinition('Bad Key', { displayName: 'x', permissions: [] }), isKind('invalid'))
  t.throws(() => checkRoleDefinition('ok', { displayName: 'x', permissions: ['fly' as never] }), /Unknown permission/)
})
