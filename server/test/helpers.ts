/**
 * Shared by the server tests: a real server on a free port over a temporary SQLite file, or, in
 * the PostgreSQL run, a fresh database of the test cluster (test-database.ts), and a small fetch
 * wrapper. Not a test file itself (the runner's glob is *.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { changeFeedPaths } from '../../src/shared/change-feed.ts';
import { buildServer, type ServerOptions } from '../app.ts';
import type { ClassicChangePage } from '../storage/change-store.ts';
import { PG_ADMIN_URL, dropTestDatabase, testDatabaseUrl } from './test-database.ts';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  dbFile: string;
  dir: string;
  /** Closes the server (and its database). Safe to call twice. */
  stop(): Promise<void>;
}

export function makeTempDir(prefix = 'rr-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary folder for the tests of the `describe` block this is called in (it adds that
 * block's before and after hooks): made before the first test, removed after the last. Returns
 * a function naming a file in it, for tests and later hooks (the folder exists only by then).
 */
export function suiteTempDir(prefix?: string): (name: string) => string {
  let dir: string | undefined;
  before(() => {
    dir = makeTempDir(prefix);
  });
  after(() => {
    if (dir) removeDir(dir);
  });
  return (name) => {
    if (!dir) throw new Error('suiteTempDir: the folder is made in a before hook; name files in tests and later hooks');
    return join(dir, name);
  };
}

export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  // A caller that brings its own file owns its folder; otherwise the folder is ours to remove.
  const ownsDir = options.dbFile === undefined;
  const dir = ownsDir ? makeTempDir() : dirname(options.dbFile ?? '');
  const dbFile = options.dbFile ?? join(dir, 'db.sqlite');
  // In the PostgreSQL run, "this file" is the cluster's database named after it.
  const ownDatabase = options.databaseUrl === undefined && PG_ADMIN_URL !== undefined;
  const databaseUrl = ownDatabase ? await testDatabaseUrl(dbFile) : options.databaseUrl;
  const app = await buildServer({ logLevel: 'silent', ...options, dbFile, databaseUrl });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  let stopped = false;
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    dbFile,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      if (ownsDir) removeDir(dir);
      if (ownsDir && ownDatabase) await dropTestDatabase(dbFile);
    },
  };
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch + JSON: objects given as `json` are sent as application/json. */
export async function call<T = any>(
  base: string,
  path: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(base + path, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json') && text) {
    parsed = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * A raw HTTP request, for what fetch would "fix" before sending: `..` segments in the path,
 * backslashes, exact header control.
 */
export function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Everything the API exposes, to prove that a refused request changed nothing. */
export async function snapshot(base: string): Promise<string> {
  const [restaurants, reviews] = await Promise.all([
    call(base, '/restaurants'),
    call(base, '/reviews/'),
  ]);
  return JSON.stringify({ restaurants: restaurants.body, reviews: reviews.body });
}

export function review(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { restaurant_id: 1, name: 'Tess', rating: 4, comments: 'Lovely dumplings.', ...overrides };
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** GET /changes?after=…; fails the test unless the answer is a 200 page. */
export async function pull(base: string, after: number, limit?: number): Promise<ClassicChangePage> {
  const answer = await call<ClassicChangePage>(base, changeFeedPaths.changes(after, limit));
  if (answer.status !== 200) throw new Error(`GET /changes?after=${after} answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

/** Pulls page after page until `more` is false; the pages in order. */
export async function pullAll(base: string, after: number, limit?: number): Promise<ClassicChangePage[]> {
  const pages: ClassicChangePage[] = [];
  let cursor = after;
  for (;;) {
    const page = await pull(base, cursor, limit);
    pages.push(page);
    if (!page.more || page.resync) return pages;
    cursor = page.cursor;
  }
}
