import { randomUUID } from 'node:crypto';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { type RoundRobinProxy, startRoundRobinProxy } from '../server/test/round-robin-proxy';
import { reviewCreate } from '../src/testing/records';
import { expect, readStore, test, waitForOfflineReady } from './fixtures';
import { ServerProcess } from './server';
import { addRecords, dispatchSync, registerSync } from './sync-helpers';

/**
 * Two real servers on one PostgreSQL (a throwaway cluster), a round-robin balancer in front of
 * them, and the real app in Chromium: the app and its API both come through the balancer, so the
 * replay's requests are spread over both servers. One server is killed with SIGKILL in the middle
 * of a 300-review replay: requests cut off with it get a 502 and are retried by the outbox; new
 * ones go to the live server (the balancer passes on refused connections, as nginx does).
 */
test.describe('several servers behind a load balancer', () => {
  test('a server killed (SIGKILL) during a replay of 300 reviews: exactly 300 stored', async ({ page, context }) => {
    test.setTimeout(240_000);
    const cluster = await startCluster();
    const servers: ServerProcess[] = [];
    let proxy: RoundRobinProxy | undefined;
    try {
      // One database for both; the migration lock lets them start together.
      const databaseUrl = cluster.url;
      servers.push(...(await Promise.all([ServerProcess.start({ DATABASE_URL: databaseUrl }), ServerProcess.start({ DATABASE_URL: databaseUrl })])));
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const balancer = await startRoundRobinProxy([a.url, b.url]);
      proxy = balancer;
      const stored = async () => {
        const response = await fetch(`${b.url}/reviews/?restaurant_id=4`);
        return ((await response.json()) as { name: string; client_id?: string }[]).filter((r) => r.name.startsWith('Balanced '));
      };

      await page.goto(`${balancer.url}/restaurant/4`);
      await waitForOfflineReady(page);
      await context.setOffline(true);
      const count = 300;
      const bulk = Array.from({ length: count }, (_, i) =>
        reviewCreate({ api: balancer.url, restaurant_id: 4, name: `Balanced ${i}`, rating: 1 + (i % 5), comments: `Queued review ${i} ${randomUUID()}.` }),
      );
      await addRecords(page, 'offline-reviews', bulk);
      await registerSync(page, 'syncReviews');
      const queued = (await readStore<{ client_id: string }>(page, 'offline-reviews')).map((r) => r.client_id);
      expect(queued).toHaveLength(count);

      await context.setOffline(false);
      await expect.poll(async () => (await stored()).length, { timeout: 30_000, intervals: [5] }).toBeGreaterThan(20);
      await a.kill();
      const midway = (await stored()).length;
      expect(midway, 'server A died in the middle of the replay').toBeLessThan(count);

      // The browser retries a failed sync by itself, later; here its retry is fired at once.
      await expect
        .poll(
          async () => {
            const now = (await stored()).length;
            if (now < count) await dispatchSync(context, page, 'syncReviews').catch(() => {});
            return now;
          },
          { timeout: 170_000, intervals: [2_000] },
        )
        .toBe(count);
      await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 20_000 }).toEqual([]);
      const delivered = (await stored()).map((r) => r.client_id).sort();
      expect(delivered).toEqual([...queued].sort());
      test.info().annotations.push({
        type: 'spread',
        description: `${midway} of ${count} stored when A was killed; requests per server ${balancer.counts.join(' / ')}`,
      });
    } finally {
      await proxy?.close();
      await Promise.all(servers.map((server) => server.dispose()));
      cluster.stop();
    }
  });
});
