import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'

/** One recorded IdP step (format: test/fixtures/idp/README.md). */
export interface ReplayStep {
  file: string
  source: string
  description: string
  request: { method: string, path: string, headers?: Record<string, string>, body?: unknown }
  expect: { status: number | number[], headers?: Record<string, string>, body?: unknown }
  capture?: Record<string, string>
}

export function loadSteps (folder: string): ReplayStep[] {
  return readdirSync(folder).filter(f => f.endsWith('.json')).sort()
    .map(file => ({ file, ...JSON.parse(readFileSync(join(folder, file), 'utf8')) as Omit<ReplayStep, 'file'> }))
}

function fill (text: string, values: Map<string, string>): string {
  return text.replace(/\{\{([^}]+)\}\}/g, (_match, name: string) => {
    const value = values.get(name)
    if (value === undefined) throw new Error(`unknown placeholder {{${name}}}`)
    return value
  })
}

function fillDeep (value: unknown, values: Map<string, string>): unknown {
  if (typeof value === 'string') return fill(value, values)
  if (Array.isArray(value)) return value.map(v => fillDeep(v, values))
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, values)]))
  return value
}

/** Subset match (README rule 6); returns where it differs, or undefined. */
export function mismatch (expected: unknown, actual: unknown, at = 'body'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${JSON.stringify(actual)}`
    const used = new Set<number>()
    for (const [i, item] of expected.entries()) {
      const found = actual.findIndex((candidate, j) => !used.has(j) && mismatch(item, candidate) === undefined)
      if (found === -1) return `${at}[${i}]: no element matches ${JSON.stringify(item)} in ${JSON.stringify(actual)}`
      used.add(found)
    }
    return undefined
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return `${at}: expected an object, got ${JSON.stringify(actual)}`
    for (const [key, value] of Object.entries(expected)) {
      const problem = mismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  return expected === actual ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
}

function pick (body: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], body)
}

export interface StepResult { step: ReplayStep, status: number, body: unknown, problem: string | undefined }

/** Runs the steps in order against one tenant; stops at the first failing step (README rule 9). */
export async function replay (app: FastifyInstance, tenant: string, token: string, steps: ReplayStep[], baseUrl: string): Promise<StepResult[]> {
  const values = new Map([['baseUrl', baseUrl]])
  const results: StepResult[] = []
  for (const step of steps) {
    const headers = Object.fromEntries(Object.entries(step.request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), fill(v, values)]))
    const response = await app.inject({
      method: step.request.method as 'GET',
      url: `/scim/v2/${tenant}${fill(step.request.path, values)}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
      ...(step.request.body === undefined ? {} : { payload: JSON.stringify(fillDeep(step.request.body, values)) })
    })
    const body: unknown = response.body === '' ? undefined : JSON.parse(response.body)
    const allowed = Array.isArray(step.expect.status) ? step.expect.status : [step.expect.status]
    let problem = allowed.includes(response.statusCode) ? undefined : `status ${response.statusCode}, expected ${allowed.join(' or ')}`
    for (const [name, prefix] of Object.entries(step.expect.headers ?? {})) {
      const actual = String(response.headers[name.toLowerCase()] ?? '')
      if (problem === undefined && !actual.startsWith(fill(prefix, values))) problem = `header ${name}: "${actual}" does not start with "${prefix}"`
    }
    if (problem === undefined && step.expect.body !== undefined) problem = mismatch(fillDeep(step.expect.body, values), body)
    for (const [name, path] of Object.entries(step.capture ?? {})) {
      const value = pick(body, path)
      if (typeof value === 'string') values.set(name, value)
      else if (problem === undefined) problem = `capture ${name}: no string at ${path}`
    }
    results.push({ step, status: response.statusCode, body, problem })
    if (problem !== undefined) break
  }
  return results
}
