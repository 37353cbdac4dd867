/**
 * Bulk operations: parse a BulkRequest, order its operations, resolve "bulkId:" references, run them
 * through a BulkTarget and build the BulkResponse.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 *
 * Protocol core only: no HTTP framework, no database. The HTTP layer's BulkTarget runs one resolved
 * operation at a time through the resource services, each in its own transaction (bulk is not atomic).
 */
import { conflict, invalidSyntax, notFound, payloadTooLarge, ScimError, type ScimErrorBody } from '../errors.js'
import { SCHEMA_URN } from '../schema/types.js'

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type BulkResourceType = 'User' | 'Group'

const METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
// A Map, not an object literal: a path like /constructor must not find Object.prototype's members.
const ENDPOINTS: ReadonlyMap<string, BulkResourceType> = new Map([['Users', 'User'], ['Groups', 'Group']])
const PATH = /^\/([^/?#]+)(?:\/([^/?#]+))?\/?$/
/** §3.7.2: a reference is a whole value, "bulkId:" followed by the client's bulkId. */
const REFERENCE_PREFIX = 'bulkId:'

/** One operation of the request, checked; `id` and `data` may still hold "bulkId:" references. */
export interface BulkOperation {
  /** Position in the request: results are reported in request order. */
  index: number
  method: BulkMethod
  resourceType: BulkResourceType
  /** The resource of PUT, PATCH and DELETE (the path's last segment). */
  id?: string
  bulkId?: string
  /** Operations.version: the If-Match of this operation (§3.7, §3.14). */
  version?: string
  data?: unknown
  /** The bulkIds referenced by the path and the data. */
  references: string[]
}

/** An operation that cannot run as sent: reported with its error and counted against failOnErrors. */
export interface RejectedOperation {
  index: number
  method?: string
  bulkId?: string
  error: ScimError
}

export interface BulkRequest {
  failOnErrors?: number
  operations: Array<BulkOperation | RejectedOperation>
}

/** §3.7.3: status is the HTTP status a single request would have answered, as a string. */
export interface BulkOperationResult {
  method?: string
  bulkId?: string
  version?: string
  location?: string
  status: string
  response?: ScimErrorBody
}

export interface BulkResponse {
  schemas: [typeof SCHEMA_URN.bulkResponse]
  Operations: BulkOperationResult[]
}

/** One operation with its references replaced by ids, as the resource services take it. */
export interface ResolvedOperation {
  method: BulkMethod
  resourceType: BulkResourceType
  id?: string
  data?: unknown
  version?: string
}

export interface Performed { id: string, location: string, version?: string, status: number }

export interface BulkTarget {
  /** Runs one operation in a transaction of its own; throws a ScimError for the client's errors. */
  perform: (operation: ResolvedOperation) => Promise<Performed>
  /** The URL of a resource, for failed PUT, PATCH and DELETE results (§3.7.3). */
  location: (resourceType: BulkResourceType, id: string) => string
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Attribute names are case-insensitive (RFC 7643 §2.1); some clients send "operations". */
function field (object: Json, name: string): unknown {
  if (name in object) return object[name]
  const key = Object.keys(object).find(k => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : object[key]
}

export function parseBulkRequest (body: unknown, limits: { maxOperations: number }): BulkRequest {
  if (!isObject(body)) throw invalidSyntax('The body must be a BulkRequest object')
  const schemas = field(body, 'schemas')
  if (!Array.isArray(schemas) || !schemas.includes(SCHEMA_URN.bulkRequest)) {
    throw invalidSyntax(`A bulk request must list the schema ${SCHEMA_URN.bulkRequest}`)
  }
  const operations = field(body, 'Operations')
  if (!Array.isArray(operations)) throw invalidSyntax('A bulk request needs an Operations array')
  // §3.7.4: refused before anything runs, with the limit named in the detail.
  if (operations.length > limits.maxOperations) {
    throw payloadTooLarge(`The number of operations (${operations.length}) exceeds the maxOperations (${limits.maxOperations}).`)
  }
  const failOnErrors = field(body, 'failOnErrors')
  if (failOnErrors !== undefined && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw invalidSyntax('failOnErrors must be an integer of at least 1')
  }
  const parsed = operations.map(parseOperation)
  // §3.7: a bulkId is "unique within a bulk request"; a reference to a duplicate would be ambiguous.
  const seen = new Set<string>()
  for (const { bulkId } of parsed) {
    if (bulkId === undefined) continue
    if (seen.has(bulkId)) throw invalidSyntax(`bulkId "${bulkId}" is used by more than one operation; bulkIds must be unique within a bulk request`)
    seen.add(bulkId)
  }
  return failOnErrors === undefined ? { operations: parsed } : { failOnErrors: failOnErrors as number, operations: parsed }
}

function parseOperation (raw: unknown, index: number): BulkOperation | RejectedOperation {
  if (!isObject(raw)) return { index, error: invalidSyntax(`Operations[${index}] must be an object`) }
  const rawMethod = field(raw, 'method')
  const bulkId = field(raw, 'bulkId')
  const method = typeof rawMethod === 'string' && METHODS.has(rawMethod.toUpperCase()) ? rawMethod.toUpperCase() as BulkMethod : undefined
  const echo = {
    index,
    ...(typeof rawMethod === 'string' ? { method: method ?? rawMethod } : {}),
    ...(typeof bulkId === 'string' && bulkId !== '' ? { bulkId } : {})
  }
  const reject = (error: ScimError): RejectedOperation => ({ ...echo, error })

  if (method === undefined) return reject(invalidSyntax('method must be one of POST, PUT, PATCH or DELETE'))
  if (bulkId !== undefined && echo.bulkId === undefined) return reject(invalidSyntax('bulkId must be a non-empty string'))
  if (method === 'POST' && bulkId === undefined) return reject(invalidSyntax('bulkId is required when method is POST'))
  const version = field(raw, 'version')
  if (version !== undefined && typeof version !== 'string') return reject(invalidSyntax('version must be a string (an entity-tag)'))
  const path = field(raw, 'path')
  if (typeof path !== 'string') return reject(invalidSyntax('path is required, e.g. /Users or /Users/{id}'))
  const match = PATH.exec(path)
  const resourceType = match === null ? undefined : ENDPOINTS.get(match[1]!)
  if (match === null || resourceType === undefined) return reject(notFound(`No bulk endpoint at ${path}: use /Users, /Groups, /Users/{id} or /Groups/{id}`))
  const id = match[2]
  // §3.7: a POST names a resource type endpoint, every other method a resource.
  if (method === 'POST' && id !== undefined) return reject(invalidSyntax(`A POST path names a resource type endpoint (/${match[1]!}), not a resource`))
  if (method !== 'POST' && id === undefined) return reject(invalidSyntax(`A ${method} path names a resource, e.g. /${match[1]!}/{id}`))
  const data = field(raw, 'data')
  if (method !== 'DELETE' && data === undefined) return reject(invalidSyntax(`data is required when method is ${method}`))

  // A DELETE's data is ignored, so are references in it.
  const references = method === 'DELETE' ? [] : referencesIn(data)
  if (id !== undefined && referenceOf(id) !== undefined) references.unshift(referenceOf(id)!)
  return {
    ...echo,
    method,
    resourceType,
    ...(id === undefined ? {} : { id }),
    ...(typeof version === 'string' ? { version } : {}),
    ...(method === 'DELETE' ? {} : { data }),
    references: [...new Set(references)]
  }
}

/** The bulkId a value references (§3.7.2), if it is a reference. */
export function referenceOf (value: string): string | undefined {
  return value.startsWith(REFERENCE_PREFIX) && value.length > REFERENCE_PREFIX.length ? value.slice(REFERENCE_PREFIX.length) : undefined
}

function referencesIn (value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    const reference = referenceOf(value)
    if (reference !== undefined) found.push(reference)
  } else if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found)
  } else if (isObject(value)) {
    for (const item of Object.values(value)) referencesIn(item, found)
  }
  return found
}

/** §3.7.2: every "bulkId:x" value, at any depth, replaced by the id the POST of x created. */
export function resolveReferences (value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(referenceOf(value) ?? '') ?? value
  if (Array.isArray(value)) return value.map(item => resolveReferences(item, ids))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveReferences(item, ids)]))
  return value
}

const DROP = Symbol('drop')

/**
 * §3.7.1: the data without its references to `pending` bulkIds, to create the members of a cycle before
 * they can point at each other. A reference goes with the value that holds it: a member `{ value }`,
 * a manager, an array item; one directly on the resource loses only its attribute.
 */
export function withoutReferences (value: unknown, pending: ReadonlySet<string>, root = true): unknown {
  const isPending = (item: unknown) => typeof item === 'string' && pending.has(referenceOf(item) ?? '')
  if (Array.isArray(value)) {
    return value.filter(item => !isPending(item)).map(item => withoutReferences(item, pending, false)).filter(item => item !== DROP)
  }
  if (!isObject(value)) return value
  const kept: Json = {}
  for (const [key, item] of Object.entries(value)) {
    if (isPending(item)) {
      if (root) continue
      return DROP
    }
    const stripped = withoutReferences(item, pending, false)
    if (stripped !== DROP) kept[key] = stripped
  }
  return kept
}

export type BulkStep =
  | { kind: 'operation', operation: BulkOperation | RejectedOperation }
  /** POSTs that reference each other (§3.7.1), in request order. */
  | { kind: 'cycle', operations: BulkOperation[] }

/**
 * §3.7: operations run in request order, except that a POST runs before the operations that reference
 * its bulkId. Tarjan's strongly connected components give exactly that: started from each operation in
 * request order, a component is emitted after the components it depends on. A component of several
 * POSTs (or a POST referencing itself) is a cycle. Recursion depth is bounded by maxOperations.
 */
export function planBulk (request: BulkRequest): BulkStep[] {
  const operations = request.operations
  const creator = new Map<string, number>()
  for (const op of operations) if (op.method === 'POST' && op.bulkId !== undefined) creator.set(op.bulkId, op.index)
  const edges = operations.map(op => 'references' in op
    ? op.references.flatMap(reference => creator.has(reference) ? [creator.get(reference)!] : [])
    : [])

  const steps: BulkStep[] = []
  const order: number[] = []
  const low: number[] = []
  const stack: number[] = []
  const onStack = new Set<number>()
  let counter = 0
  const visit = (v: number): void => {
    order[v] = low[v] = counter++
    stack.push(v)
    onStack.add(v)
    for (const w of edges[v]!) {
      if (order[w] === undefined) {
        visit(w)
        low[v] = Math.min(low[v]!, low[w]!)
      } else if (onStack.has(w)) {
        low[v] = Math.min(low[v]!, order[w])
      }
    }
    if (low[v] !== order[v]) return
    const component: number[] = []
    let w: number
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    steps.push(component.length === 1 && !edges[v]!.includes(v)
      ? { kind: 'operation', operation: operations[v]! }
      : { kind: 'cycle', operations: component.sort((a, b) => a - b).map(i => operations[i] as BulkOperation) })
  }
  for (let v = 0; v < operations.length; v++) if (order[v] === undefined) visit(v)
  return steps
}

/** A result of an operation that ran: location and version as the resource services answered them. */
export function succeeded (op: BulkOperation, performed: Performed): BulkOperationResult {
  return {
    method: op.method,
    ...(op.bulkId === undefined ? {} : { bulkId: op.bulkId }),
    ...(performed.version === undefined ? {} : { version: performed.version }),
    location: performed.location,
    status: String(performed.status)
  }
}

/** §3.7.3: a failure carries the SCIM error as its response; a failed POST has no location. */
export function failed (op: BulkOperation | RejectedOperation, error: ScimError, location?: string): BulkOperationResult {
  return {
    ...(op.method === undefined ? {} : { method: op.method }),
    ...(op.bulkId === undefined ? {} : { bulkId: op.bulkId }),
    ...(location === undefined ? {} : { location }),
    status: String(error.status),
    response: error.toJSON()
  }
}

/**
 * §3.7.1 names 409 (Conflict) for references that cannot be resolved; we use it for every reference
 * that cannot be: to a POST that failed, or to a bulkId no POST of the request has.
 */
export function unresolvedReference (bulkId: string, failedPost: boolean): ScimError {
  return conflict(failedPost
    ? `bulkId:${bulkId} cannot be resolved: the operation that creates it failed`
    : `bulkId:${bulkId} cannot be resolved: no POST operation of this request has that bulkId`)
}

export function bulkResponse (results: BulkOperationResult[]): BulkResponse {
  return { schemas: [SCHEMA_URN.bulkResponse], Operations: results }
}
