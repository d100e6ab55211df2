/**
 * Mixed read/write load at a FIXED rate (open loop), against a server given by URL.
 *
 * Requests leave on a schedule (request i at start + i/rate), whether or not earlier ones have
 * been answered, and each latency is measured from its scheduled time, not from when it actually
 * left. A server that falls behind therefore shows its queueing in the latencies, instead of
 * quietly slowing the client down (the "coordinated omission" of closed-loop tools such as
 * autocannon, which only start a request when a connection is free).
 *
 * The mix (a session of the app): 70% GET /restaurants, 10% GET /reviews/?restaurant_id=,
 * 10% POST /reviews/ with a new client_id, 10% PUT /restaurants/{id}/?is_favorite=.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

export type Route = 'GET /restaurants' | 'GET /reviews?restaurant_id' | 'POST /reviews' | 'PUT /restaurants/{id}';

const MIX: readonly [Route, number][] = [
  ['GET /restaurants', 0.7],
  ['GET /reviews?restaurant_id', 0.1],
  ['POST /reviews', 0.1],
  ['PUT /restaurants/{id}', 0.1],
];

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  targetRate: number;
  seconds: number;
  sent: number;
  /** 2xx answers. */
  ok: number;
  /** 2xx answers per second, from the first scheduled request to the last answer. */
  achievedRate: number;
  /** Everything that is not a 2xx: "status 503", "socket ECONNRESET", "timeout"… with counts. */
  errors: Record<string, number>;
  errorCount: number;
  /** Milliseconds, from each request's scheduled time to the end of its answer. */
  latencyMs: Latency;
  byRoute: Record<Route, { count: number } & Latency>;
}

export interface LoadOptions {
  url: string;
  rate: number;
  seconds: number;
  /** Restaurants 1..n exist. */
  restaurants?: number;
  /** Per request; an answer later than this counts as an error. */
  timeoutMs?: number;
}

export function percentiles(values: readonly number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runFixedRate(options: LoadOptions): Promise<LoadResult> {
  const { url, rate, seconds, restaurants = 10, timeoutMs = 10_000 } = options;
  const { hostname, port } = new URL(url);
  // Enough sockets that the client never queues requests itself: the point is the server's queue.
  const agent = new Agent({ keepAlive: true, maxSockets: 1_024 });
  const total = Math.round(rate * seconds);
  const latencies: Record<Route, number[]> = {
    'GET /restaurants': [],
    'GET /reviews?restaurant_id': [],
    'POST /reviews': [],
    'PUT /restaurants/{id}': [],
  };
  const errors: Record<string, number> = {};
  const countError = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
  let ok = 0;
  let lastAnswer = 0;
  const inFlight = new Set<Promise<void>>();

  const pickRoute = (): Route => {
    let x = Math.random();
    for (const [route, share] of MIX) {
      if ((x -= share) < 0) return route;
    }
    return 'GET /restaurants';
  };
  const restaurantId = () => 1 + Math.floor(Math.random() * restaurants);

  function fire(route: Route, scheduledAt: number): Promise<void> {
    let method = 'GET';
    let path = '/restaurants';
    let body: string | undefined;
    if (route === 'GET /reviews?restaurant_id') path = `/reviews/?restaurant_id=${restaurantId()}`;
    if (route === 'POST /reviews') {
      method = 'POST';
      path = '/reviews/';
      body = JSON.stringify({
        restaurant_id: restaurantId(),
        name: 'Load',
        rating: 1 + Math.floor(Math.random() * 5),
        comments: 'A review written by the load test.',
        client_id: randomUUID(),
      });
    }
    if (route === 'PUT /restaurants/{id}') {
      method = 'PUT';
      path = `/restaurants/${restaurantId()}/?is_favorite=${Math.random() < 0.5}`;
    }
    return new Promise<void>((resolve) => {
      const headers: Record<string, string | number> = { 'accept-encoding': 'gzip, br' };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const outgoing = request({ hostname, port, path, method, headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('error', () => {
          countError('socket (answer)');
          resolve();
        });
        res.on('end', () => {
          lastAnswer = performance.now();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            ok++;
            latencies[route].push(lastAnswer - scheduledAt);
          } else {
            countError(`status ${status} on ${route}`);
          }
          resolve();
        });
      });
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        countError(error.message === 'timeout' ? 'timeout' : `socket ${error.code ?? error.message}`);
        resolve();
      });
      outgoing.end(body);
    });
  }

  const start = performance.now();
  let scheduled = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1_000) * rate) + 1);
      for (; scheduled < due; scheduled++) {
        const pending = fire(pickRoute(), start + (scheduled * 1_000) / rate);
        inFlight.add(pending);
        void pending.then(() => inFlight.delete(pending));
      }
      if (scheduled < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();

  const all = Object.values(latencies).flat();
  const byRoute = Object.fromEntries(
    Object.entries(latencies).map(([route, values]) => [route, { count: values.length, ...percentiles(values) }]),
  ) as LoadResult['byRoute'];
  const errorCount = Object.values(errors).reduce((sum, n) => sum + n, 0);
  return {
    targetRate: rate,
    seconds,
    sent: scheduled,
    ok,
    achievedRate: Math.round((ok / ((lastAnswer - start) / 1_000)) * 10) / 10,
    errors,
    errorCount,
    latencyMs: percentiles(all),
    byRoute,
  };
}
