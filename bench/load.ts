import autocannon, { type Request, type Result } from 'autocannon'

/** One HTTP workload: what each request looks like; `next` is called per request, so each can differ. */
export interface Scenario {
  /** Short key for the results file and the targets. */
  id: string
  name: string
  /** What it does, for the README. */
  description: string
  /** The request after the previous one on the same connection (autocannon's setupRequest). */
  next: () => Request
  /** Status a correct answer has: checked once before the load, so that a benchmark of 404s cannot pass. */
  expectStatus: number
}

export interface Measurement {
  requestsPerSecond: number
  p50: number
  p99: number
  /** Connection errors, timeouts included. */
  errors: number
  timeouts: number
  non2xx: number
  total: number
  statusCodes: Record<string, number>
}

/** A measurement to go by: requests completed, all of them 2xx, none lost. */
export function isClean (measurement: Measurement): boolean {
  return measurement.total > 0 && measurement.errors === 0 && measurement.non2xx === 0
}

export interface LoadOptions { connections: number, durationSeconds: number, warmupSeconds: number, headers: Record<string, string> }

/** Checks one request's status, then sends `warmupSeconds` of unmeasured load. */
export async function prepare (url: string, scenario: Scenario, options: LoadOptions): Promise<void> {
  await checkOnce(url, scenario, options.headers)
  if (options.warmupSeconds > 0) await load(url, scenario, options, options.warmupSeconds)
}

/** `durationSeconds` of load, measured. */
export async function measure (url: string, scenario: Scenario, options: LoadOptions): Promise<Measurement> {
  const result = await load(url, scenario, options, options.durationSeconds)
  return {
    // Completed requests over the measured time (autocannon's per-second samples average the same).
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]))
  }
}

async function load (url: string, scenario: Scenario, options: LoadOptions, seconds: number): Promise<Result> {
  return await autocannon({
    url,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    headers: options.headers,
    // One request template whose setupRequest draws a fresh request each time.
    requests: [{ setupRequest: request => ({ ...request, ...withHeaders(scenario.next(), options.headers) }) }]
  })
}

function withHeaders (request: Request, headers: Record<string, string>): Request {
  return request.headers === undefined ? request : { ...request, headers: { ...headers, ...request.headers } }
}

async function checkOnce (url: string, scenario: Scenario, headers: Record<string, string>): Promise<void> {
  const request = withHeaders(scenario.next(), headers)
  const response = await fetch(new URL(request.path ?? '/', url), {
    method: request.method ?? 'GET',
    headers: request.headers ?? headers,
    // A slow answer is still an answer (the measurement will show it); only a hung server stops the run.
    signal: AbortSignal.timeout(120_000),
    ...(request.body === undefined ? {} : { body: request.body })
  })
  const body = await response.text()
  if (response.status !== scenario.expectStatus) {
    throw new Error(`${scenario.name}: ${request.method ?? 'GET'} ${request.path ?? '/'} answered ${response.status}, expected ${scenario.expectStatus}: ${body.slice(0, 500)}`)
  }
}
