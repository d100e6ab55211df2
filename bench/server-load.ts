/**
 * Server throughput with autocannon: 20 connections, 10 s per route, a fresh database per route.
 *
 * These runs raise the server's write rate limit (RATE_LIMIT_MAX=1000000): one client sending
 * thousands of writes a second is what the limit exists to stop, and here it would only measure
 * the 429 path. Nothing else in the bench raises it (the sync drain runs with the default).
 */
import autocannon, { type Options, type Result } from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureAnswer, startBareServer } from './lib/bare-server.ts';
import { type Figure, type Target, failed, figure, messageOf } from './lib/figures.ts';
import { type Scope, sleep } from './lib/scope.ts';
import { startServer } from './lib/server.ts';
import { measureBackends } from './server-backends.ts';

export const RAISED_LIMIT_ENV = { RATE_LIMIT_MAX: '1000000' };

export interface Route {
  name: string;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: () => string;
  reqTarget?: Target;
  p99Target?: Target;
}

export const ROUTES: Route[] = [
  { name: 'GET /restaurants', method: 'GET', path: '/restaurants', reqTarget: { op: '>=', value: 5000 }, p99Target: { op: '<', value: 20 } },
  {
    name: 'GET /restaurants (accept-encoding: gzip, deflate, br)',
    method: 'GET',
    path: '/restaurants',
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  },
  { name: 'GET /reviews/?restaurant_id=1', method: 'GET', path: '/reviews/?restaurant_id=1' },
  { name: 'PUT /restaurants/1/?is_favorite=true', method: 'PUT', path: '/restaurants/1/?is_favorite=true' },
  {
    name: 'POST /reviews/',
    method: 'POST',
    path: '/reviews/',
    headers: { 'content-type': 'application/json' },
    body: () =>
      JSON.stringify({
        restaurant_id: 1 + Math.floor(Math.random() * 10),
        name: 'Load test',
        rating: 1 + Math.floor(Math.random() * 5),
        comments: 'Written by autocannon to measure the write path of the server.',
        client_id: randomUUID(),
      }),
    reqTarget: { op: '>=', value: 1500 },
  },
];

export interface ServerRun {
  route: string;
  requestsPerSecond: number;
  totalRequests: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes?: Record<string, number>;
  throughputBytesPerSecond: number;
}

export async function measureServerLoad(
  scope: Scope,
  { durationS = 10, connections = 20, warmupS = 2, log = console.log }: { durationS?: number; connections?: number; warmupS?: number; log?: (line: string) => void } = {},
): Promise<{ figures: Figure[]; details: { runs: ServerRun[]; ratios: RatioRun[]; env: Record<string, string> } }> {
  const figures: Figure[] = [];
  const runs: ServerRun[] = [];
  // First, so that a slow machine's time limit cuts the per-route figures rather than this one.
  const ratios = await measureBareRatio(scope, { durationS, connections, warmupS, log }, figures);
  const g = 'server';
  const note = `1 run of ${durationS} s, ${connections} conn., RATE_LIMIT_MAX=1000000`;
  for (const route of ROUTES) {
    scope.check();
    try {
      const server = await startServer(scope, { env: RAISED_LIMIT_ENV });
      try {
        if (warmupS) await cannon(scope, server.url, route, warmupS, connections);
        const result = await cannon(scope, server.url, route, durationS, connections);
        const run = summarize(route.name, result);
        runs.push(run);
        log(
          `  ${route.name}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms, errors ${run.errors}, non-2xx ${run.non2xx}`,
        );
        figures.push(figure(g, `${route.name}: req/s`, 'req/s', [run.requestsPerSecond], { target: route.reqTarget, note }));
        figures.push(figure(g, `${route.name}: latency p50`, 'ms', [run.latencyP50]));
        figures.push(figure(g, `${route.name}: latency p99`, 'ms', [run.latencyP99], { target: route.p99Target }));
        figures.push(
          figure(g, `${route.name}: errors + non-2xx`, '', [run.errors + run.non2xx], {
            target: { op: '=', value: 0 },
            note: run.errors + run.non2xx && run.statusCodes ? `status ${JSON.stringify(run.statusCodes)}` : undefined,
          }),
        );
      } finally {
        await server.stop();
      }
    } catch (error) {
      log(`  ${route.name}: error: ${messageOf(error)}`);
      figures.push(failed(g, `${route.name}: req/s`, 'req/s', error, route.reqTarget));
    }
    await sleep(300);
  }
  // GET and POST on SQLite, PostgreSQL with one server and with two (server-backends.ts); 5 s
  // each keeps the whole server measurement within its budget.
  figures.push(...(await measureBackends(scope, { durationS: Math.min(durationS, 5), connections, warmupS, log })));
  return { figures, details: { runs, ratios, env: RAISED_LIMIT_ENV } };
}

interface RatioRun {
  variant: string;
  ours: ServerRun;
  bare: ServerRun;
  ratio: number;
  bytes: number;
}

/**
 * GET /restaurants against a bare node:http server that sends the very same bytes (status,
 * headers, body captured from our answer), measured one after the other in the same run, with
 * the same connections and duration: the ratio is how much of what Node itself could do our
 * whole stack (routing, hooks, CORS, security headers, the change-sequence read, the list cache) keeps.
 */
async function measureBareRatio(
  scope: Scope,
  { durationS, connections, warmupS, log }: { durationS: number; connections: number; warmupS: number; log: (line: string) => void },
  figures: Figure[],
): Promise<RatioRun[]> {
  const g = 'server';
  const runs: RatioRun[] = [];
  const variants: Array<{ name: string; headers?: Record<string, string>; target?: Target }> = [
    { name: 'GET /restaurants', target: { op: '>=', value: 0.5 } },
    { name: 'GET /restaurants (accept-encoding: br)', headers: { 'accept-encoding': 'br' } },
  ];
  for (const variant of variants) {
    scope.check();
    const label = `${variant.name}: throughput vs bare node:http (same bytes, same run)`;
    const dir = mkdtempSync(join(tmpdir(), 'rr-bench-bare-'));
    try {
      const server = await startServer(scope, { env: RAISED_LIMIT_ENV });
      try {
        const route: Route = { name: variant.name, method: 'GET', path: '/restaurants', headers: variant.headers };
        const answer = await captureAnswer(server.url + route.path, variant.headers);
        const bare = await startBareServer(scope, dir, answer);
        if (warmupS) await cannon(scope, server.url, route, warmupS, connections);
        const ours = summarize(variant.name, await cannon(scope, server.url, route, durationS, connections));
        if (warmupS) await cannon(scope, bare.url, route, warmupS, connections);
        const plain = summarize(`${variant.name} (bare node:http)`, await cannon(scope, bare.url, route, durationS, connections));
        const ratio = ours.requestsPerSecond / plain.requestsPerSecond;
        runs.push({ variant: variant.name, ours, bare: plain, ratio, bytes: answer.body.length });
        log(`  ${label}: ${ratio.toFixed(2)} (${Math.round(ours.requestsPerSecond)} vs ${Math.round(plain.requestsPerSecond)} req/s, ${answer.body.length} B)`);
        figures.push(
          figure(g, label, '', [ratio], {
            target: variant.target,
            note: `ours ${Math.round(ours.requestsPerSecond)} req/s, bare ${Math.round(plain.requestsPerSecond)} req/s, ${answer.body.length} B body, errors ${ours.errors + ours.non2xx}/${plain.errors + plain.non2xx}`,
          }),
        );
      } finally {
        await server.stop();
      }
    } catch (error) {
      log(`  ${label}: error: ${messageOf(error)}`);
      figures.push(failed(g, label, '', error, variant.target));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await sleep(300);
  }
  return runs;
}

export function cannon(scope: Scope, url: string, route: Route, durationS: number, connections: number): Promise<Result> {
  const options: Options = {
    url,
    connections,
    duration: durationS,
    timeout: 10,
    requests: [
      {
        method: route.method,
        path: route.path,
        headers: route.headers,
        ...(route.body ? { setupRequest: (request) => ({ ...request, body: route.body!() }) } : {}),
      },
    ],
  };
  const instance = autocannon(options);
  scope.defer(`autocannon ${route.name}`, () => instance.stop());
  return Promise.resolve(instance);
}

function summarize(route: string, result: Result): ServerRun {
  const statusCodes = result.statusCodeStats
    ? Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]))
    : undefined;
  return {
    route,
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    throughputBytesPerSecond: result.throughput.average,
  };
}
