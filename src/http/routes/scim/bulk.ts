import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ScimGroups } from '../../../domain/scim/groups.js'
import type { ScimScope, ScimUsers } from '../../../domain/scim/users.js'
import { conflict, notImplemented, payloadTooLarge, ScimError } from '../../../scim/errors.js'
import {
  bulkResponse, failed, parseBulkRequest, planBulk, referenceOf, resolveReferences, succeeded, unresolvedReference, withoutReferences,
  type BulkOperation, type BulkOperationResult, type BulkRequest, type BulkResourceType, type BulkTarget,
  type Performed, type RejectedOperation, type ResolvedOperation
} from '../../../scim/messages/bulk.js'
import type { SchemaRegistry } from '../../../scim/schema/registry.js'
import { scimErrorHandler, toScimError } from '../../plugins/scim-errors.js'
import { scopeOf } from './resources.js'

type Resource = Record<string, unknown>

/** What a bulk operation needs of a resource type's service (ScimUsers, ScimGroups). */
interface BulkService {
  create: (scope: ScimScope, data: unknown) => Promise<Resource>
  replace: (scope: ScimScope, id: string, data: unknown, ifMatch: string | undefined) => Promise<Resource>
  patch: (scope: ScimScope, id: string, data: unknown, ifMatch: string | undefined) => Promise<Resource>
  delete: (scope: ScimScope, id: string, ifMatch: string | undefined) => Promise<void>
  /** The status a single PATCH answers (§3.7.3): the /Users route 200 with the User, /Groups 204. */
  patchStatus: number
}

export interface BulkRouteOptions {
  registry: SchemaRegistry
  users: ScimUsers
  groups: ScimGroups
}

/**
 * POST /Bulk: every operation through the resource services (never through HTTP), each in a transaction
 * of its own, since a bulk request is not atomic.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
export function bulkRoute ({ registry, users, groups }: BulkRouteOptions) {
  // The same limits ServiceProviderConfig advertises; maxPayloadSize is also the body limit of index.ts.
  const { supported, maxOperations, maxPayloadSize } = registry.serviceProviderConfig().bulk
  const services: Record<BulkResourceType, BulkService> = {
    User: {
      create: async (scope, data) => await users.create(scope, data),
      replace: async (scope, id, data, ifMatch) => await users.replace(scope, id, data, ifMatch),
      patch: async (scope, id, data, ifMatch) => await users.patch(scope, id, data, ifMatch),
      delete: async (scope, id, ifMatch) => await users.delete(scope, id, ifMatch),
      patchStatus: 200
    },
    Group: {
      create: async (scope, data) => await groups.create(scope, data),
      replace: async (scope, id, data, ifMatch) => await groups.replace(scope, id, data, ifMatch),
      // Members are not read back: a bulk result carries no resource body.
      patch: async (scope, id, data, ifMatch) => await groups.patch(scope, id, data, ifMatch, { members: false }),
      delete: async (scope, id, ifMatch) => await groups.delete(scope, id, ifMatch),
      patchStatus: 204
    }
  }

  // §3.7.4: the 413 names the limit exceeded (fastify's body limit stops the request before the handler).
  const errorHandler = async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    await scimErrorHandler(tooLarge ? payloadTooLarge(`The size of the bulk operation exceeds the maxPayloadSize (${maxPayloadSize}).`) : error, request, reply)
  }

  return async function (app: FastifyInstance): Promise<void> {
    app.post('/Bulk', { schema: { tags: ['SCIM'], summary: 'Bulk operations (RFC 7644 §3.7)' }, errorHandler }, async (request, reply) => {
      if (!supported) throw notImplemented('Bulk operations are not supported (ServiceProviderConfig bulk.supported)')
      const bulk = parseBulkRequest(request.body, { maxOperations })
      const results = await runBulk(bulk, targetFor(request, services))
      return await reply.code(200).send(bulkResponse(results))
    })
  }
}

function targetFor (request: FastifyRequest, services: Record<BulkResourceType, BulkService>): BulkTarget {
  const scope = scopeOf(request)
  const location = (resourceType: BulkResourceType, id: string) => `${scope.baseUrl}/${resourceType}s/${id}`
  const performed = (resource: Resource, status: number): Performed => {
    const meta = resource.meta as { location: string, version: string }
    return { id: resource.id as string, location: meta.location, version: meta.version, status }
  }
  return {
    location,
    perform: async (op: ResolvedOperation) => {
      const service = services[op.resourceType]
      const id = op.id ?? ''
      try {
        switch (op.method) {
          case 'POST': return performed(await service.create(scope, op.data), 201)
          case 'PUT': return performed(await service.replace(scope, id, op.data, op.version), 200)
          case 'PATCH': return performed(await service.patch(scope, id, op.data, op.version), service.patchStatus)
          case 'DELETE':
            await service.delete(scope, id, op.version)
            return { id, location: location(op.resourceType, id), status: 204 }
        }
      } catch (error) {
        const scimError = toScimError(error)
        // A 5xx is ours: logged with its cause; the client's result says only "Internal server error".
        if (scimError.status >= 500) request.log.error({ err: error, method: op.method, resourceType: op.resourceType }, 'bulk operation failed')
        throw scimError
      }
    }
  }
}

type Outcome = Performed | ScimError

async function attempt (target: BulkTarget, op: ResolvedOperation): Promise<Outcome> {
  try {
    return await target.perform(op)
  } catch (error) {
    return error instanceof ScimError ? error : toScimError(error)
  }
}

/**
 * Runs the plan until failOnErrors errors (§3.7: "the number of errors that the service provider will
 * accept"); the operations after that are neither processed nor reported (§3.7.3). Results in request order.
 */
export async function runBulk (request: BulkRequest, target: BulkTarget): Promise<BulkOperationResult[]> {
  const ids = new Map<string, string>() // bulkId → id of the resource its POST created
  const failedPosts = new Set<string>()
  const results = new Map<number, BulkOperationResult>()
  const limit = request.failOnErrors ?? Number.POSITIVE_INFINITY
  let errors = 0

  const record = (op: BulkOperation | RejectedOperation, result: BulkOperationResult, createdId?: string) => {
    results.set(op.index, result)
    if (result.response !== undefined) {
      errors++
      if (op.method === 'POST' && op.bulkId !== undefined) failedPosts.add(op.bulkId)
    } else if (op.method === 'POST' && createdId !== undefined && op.bulkId !== undefined) {
      ids.set(op.bulkId, createdId)
    }
  }

  for (const step of planBulk(request)) {
    if (errors >= limit) break
    if (step.kind === 'cycle') {
      for (const [op, result, id] of await runCycle(step.operations, target, ids, failedPosts)) record(op, result, id)
      continue
    }
    const op = step.operation
    if ('error' in op) {
      record(op, failed(op, op.error))
      continue
    }
    const id = op.id === undefined ? undefined : resolveReferences(op.id, ids) as string
    const pathReference = op.id === undefined ? undefined : referenceOf(op.id)
    // §3.7.3: every result but a failed POST's names its resource, when the path could be resolved.
    const location = id === undefined || (pathReference !== undefined && !ids.has(pathReference)) ? undefined : target.location(op.resourceType, id)
    const missing = op.references.find(reference => !ids.has(reference))
    if (missing !== undefined) {
      record(op, failed(op, unresolvedReference(missing, failedPosts.has(missing)), location))
      continue
    }
    const outcome = await attempt(target, {
      method: op.method,
      resourceType: op.resourceType,
      ...(id === undefined ? {} : { id }),
      ...(op.data === undefined ? {} : { data: resolveReferences(op.data, ids) }),
      ...(op.version === undefined ? {} : { version: op.version })
    })
    if (outcome instanceof ScimError) record(op, failed(op, outcome, location))
    else record(op, succeeded(op, outcome), outcome.id)
  }
  return [...results].sort(([a], [b]) => a - b).map(([, result]) => result)
}

/**
 * §3.7.1 "MUST try to resolve circular cross-references": the POSTs of a cycle are created without their
 * references to each other, then completed by a PUT of their whole data once every id is known (two
 * transactions each). All or nothing: each member references the others (at least transitively), so when
 * one fails, the ones already created are deleted again and answer 409, which §3.7.1 allows "after a
 * failed attempt". failOnErrors is checked after the whole cycle.
 */
async function runCycle (operations: BulkOperation[], target: BulkTarget, ids: ReadonlyMap<string, string>, failedPosts: ReadonlySet<string>) {
  const pending = new Set(operations.map(op => op.bulkId!))
  const known = new Map(ids)
  const created: Array<[BulkOperation, Performed]> = []
  const completed = new Map<BulkOperation, Performed>()
  let failure: [BulkOperation, ScimError] | undefined

  for (const op of operations) {
    const missing = op.references.find(reference => !known.has(reference) && !pending.has(reference))
    const outcome = missing !== undefined
      ? unresolvedReference(missing, failedPosts.has(missing))
      : await attempt(target, { method: 'POST', resourceType: op.resourceType, data: resolveReferences(withoutReferences(op.data, pending), known) })
    if (outcome instanceof ScimError) {
      failure = [op, outcome]
      break
    }
    created.push([op, outcome])
    known.set(op.bulkId!, outcome.id)
  }
  for (const [op, first] of failure === undefined ? created : []) {
    const outcome = await attempt(target, { method: 'PUT', resourceType: op.resourceType, id: first.id, data: resolveReferences(op.data, known) })
    if (outcome instanceof ScimError) {
      failure = [op, outcome]
      break
    }
    completed.set(op, outcome)
  }
  if (failure === undefined) {
    return created.map(([op, first]): CycleResult => [op, succeeded(op, { ...completed.get(op)!, status: 201 }), first.id])
  }

  // A failed POST leaves nothing behind (§3.7.3: it has no location), unless even the undo failed.
  const leftovers = new Map<BulkOperation, string>()
  for (const [op, first] of created.reverse()) {
    const undone = await attempt(target, { method: 'DELETE', resourceType: op.resourceType, id: first.id })
    if (undone instanceof ScimError) leftovers.set(op, first.location)
  }
  const [culprit, error] = failure
  const others = conflict(`Operations whose bulkIds reference each other (${[...pending].join(', ')}) succeed or fail together; bulkId:${culprit.bulkId!} failed`)
  return operations.map((op): CycleResult => [op, failed(op, op === culprit ? error : others, leftovers.get(op))])
}

type CycleResult = [BulkOperation, BulkOperationResult, string?]
