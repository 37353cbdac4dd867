/**
 * SCIM PATCH: the protocol core, free of HTTP and storage.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export { applyPatch, type PatchResult } from './apply.js'
export { diffToPatch } from './diff.js'
export { type MemberChange, netMemberChanges, type NetMemberChange, type SplitOperations, splitMemberOperations } from './group-members.js'
export { parsePatchRequest, type PatchOperation, type PatchOpName } from './operations.js'
