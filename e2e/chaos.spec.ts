import type { Page } from '@playwright/test';
import { expect, readStore, testThroughProxy as test, waitForOfflineReady } from './fixtures';
import { reviewCreate } from '../src/testing/records';
import { addRecords, dispatchSync, registerSync, syncStatus, writeReview } from './sync-helpers';


const isReviewPost = (req: { method?: string; url?: string }) => req.method === 'POST' && !!req.url?.startsWith('/reviews');

interface Queued {
  client_id: string;
  status: string;
  attempts: number;
}

/** Puts `count` reviews straight into the outbox and registers the sync tag (the form would be slow). */
async function queueReviews(page: Page, restaurantId: number, prefix: string, count: number): Promise<string[]> {
  const api = new URL(page.url()).origin;
  const records = Array.from({ length: count }, (_, i) =>
    reviewCreate({ api, restaurant_id: restaurantId, name: `${prefix} ${i}`, rating: 1 + (i % 5), comments: `Chaos review ${i}.` }),
  );
  await addRecords(page, 'offline-reviews', records);
  await registerSync(page, 'syncReviews');
  return records.map((r) => r.client_id);
}

test.describe('browser chaos: every queued write arrives exactly once', () => {
  test('the server is killed in the middle of a replay, then comes back', async ({ page, context, server, faults, api }) => {
    await page.goto('/restaurant/3');
    await waitForOfflineReady(page);
    await context.setOffline(true);
    const queued = await queueReviews(page, 3, 'Killed', 250);
    // A batch replay is over in a blink: the first batch's answer passes, the later ones are held
    // (the server has committed them, the device does not know), and the server dies meanwhile.
    let batches = 0;
    faults.inject({ kind: 'hold-answer' }, (req) => isReviewPost(req) && ++batches > 1);

    await context.setOffline(false);
    const arrived = async () => (await api.reviewsOf(3)).filter((r) => r.name.startsWith('Killed ')).length;
    await expect.poll(() => faults.holding, { timeout: 10_000, intervals: [5] }).toBeGreaterThan(0);
    await expect.poll(arrived, { timeout: 10_000, intervals: [5] }).toBeGreaterThan(0);
    await server.kill();
    faults.dropHeld();
    const midway = (await readStore<Queued>(page, 'offline-reviews')).length;
    expect(midway, 'the kill landed in the middle of the replay').toBeGreaterThan(0);

    faults.heal();
    await server.start();
    await dispatchSync(context, page, 'syncReviews');

    await expect.poll(arrived, { timeout: 15_000 }).toBe(250);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
    const onServer = (await api.reviewsOf(3)).filter((r) => r.name.startsWith('Killed ')).map((r) => r.client_id);
    expect(onServer.sort()).toEqual([...queued].sort());
    test.info().annotations.push({ type: 'midway', description: `${midway} of 250 still queued when the server died` });
  });

  test('the server answers 503 for a while, then recovers', async ({ page, context, faults, api }) => {
    await page.goto('/restaurant/4');
    await waitForOfflineReady(page);
    faults.inject({ kind: 'status', status: 503 }, isReviewPost);

    await writeReview(page, { name: 'Patient Pam', rating: 4, comments: 'Sent during a 503 spell.' });
    await expect.poll(async () => (await readStore<Queued>(page, 'offline-reviews'))[0]?.attempts ?? 0).toBeGreaterThan(0);
    const [kept] = await readStore<Queued>(page, 'offline-reviews');
    expect(kept.status).toBe('pending');
    await expect(page.getByText('Pending sync')).toBeVisible();
    await expect(syncStatus(page)).toContainText('1 change waiting to sync');
    expect((await api.reviewsOf(4)).some((r) => r.name === 'Patient Pam')).toBe(false);

    faults.heal();
    await dispatchSync(context, page, 'syncReviews');

    await expect.poll(async () => (await api.reviewsOf(4)).filter((r) => r.name === 'Patient Pam').length).toBe(1);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
    await expect(syncStatus(page)).not.toContainText('waiting');
  });

  test('a slow server (10 s per answer) still gets each review once, even with a second sync meanwhile', async ({
    page,
    context,
    faults,
    api,
  }) => {
    test.setTimeout(90_000);
    await page.goto('/restaurant/5');
    await waitForOfflineReady(page);
    faults.inject({ kind: 'delay', ms: 10_000 }, isReviewPost);

    await writeReview(page, { name: 'Slow Sue', rating: 3, comments: 'The server took its time.' });
    await expect.poll(() => faults.matched('POST', '/reviews'), { timeout: 5_000 }).toBe(1);
    await expect(page.getByText('Pending sync')).toBeVisible();
    // The browser retries a sync it thinks is stuck; ours waits for the lock instead of sending again.
    await dispatchSync(context, page, 'syncReviews');

    await expect.poll(async () => (await api.reviewsOf(5)).filter((r) => r.name === 'Slow Sue').length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 15_000 }).toEqual([]);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
    await page.waitForTimeout(1_000);
    expect((await api.reviewsOf(5)).filter((r) => r.name === 'Slow Sue')).toHaveLength(1);
  });

  test('a 429 with Retry-After is honoured: nothing is sent before it, everything after', async ({
    page,
    context,
    faults,
    api,
  }) => {
    await page.goto('/restaurant/6');
    await waitForOfflineReady(page);
    faults.inject({ kind: 'status', status: 429, headers: { 'retry-after': '3' } }, isReviewPost);

    await writeReview(page, { name: 'Waiting Wes', rating: 5, comments: 'Told to wait three seconds.' });
    await expect.poll(() => faults.matched('POST', '/reviews')).toBe(1);
    faults.heal();
    const refusedAt = faults.log[0].at;

    // A retry inside the window sends nothing.
    await dispatchSync(context, page, 'syncReviews');
    await page.waitForTimeout(500);
    expect((await api.reviewsOf(6)).some((r) => r.name === 'Waiting Wes')).toBe(false);

    // After it, the next sync delivers.
    await page.waitForTimeout(Math.max(0, refusedAt + 3_100 - Date.now()));
    await dispatchSync(context, page, 'syncReviews');
    await expect.poll(async () => (await api.reviewsOf(6)).filter((r) => r.name === 'Waiting Wes').length).toBe(1);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
  });
});
