/**
 * What only the PostgreSQL backend has to prove (PostgreSQL run only): the same answers as SQLite
 * to one script of requests, byte for byte once server-made times and tokens are masked; the
 * migration rules at start; a clear refusal when the database cannot be used; and a PostgreSQL
 * restart (a crash: immediate shutdown) in the middle of a write burst.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { freePort, startCluster } from '../../scripts/pg-cluster.mjs';
import { LIVE_PATH } from '../../src/shared/change-feed.ts';
import { PG_SCHEMA_VERSION } from '../storage/postgres/pg-migrations.ts';
import { type Answer, type TestServer, call, review, startServer, suiteTempDir } from './helpers.ts';
import { pgServerLauncher } from './pg-servers.ts';
import { openSse } from './sse-client.ts';
import { dropTestDatabase, testDatabaseUrl } from './test-database.ts';

const ISO = /"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"/g;

/** An answer with what differs between any two runs masked: server-written times, edit tokens. */
function comparable(answer: Answer): string {
  const text = answer.text.replace(ISO, '"<time>"').replace(/"edit_token":"[^"]+"/, '"edit_token":"<token>"');
  const headers = ['content-type', 'x-favorite-wish', 'cache-control'].map((name) => `${name}: ${answer.headers.get(name)}`);
  return `${answer.status}\n${headers.join('\n')}\n${text}`;
}

async function script(base: string): Promise<string[]> {
  const answers: Answer[] = [];
  const ask = async (path: string, init?: Parameters<typeof call>[2]) => {
    const answer = await call(base, path, init);
    answers.push(answer);
    return answer;
  };
  const clientId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
  await ask('/restaurants');
  await ask('/restaurants/3');
  await ask('/reviews/?restaurant_id=2&limit=2&skip=1');
  const created = await ask('/reviews/', { method: 'POST', json: review({ client_id: clientId, rating: '5', restaurant_id: '2' }) });
  await ask('/reviews/', { method: 'POST', json: review({ client_id: clientId.toUpperCase() }) });
  await ask('/reviews/', { method: 'POST', json: review({ rating: 9 }) });
  await ask('/reviews/', { method: 'POST', json: review({ restaurant_id: 77 }) });
  await ask('/restaurants/3/?is_favorite=true', { method: 'PUT' });
  await ask(`/restaurants/3/?is_favorite=false&wished_at=${Date.now() - 86_400_000}`, { method: 'PUT' });
  await ask('/restaurants/4/', { method: 'PUT', json: { is_favorite: 'true' } });
  const id = created.body.id as number;
  const token = created.body.edit_token as string;
  await ask(`/reviews/${id}`, { method: 'PUT', json: { comments: 'Better the second time.' } });
  await ask(`/reviews/${id}`, { method: 'PUT', json: { comments: '  Better the second time.  ', edit_token: token } });
  await ask(`/reviews/${id}`);
  await ask('/ratings');
  await ask('/ratings?restaurant_id=2');
  await ask('/changes?after=0&limit=3');
  await ask('/changes?after=40');
  await ask(`/reviews/${id}?edit_token=${token}`, { method: 'DELETE' });
  await ask(`/reviews/${id}`);
  await ask('/changes?after=40');
  await ask('/changes?after=999');
  await ask('/restaurants?neighborhood=brooklyn&cuisine_type=PIZZA');
  await ask('/restaurants?is_favorite=true');
  await ask(`/restaurants?updated_since=${1_504_095_563_444 + 5_500}`);
  await ask('/restaurants/99');
  return answers.map(comparable);
}

describe('PostgreSQL answers as SQLite does', () => {
  let sqlite: TestServer;
  let postgres: TestServer;
  before(async () => {
    // databaseUrl '' : SQLite, even in this run.
    [sqlite, postgres] = await Promise.all([startServer({ databaseUrl: '' }), startServer()]);
  });
  after(async () => {
    await Promise.all([sqlite.stop(), postgres.stop()]);
  });

  it('gives the same status, headers and body to every request of one script', async () => {
    const fromSqlite = await script(sqlite.url);
    const fromPostgres = await script(postgres.url);
    assert.equal(fromPostgres.length, fromSqlite.length);
    for (const [index, answer] of fromSqlite.entries()) assert.equal(fromPostgres[index], answer, `request ${index + 1}`);
  });
});

describe('PostgreSQL migrations and startup', () => {
  const fileIn = suiteTempDir('rr-pg-start-');

  it('records each step once, and refuses a database newer than it knows, saying so', async () => {
    const dbFile = fileIn('newer.sqlite');
    const server = await startServer({ dbFile });
    await server.stop();
    const url = await testDatabaseUrl(dbFile);
    const client = new pg.Client(url);
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((row) => row.version), Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
      await client.query("INSERT INTO schema_migrations (version, description) VALUES (99, 'from the future')");
    } finally {
      await client.end();
    }
    await assert.rejects(
      startServer({ dbFile }),
      new RegExp(`schema version 99, newer than this server's ${PG_SCHEMA_VERSION}\\. Run a newer server, or point DATABASE_URL`),
    );
    await dropTestDatabase(dbFile);
  });

  it('refuses to start when the database cannot be reached, naming DATABASE_URL but not the password', async () => {
    const port = await freePort();
    await assert.rejects(
      startServer({ databaseUrl: `postgres://rr:hunter2@127.0.0.1:${port}/reviews` }),
      (error: Error) =>
        error.message.startsWith(`Cannot use the PostgreSQL database of DATABASE_URL (rr@127.0.0.1:${port}/reviews)`) &&
        !error.message.includes('hunter2'),
    );
  });
});

describe('PostgreSQL restarted in the middle of a write burst', () => {
  it('keeps every acknowledged write, the servers recover by themselves, retries double nothing', async () => {
    const cluster = await startCluster();
    const launcher = await pgServerLauncher();
    try {
      const [a, b] = await Promise.all([launcher.launch(cluster.url), launcher.launch(cluster.url)]);
      const stream = await openSse(`${b.url}${LIVE_PATH}?after=40`);
      const bodies = Array.from({ length: 200 }, (_, i) => review({ client_id: randomUUID(), name: `Burst ${i}` }));
      const acknowledged = new Set<string>();
      let failures = 0;
      let restart: Promise<void> | undefined;
      const queue = [...bodies];
      await Promise.all(
        Array.from({ length: 4 }, async (_, worker) => {
          for (let body = queue.shift(); body; body = queue.shift()) {
            for (let attempt = 0; ; attempt++) {
              // 30 s of retries: far longer than the outage; a server that died never answers.
              assert.ok(attempt < 600, 'the servers never recovered');
              const answer = await call(worker % 2 ? a.url : b.url, '/reviews/', { method: 'POST', json: body }).catch(() => undefined);
              if (answer && (answer.status === 200 || answer.status === 201)) break;
              assert.ok(!answer || answer.status >= 500, `a refusal instead of an outage: ${answer?.status} ${answer?.text}`);
              failures += 1;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            acknowledged.add(String(body['client_id']));
            // Immediate: PostgreSQL dies without a checkpoint, as in a crash, and is down 1 s.
            if (acknowledged.size === 60 && !restart) restart = cluster.restart({ mode: 'immediate', downMs: 1_000 });
          }
        }),
      );
      assert.ok(restart);
      await restart;
      assert.ok(failures > 0, 'some writes met the outage');
      const stored = (await call(a.url, '/reviews/')).body as { client_id?: string }[];
      const burst = stored.filter((r) => r.client_id !== undefined && acknowledged.has(r.client_id));
      assert.equal(burst.length, 200, 'every acknowledged write is stored');
      assert.equal(new Set(burst.map((r) => r.client_id)).size, 200, 'and once');
      assert.equal((await call(b.url, '/reviews/')).text, (await call(a.url, '/reviews/')).text);
      // B's listener reconnected: a write on A reaches B's live client again.
      const posted = await call(a.url, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID() }) });
      assert.equal(posted.status, 201);
      const cursor = (await call(a.url, '/changes?after=0&limit=1000')).body.cursor as number;
      await stream.nextEvent((event) => Number(event.id) >= cursor, 5_000, 0);
      stream.close();
      console.log(`# ${failures} failed attempts during the restart, all retried`);
    } finally {
      await launcher.close();
      cluster.stop();
    }
  });
});
