/**
 * Two real server processes on one PostgreSQL database (PostgreSQL run only): any server answers
 * any request, idempotency holds across them, live notices cross from one to the other, and a
 * server killed with SIGKILL in the middle of a replay loses nothing and doubles nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LIVE_PATH } from '../../src/shared/change-feed.ts';
import { call, review } from './helpers.ts';
import { type PgServerLauncher, pgServerLauncher } from './pg-servers.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';
import type { ServerProcess } from './server-process.ts';
import { openSse } from './sse-client.ts';
import { dropTestDatabase, testDatabaseUrl } from './test-database.ts';

/** POSTs until the server answers 200 or 201, as the app's outbox does; returns that answer. */
async function postUntilStored(base: string, body: Record<string, unknown>): Promise<{ status: number; id: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await call(base, '/reviews/', { method: 'POST', json: body });
      if (answer.status === 200 || answer.status === 201) return { status: answer.status, id: answer.body.id };
      if (answer.status < 500) throw new Error(`refused: ${answer.status} ${answer.text}`);
    } catch (error) {
      if ((error as Error).message.startsWith('refused')) throw error;
      // A connection cut by the dying server: the outbox keeps the write and sends it again.
    }
    if (attempt > 200) throw new Error('never stored');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('several servers on one PostgreSQL database', () => {
  let launcher: PgServerLauncher;
  let databaseUrl: string;
  let a: ServerProcess;
  let b: ServerProcess;
  const key = `multi-server-${process.pid}`;

  before(async () => {
    databaseUrl = await testDatabaseUrl(key);
    launcher = await pgServerLauncher();
    // Started together: the migration lock lets one migrate and seed while the other waits.
    [a, b] = await Promise.all([launcher.launch(databaseUrl), launcher.launch(databaseUrl)]);
  });
  after(async () => {
    await launcher.close();
    await dropTestDatabase(key);
  });

  it('migrated and seeded once although both started at once', async () => {
    const [fromA, fromB] = await Promise.all([call(a.url, '/reviews/'), call(b.url, '/reviews/')]);
    assert.equal(fromA.body.length, 30);
    assert.equal(fromA.text, fromB.text);
  });

  it('stores one review when one client_id is posted to both servers at once', async () => {
    const body = review({ client_id: randomUUID() });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(i % 2 ? a.url : b.url, '/reviews/', { method: 'POST', json: body })),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
    const stored = (await call(b.url, '/reviews/')).body.filter((r: { client_id?: string }) => r.client_id === body['client_id']);
    assert.equal(stored.length, 1);
  });

  it('shows a write on one server on the other at once, and its notice reaches a live client of the other within 1 s', async () => {
    const current = (await call(b.url, '/changes?after=0&limit=1000')).body.cursor as number;
    const stream = await openSse(`${b.url}${LIVE_PATH}?after=${current}`);
    try {
      const posted = await call(a.url, '/reviews/', { method: 'POST', json: review({ client_id: randomUUID() }) });
      assert.equal(posted.status, 201);
      const sentAt = Date.now();
      const seen = await call(b.url, `/reviews/${posted.body.id}`);
      assert.equal(seen.status, 200);
      const { edit_token: _token, ...stored } = posted.body;
      assert.deepEqual(seen.body, stored);
      const notice = await stream.nextEvent((event) => event.event === 'changes' && Number(event.id) > current, 1_000, 0);
      assert.ok(Date.now() - sentAt < 1_000);
      const page = (await call(b.url, `/changes?after=${current}`)).body;
      assert.equal(page.cursor, Number(notice.id));
      assert.deepEqual(page.reviews.map((r: { id: number }) => r.id), [posted.body.id]);
    } finally {
      stream.close();
    }
  });

  it('stores exactly 300 reviews when one server is killed (SIGKILL) during a replay spread over both', async () => {
    const proxy = await startRoundRobinProxy([a.url, b.url]);
    try {
      const bodies = Array.from({ length: 300 }, (_, i) => review({ client_id: randomUUID(), name: `Replay ${i}` }));
      let acknowledged = 0;
      let killed: Promise<void> | undefined;
      const queue = [...bodies];
      // Six requests in flight, as a browser's connection pool would send them.
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let body = queue.shift(); body; body = queue.shift()) {
            await postUntilStored(proxy.url, body);
            acknowledged += 1;
            if (acknowledged === 100) killed = a.kill();
          }
        }),
      );
      await killed;
      assert.ok(proxy.counts[0]! > 50 && proxy.counts[1]! > 50, `spread over both: ${proxy.counts.join(' / ')}`);
      const stored = (await call(b.url, '/reviews/')).body as { client_id?: string; name: string }[];
      const ids = new Set(bodies.map((body) => body['client_id']));
      const replayed = stored.filter((r) => ids.has(r.client_id));
      assert.equal(replayed.length, 300);
      assert.equal(new Set(replayed.map((r) => r.client_id)).size, 300);
    } finally {
      await proxy.close();
    }
  });
});
