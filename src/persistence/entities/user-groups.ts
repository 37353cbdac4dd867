import { defineEntity, p } from '@mikro-orm/core'

/**
 * A User's groups, direct and indirect, as User.groups shows them (json, ordered by display name): one row
 * per member of at least one group, written by triggers on group_member and scim_group only (migration
 * stored_user_rows). A table of its own, narrow, rather than a part of membership.user_row: a member change
 * then rewrites a small row (its page holds some sixty) instead of a membership row in one of 20,000 pages.
 * No foreign key: a member's rows in group_member go before the member does, and with them this row.
 */
export const UserGroups = defineEntity({
  name: 'UserGroups',
  tableName: 'user_groups',
  properties: {
    memberId: p.uuid().primary(),
    groups: p.json<unknown[]>().columnType('json')
  }
})
