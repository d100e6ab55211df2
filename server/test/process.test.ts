/**
 * The real entry point (server/main.ts) as a child process: startup, graceful shutdown with a
 * request in flight, durability of acknowledged writes when killed, and startup errors.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { listeningUrl } from '../listening.ts';
import { call, makeTempDir, removeDir, review } from './helpers.ts';
import { answerBody, reviewPost, trickle } from './slow-client.ts';
import { openSse } from './sse-client.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Child {
  process: ChildProcess;
  url: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
}

function run(env: Record<string, string>): { process: ChildProcess; exit: Child['exit']; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code, signal })) as Child['exit'];
  return { process: child, exit, stdout: () => stdout, stderr: () => stderr };
}

async function start(env: Record<string, string>): Promise<Child> {
  const child = run(env);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const url = listeningUrl(child.stdout());
    if (url) return { process: child.process, url, exit: child.exit, stdout: child.stdout, stderr: child.stderr };
    if (child.process.exitCode !== null || Date.now() > deadline) {
      child.process.kill('SIGKILL');
      throw new Error(`server did not start: ${child.stderr()}`);
    }
    await sleep(25);
  }
}

describe('server process', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  before(() => {
    dir = makeTempDir('rr-process-');
  });
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    removeDir(dir);
  });

  const baseEnv = () => ({ STATIC_DIR: join(dir, 'no-app') });

  it('finishes a request in flight on SIGTERM, then exits 0 with the database closed', async () => {
    const dbFile = join(dir, 'graceful.sqlite');
    const server = await start({ ...baseEnv(), DB_FILE: dbFile });
    children.push(server.process);

    // The request is in flight during the signal: its headers were parsed (the server said
    // "100 Continue") but its body is only sent once the server has stopped listening.
    const body = JSON.stringify(review({ comments: 'Written while the server was stopping' }));
    const { hostname, port } = new URL(server.url);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path: '/reviews/',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            expect: '100-continue',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.on('continue', () => {
        void stoppedListening().then(() => req.end(body));
      });
    });
    async function stoppedListening(): Promise<void> {
      server.process.kill('SIGTERM');
      for (;;) {
        try {
          await fetch(`${server.url}/restaurants`);
        } catch {
          return; // connection refused: close() has begun
        }
        await sleep(20);
      }
    }
    const { status, text } = await answer;
    assert.equal(status, 201, text);
    const { code, signal } = await server.exit;
    assert.equal(signal, null);
    assert.equal(code, 0, server.stderr());
    assert.equal(existsSync(`${dbFile}-wal`), false, 'the database was closed cleanly');

    const db = new Database(dbFile, { readonly: true });
    const comments = db.prepare('SELECT comments FROM reviews WHERE id = ?').pluck().get(JSON.parse(text).id);
    db.close();
    assert.equal(comments, 'Written while the server was stopping');
  });

  it('ends open live-notice streams on SIGTERM and exits 0 at once, not after the grace period', async () => {
    const dbFile = join(dir, 'live.sqlite');
    const server = await start({ ...baseEnv(), DB_FILE: dbFile, LIVE_HEARTBEAT_MS: '1000' });
    children.push(server.process);
    const streams = await Promise.all([1, 2].map(() => openSse(`${server.url}/changes/live`)));
    for (const stream of streams) assert.equal(stream.status, 200);
    await streams[0]!.nextEvent(undefined, 5_000, 0);
    server.process.kill('SIGTERM');
    await Promise.all(streams.map((stream) => stream.ended));
    const { code, signal } = await server.exit;
    // A stream holding up close() would end in the 10-second force exit, with code 1.
    assert.equal(signal, null);
    assert.equal(code, 0, server.stderr());
    assert.equal(existsSync(`${dbFile}-wal`), false, 'the database was closed cleanly');
  });

  it('keeps every acknowledged write when killed with SIGKILL', async () => {
    const dbFile = join(dir, 'crash.sqlite');
    const server = await start({ ...baseEnv(), DB_FILE: dbFile });
    children.push(server.process);
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) {
      const created = await call(server.url, '/reviews/', { method: 'POST', json: review({ comments: `crash ${i}` }) });
      assert.equal(created.status, 201);
      ids.push(created.body.id);
    }
    const favorite = await call(server.url, '/restaurants/3?is_favorite=true', { method: 'PUT' });
    assert.equal(favorite.status, 200);
    server.process.kill('SIGKILL');
    assert.equal((await server.exit).signal, 'SIGKILL');

    const db = new Database(dbFile);
    const stored = db.prepare('SELECT id FROM reviews WHERE id >= ? ORDER BY id').pluck().all(ids[0]);
    const isFavorite = db.prepare('SELECT is_favorite FROM restaurants WHERE id = 3').pluck().get();
    db.close();
    assert.deepEqual(stored, ids);
    assert.equal(isFavorite, 1);
  });

  it('refuses to start with a bad configuration, naming every bad variable', async () => {
    const child = run({
      ...baseEnv(),
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      API_BASE_URL: 'api.example.com',
      DB_FILE: join(dir, 'never.sqlite'),
    });
    children.push(child.process);
    const { code } = await child.exit;
    assert.equal(code, 1);
    assert.match(child.stderr(), /PORT must be an integer from 0 to 65535 \(got "abc"\)/);
    assert.match(child.stderr(), /LOG_LEVEL must be one of/);
    assert.match(child.stderr(), /API_BASE_URL must be an absolute http\(s\) URL .*\(got "api.example.com"\)/);
    assert.equal(existsSync(join(dir, 'never.sqlite')), false, 'nothing was created');
  });

  it('cuts off a request body sent too slowly after REQUEST_TIMEOUT_MS, and logs why', async () => {
    const server = await start({ ...baseEnv(), DB_FILE: join(dir, 'slow.sqlite'), REQUEST_TIMEOUT_MS: '1500', LOG_LEVEL: 'info' });
    children.push(server.process);
    const { request: bytes, head } = reviewPost(review());
    const outcome = await trickle(server.url, { request: bytes, upfrontBytes: head, chunkBytes: 1, intervalMs: 500 });
    assert.equal(outcome.status, 408, outcome.answer);
    assert.deepEqual(answerBody(outcome.answer), { error: 'Request Timeout', message: 'The request took too long to arrive' });
    assert.ok(outcome.elapsedMs >= 1450, `not before the limit (${outcome.elapsedMs} ms)`);
    assert.equal((await call(server.url, '/reviews/')).body.length, 30, 'nothing was written');
    server.process.kill('SIGTERM');
    await server.exit;
    assert.match(server.stdout(), /"statusCode":408,"msg":"request cut off: the client took too long to send it"/);
  });

  it('refuses a headers timeout longer than the request timeout, naming both variables', async () => {
    const child = run({ ...baseEnv(), REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '9000', DB_FILE: join(dir, 'never.sqlite') });
    children.push(child.process);
    assert.equal((await child.exit).code, 1);
    assert.match(child.stderr(), /HEADERS_TIMEOUT_MS \(9000\) must not exceed REQUEST_TIMEOUT_MS \(5000\)/);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const port = String((blocker.address() as AddressInfo).port);
      const child = run({ ...baseEnv(), PORT: port, DB_FILE: join(dir, 'taken.sqlite') });
      children.push(child.process);
      const { code } = await child.exit;
      assert.equal(code, 1);
      assert.match(child.stderr(), new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      assert.equal(existsSync(join(dir, 'taken.sqlite-wal')), false, 'the database was closed');
    } finally {
      blocker.close();
    }
  });
});
