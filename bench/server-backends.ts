/**
 * GET and POST throughput of the three ways to run the API, side by side in one run: embedded
 * SQLite (one server), PostgreSQL with one server, PostgreSQL with two servers on one database
 * (the load split evenly over both, as a load balancer would; their figures added up). PostgreSQL
 * is a throwaway cluster started here (scripts/pg-cluster.mjs), with its default durability
 * (fsync on, synchronous_commit on), so every acknowledged POST is on disk, as on SQLite.
 *
 * Writes on PostgreSQL are serialized by the change-sequence row lock (server/storage/postgres/
 * pg-writes.ts): a second server adds CPU for HTTP, JSON and validation, not write concurrency.
 */
import type { Result } from 'autocannon';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { type Figure, type Target, failed, figure, messageOf } from './lib/figures.ts';
import type { Scope } from './lib/scope.ts';
import { type BenchServer, startServer } from './lib/server.ts';
import { RAISED_LIMIT_ENV, ROUTES, type Route, cannon } from './server-load.ts';

const MEASURED = ['GET /restaurants', 'POST /reviews/'];

interface Setup {
  name: string;
  servers: number;
  postgres: boolean;
  targets: Record<string, Target>;
}

const SETUPS: Setup[] = [
  { name: 'SQLite', servers: 1, postgres: false, targets: { 'GET /restaurants': { op: '>=', value: 5000 }, 'POST /reviews/': { op: '>=', value: 1500 } } },
  { name: 'PostgreSQL, 1 server', servers: 1, postgres: true, targets: { 'GET /restaurants': { op: '>=', value: 2000 }, 'POST /reviews/': { op: '>=', value: 500 } } },
  { name: 'PostgreSQL, 2 servers', servers: 2, postgres: true, targets: { 'GET /restaurants': { op: '>=', value: 3000 }, 'POST /reviews/': { op: '>=', value: 500 } } },
];

export async function measureBackends(
  scope: Scope,
  { durationS = 10, connections = 20, warmupS = 2, log = console.log }: { durationS?: number; connections?: number; warmupS?: number; log?: (line: string) => void } = {},
): Promise<Figure[]> {
  const g = 'server-backends';
  const figures: Figure[] = [];
  const table = new Map<string, string[]>();
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster();
  } catch (error) {
    return MEASURED.map((route) => failed(g, `${route}: PostgreSQL`, 'req/s', error));
  }
  scope.defer('PostgreSQL cluster', () => cluster.stop());
  const routes = ROUTES.filter((route) => MEASURED.includes(route.name));
  let database = 0;
  for (const setup of SETUPS) {
    for (const route of routes) {
      scope.check();
      const name = `${route.name}: ${setup.name}`;
      try {
        const env = { ...RAISED_LIMIT_ENV, ...(setup.postgres ? { DATABASE_URL: await freshDatabase(cluster.url, `bench_${++database}`) } : {}) };
        const servers: BenchServer[] = [];
        for (let i = 0; i < setup.servers; i++) servers.push(await startServer(scope, { env }));
        try {
          const perServer = Math.max(1, Math.round(connections / setup.servers));
          const load = (seconds: number) => Promise.all(servers.map((server) => cannon(scope, server.url, route, seconds, perServer)));
          if (warmupS) await load(warmupS);
          const results = await load(durationS);
          const perSecond = sum(results, (result) => result.requests.average);
          const bad = sum(results, (result) => result.errors + result.non2xx);
          log(`  ${name}: ${Math.round(perSecond)} req/s, errors + non-2xx ${bad}`);
          table.set(route.name, [...(table.get(route.name) ?? []), `${setup.name} ${Math.round(perSecond)}`]);
          figures.push(
            figure(g, `${name}: req/s`, 'req/s', [perSecond], {
              target: setup.targets[route.name],
              note: `${durationS} s, ${connections} conn. over ${setup.servers} server(s)`,
            }),
          );
          figures.push(figure(g, `${name}: errors + non-2xx`, '', [bad], { target: { op: '=', value: 0 } }));
        } finally {
          await Promise.all(servers.map((server) => server.stop()));
        }
      } catch (error) {
        log(`  ${name}: error: ${messageOf(error)}`);
        figures.push(failed(g, `${name}: req/s`, 'req/s', error, setup.targets[route.name]));
      }
    }
  }
  for (const [route, cells] of table) log(`  ${route} (req/s): ${cells.join(' | ')}`);
  return figures;
}

function sum(results: Result[], value: (result: Result) => number): number {
  return results.reduce((total, result) => total + value(result), 0);
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}


