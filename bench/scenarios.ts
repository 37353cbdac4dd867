import type { Request } from 'autocannon'
import type { Fixtures } from './fixtures.js'
import type { Scenario } from './load.js'
import { BENCH_MAIL_DOMAIN } from './seed.js'
import { BENCH_TENANT } from './settings.js'

const BASE = `/scim/v2/${BENCH_TENANT}`
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const JSON_BODY = { 'content-type': 'application/scim+json' }

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!

/** The SCIM workloads of the issue, in the order they run: POST last, so the reads see exactly the seeded users. */
/** Removes and returns a random element. */
function takeRandom (list: string[]): string {
  const index = Math.floor(Math.random() * list.length)
  const [taken] = list.splice(index, 1)
  return taken!
}

export function scimScenarios (fixtures: Fixtures): Scenario[] {
  // Unique per run and per request: the POST scenario never collides with an earlier run (they are removed anyway).
  const runId = Date.now().toString(36)
  let created = 0
  return [
    {
      id: 'filter',
      name: 'filter userName eq',
      description: 'GET /Users?filter=userName eq "<random seeded userName>" (exactly one match)',
      expectStatus: 200,
      next: () => get(`${BASE}/Users?filter=${encodeURIComponent(`userName eq "${pick(fixtures.users).userName}"`)}`)
    },
    {
      id: 'patch-user',
      name: 'PATCH user displayName',
      description: 'PATCH /Users/<random seeded id>: replace displayName (answers 200 with the user)',
      expectStatus: 200,
      next: () => patch(`${BASE}/Users/${pick(fixtures.users).id}`, [
        { op: 'replace', path: 'displayName', value: `Bench ${Math.random().toString(36).slice(2, 10)}` }
      ])
    },
    {
      id: 'patch-group',
      name: 'PATCH group add+remove member',
      description: 'PATCH /Groups/<big group>: one request, two operations (Entra shape): remove a random member and add a random non-member, two real row changes (answers 204; the group keeps its size)',
      expectStatus: 204,
      next: () => {
        // Swap one member out and one in; the pools follow, so every request changes two rows.
        const out = takeRandom(fixtures.memberIds)
        const into = takeRandom(fixtures.nonMemberIds)
        fixtures.memberIds.push(into)
        fixtures.nonMemberIds.push(out)
        return patch(`${BASE}/Groups/${fixtures.groupId}`, [
          { op: 'remove', path: 'members', value: [{ value: out }] },
          { op: 'add', path: 'members', value: [{ value: into }] }
        ])
      }
    },
    {
      id: 'page-index',
      name: `GET /Users startIndex=${fixtures.deepIndex}`,
      description: `GET /Users?startIndex=${fixtures.deepIndex}&count=100 (index paging, default projection)`,
      expectStatus: 200,
      next: () => get(`${BASE}/Users?startIndex=${fixtures.deepIndex}&count=100`)
    },
    {
      id: 'page-cursor',
      name: `GET /Users cursor @${fixtures.deepIndex}`,
      description: `GET /Users?cursor=<cursor of row ${fixtures.deepIndex - 1}>&count=100 (RFC 9865 cursor paging, same page)`,
      expectStatus: 200,
      next: () => get(`${BASE}/Users?cursor=${fixtures.deepCursor}&count=100`)
    },
    {
      id: 'get-group',
      name: 'GET big group w/o members',
      description: `GET /Groups/<group of ${fixtures.users.length - fixtures.nonMemberIds.length} members>?excludedAttributes=members`,
      expectStatus: 200,
      next: () => get(`${BASE}/Groups/${fixtures.groupId}?excludedAttributes=members`)
    },
    {
      id: 'post-user',
      name: 'POST /Users',
      description: 'POST /Users: a new user (unique userName and work email, name, phone, enterprise extension)',
      expectStatus: 201,
      next: () => ({ method: 'POST', path: `${BASE}/Users`, headers: JSON_BODY, body: JSON.stringify(newUser(`post-${runId}-${++created}@${BENCH_MAIL_DOMAIN}`)) })
    }
  ]
}

/** The floor: one primary-key SELECT of a random seeded membership, through a bare fastify route. */
export function floorScenario (fixtures: Fixtures): Scenario {
  return {
    id: 'floor',
    name: 'floor: PK select',
    description: 'GET /floor/<random seeded id> on bench/floor.ts: `select id from membership where id = $1`',
    expectStatus: 200,
    next: () => get(`/floor/${pick(fixtures.users).id}`)
  }
}

const get = (path: string): Request => ({ method: 'GET', path })

function patch (path: string, operations: unknown[]): Request {
  return { method: 'PATCH', path, headers: JSON_BODY, body: JSON.stringify({ schemas: [PATCH_OP], Operations: operations }) }
}

function newUser (userName: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName,
    externalId: crypto.randomUUID(),
    name: { givenName: 'Bench', familyName: 'Created', formatted: 'Bench Created' },
    displayName: 'Bench Created',
    title: 'Nurse',
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: '+31 20 555 0000', type: 'work' }],
    preferredLanguage: 'nl-NL',
    active: true,
    [ENTERPRISE]: { employeeNumber: userName.split('@')[0], department: 'Emergency', organization: 'Bench Care Group' }
  }
}
