import { encodeCursor } from '../src/domain/scim/paging.js'
import type { Runtime } from '../src/runtime.js'
import { executor } from './database.js'
import type { SeedResult } from './seed.js'
import type { BenchSettings } from './settings.js'

/** What the scenarios draw their random requests from, read once before any load. */
export interface Fixtures {
  token: string
  groupId: string
  users: Array<{ id: string, userName: string }>
  /** Seeded users in the big group now: the group PATCH removes one of them. */
  memberIds: string[]
  /** Seeded users outside the big group: the group PATCH adds one of them. */
  nonMemberIds: string[]
  /** 1-based position of the deep page (90,000 of 100,000). */
  deepIndex: number
  /** RFC 9865 cursor whose page starts at deepIndex: the id of the row before it, as the server encodes it. */
  deepCursor: string
}

export async function loadFixtures (runtime: Runtime, settings: BenchSettings, seeded: SeedResult): Promise<Fixtures> {
  const execute = executor(runtime)
  const users = await execute<{ id: string, user_name: string, member: boolean }>(
    `select m.id, m.user_name, exists (select 1 from group_member gm where gm.tenant_id = m.tenant_id and gm.group_id = ? and gm.member_id = m.id) as member
     from membership m where m.tenant_id = ? order by m.user_name`,
    [seeded.groupId, seeded.tenantId]
  )
  const deepIndex = Math.round(settings.users * 0.9)
  // Keyset paging is in id order (src/persistence/scim/user-store.ts): the cursor is the id at deepIndex - 1.
  const [before] = await execute<{ id: string }>(
    'select id from membership where tenant_id = ? order by id offset ? limit 1', [seeded.tenantId, deepIndex - 2]
  )
  return {
    token: seeded.token,
    groupId: seeded.groupId,
    users: users.map(u => ({ id: u.id, userName: u.user_name })),
    memberIds: users.filter(u => u.member).map(u => u.id),
    nonMemberIds: users.filter(u => !u.member).map(u => u.id),
    deepIndex,
    deepCursor: encodeCursor(before!.id)
  }
}
