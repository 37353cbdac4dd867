// Every migration, in order. Static imports: the list works under tsx and as compiled JS alike.
import { Migration20261122211813_foundation as Foundation } from './Migration20261122211813_foundation.js'
import { Migration20261122213425_scim_resources as ScimResources } from './Migration20261122213425_scim_resources.js'
import { Migration20261122220454_healthcare_identifiers as HealthcareIdentifiers } from './Migration20261122220454_healthcare_identifiers.js'
import { Migration20261122221047_filter_indexes as FilterIndexes } from './Migration20261122221047_filter_indexes.js'
import { Migration20261122223750_lookup_indexes as LookupIndexes } from './Migration20261122223750_lookup_indexes.js'
import { Migration20261122232104_lifecycle as Lifecycle } from './Migration20261122232104_lifecycle.js'
import { Migration20261122235208_enrolment as Enrolment } from './Migration20261122235208_enrolment.js'
import { Migration20261123003036_sign_in_throttle as SignInThrottle } from './Migration20261123003036_sign_in_throttle.js'
import { Migration20261123005841_audit_keyset_index as AuditKeysetIndex } from './Migration20261123005841_audit_keyset_index.js'
import { Migration20261123012506_idp_display_name as IdpDisplayName } from './Migration20261123012506_idp_display_name.js'
import { Migration20261123012757_staff_tally as StaffTally } from './Migration20261123012757_staff_tally.js'
import { Migration20261123020233_staff_id_index as StaffIdIndex } from './Migration20261123020233_staff_id_index.js'
import { Migration20261123063232_outbox_pending_index as OutboxPendingIndex } from './Migration20261123063232_outbox_pending_index.js'
import { Migration20261123081458_stored_user_rows as StoredUserRows } from './Migration20261123081458_stored_user_rows.js'
import { Migration20261123124500_rename_user_groups as RenameUserGroups } from './Migration20261123124500_rename_user_groups.js'

export const migrationsList = [
  { name: 'Migration20261122211813_foundation', class: Foundation },
  { name: 'Migration20261122213425_scim_resources', class: ScimResources },
  { name: 'Migration20261122220454_healthcare_identifiers', class: HealthcareIdentifiers },
  { name: 'Migration20261122221047_filter_indexes', class: FilterIndexes },
  { name: 'Migration20261122223750_lookup_indexes', class: LookupIndexes },
  { name: 'Migration20261122232104_lifecycle', class: Lifecycle },
  { name: 'Migration20261122235208_enrolment', class: Enrolment },
  { name: 'Migration20261123003036_sign_in_throttle', class: SignInThrottle },
  { name: 'Migration20261123005841_audit_keyset_index', class: AuditKeysetIndex },
  { name: 'Migration20261123012506_idp_display_name', class: IdpDisplayName },
  { name: 'Migration20261123012757_staff_tally', class: StaffTally },
  { name: 'Migration20261123020233_staff_id_index', class: StaffIdIndex },
  { name: 'Migration20261123063232_outbox_pending_index', class: OutboxPendingIndex },
  { name: 'Migration20261123081458_stored_user_rows', class: StoredUserRows },
  { name: 'Migration20261123124500_rename_user_groups', class: RenameUserGroups }
]
