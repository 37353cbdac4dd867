import { Account } from './account.js'
import { Membership } from './membership.js'
import { GroupMember, ScimGroup } from './scim-group.js'
import { ScimToken } from './scim-token.js'
import { Tenant } from './tenant.js'
import { IdentityProvider, LoginRequest, NationalIdentity } from './enrolment.js'
import { AuditEvent, OneTimeToken, OrgUnit, OutboxMail, QuotaUsage } from './lifecycle.js'
import { StaffTally } from './staff-tally.js'
import { UserGroups } from './user-groups.js'

export { IdentityProvider, LoginRequest, NationalIdentity }
export { AuditEvent, OneTimeToken, OrgUnit, OutboxMail, QuotaUsage }
export { Account, GroupMember, Membership, ScimGroup, ScimToken, StaffTally, Tenant, UserGroups }
export const entities = [Tenant, ScimToken, Account, Membership, ScimGroup, GroupMember, OrgUnit, OneTimeToken, AuditEvent, OutboxMail, QuotaUsage, IdentityProvider, NationalIdentity, LoginRequest, StaffTally, UserGroups]
