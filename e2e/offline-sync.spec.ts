import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumFlags } from '../playwright.config';
import { expect, readStore, test, waitForOfflineReady } from './fixtures';
import { REVIEW_BATCH_PATH } from '../src/shared/review-batch';
import { reviewCreate } from '../src/testing/records';
import { FaultProxy } from './fault-proxy';
import { addRecords, dispatchSync, registerSync, syncStatus, toggleFavorite, writeReview } from './sync-helpers';

interface QueuedReview {
  local_id: number;
  client_id: string;
  name: string;
  status: string;
  attempts: number;
  error?: string;
}

test.describe('offline writes through Background Sync', () => {
  test('a. offline favorite and review wait in the outbox, then reach the server once back online', async ({
    page,
    context,
    api,
  }) => {
    await page.goto('/');
    await waitForOfflineReady(page);
    await page.getByRole('link', { name: 'Kang Ho Dong Baekjeong' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Kang Ho Dong Baekjeong' })).toBeVisible();
    const reviewsBefore = (await api.reviewsOf(3)).length;

    await context.setOffline(true);
    await expect(syncStatus(page)).toContainText('Offline');
    await writeReview(page, { name: 'Offline Olivia', rating: 5, comments: 'Written on a train with no signal.' });
    await expect(page.getByText('Offline Olivia')).toBeVisible();
    await expect(page.getByText('Pending sync')).toBeVisible();
    await page.getByRole('link', { name: 'Restaurant Reviews' }).click();
    await toggleFavorite(page, 'Emily', true);
    await expect(syncStatus(page)).toContainText('2 changes waiting to sync');
    // The heart says its state is this device's wish, not yet the server's.
    const emily = page.getByRole('button', { name: 'Favorite Emily', exact: true });
    await expect(emily.getByText('Waiting to sync')).toBeVisible();
    await expect(emily).toHaveAccessibleDescription('Waiting to sync');

    // Both wait in IndexedDB, and the server has heard of neither.
    expect(await readStore(page, 'offline-favorites')).toEqual([
      expect.objectContaining({ restaurant_id: 2, is_favorite: true, status: 'pending' }),
    ]);
    expect(await readStore(page, 'offline-reviews')).toEqual([expect.objectContaining({ name: 'Offline Olivia' })]);
    expect(await api.isFavorite(2)).toBe(false);
    expect((await api.reviewsOf(3)).length).toBe(reviewsBefore);

    await context.setOffline(false);

    await expect.poll(() => api.isFavorite(2), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await api.reviewsOf(3)).filter((r) => r.name === 'Offline Olivia').length).toBe(1);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
    await expect.poll(() => readStore(page, 'offline-favorites')).toEqual([]);
    await expect(syncStatus(page)).not.toContainText('waiting');
    await expect(emily.getByText('Waiting to sync')).toHaveCount(0);
    await page.getByRole('link', { name: 'Kang Ho Dong Baekjeong' }).click();
    await expect(page.getByText('Offline Olivia')).toBeVisible();
    await expect(page.getByText('Pending sync')).toHaveCount(0);
  });

  test('b. a real outage: the app opens from cache, writes wait, and a later sync delivers each once', async ({
    page,
    context,
    server,
    api,
  }) => {
    await page.goto('/');
    await waitForOfflineReady(page);
    await expect(page.getByRole('link', { name: 'Mu Ramen' })).toBeVisible();

    await server.kill();
    // A deep link, with the server gone: ngsw serves the shell, IndexedDB the data.
    await page.goto('/restaurant/9');
    await expect(page.getByRole('heading', { level: 1, name: 'Mu Ramen' })).toBeVisible();
    await writeReview(page, { name: 'Outage Otto', rating: 4, comments: 'The server was down when I wrote this.' });
    await toggleFavorite(page, 'Mu Ramen', true);

    // The browser thinks it is online, so the sync fires at once, fails, and keeps the records.
    await expect
      .poll(async () => ((await readStore<QueuedReview>(page, 'offline-reviews'))[0]?.attempts ?? 0) >= 1, { timeout: 10_000 })
      .toBe(true);
    const [queued] = await readStore<QueuedReview>(page, 'offline-reviews');
    expect(queued.status).toBe('pending');
    expect(await readStore(page, 'offline-favorites')).toHaveLength(1);
    await expect(syncStatus(page)).toContainText('2 changes waiting to sync');

    await server.start();
    await dispatchSync(context, page, 'syncFavorite');
    await dispatchSync(context, page, 'syncReviews');

    await expect.poll(() => api.isFavorite(9), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(async () => (await api.reviewsOf(9)).filter((r) => r.client_id === queued.client_id).length)
      .toBe(1);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
    expect((await api.reviewsOf(9)).filter((r) => r.name === 'Outage Otto')).toHaveLength(1);
  });

  test('c1. the sync event dispatched twice at once delivers each review once', async ({ page, context, api }) => {
    await page.goto('/restaurant/5');
    await waitForOfflineReady(page);
    await context.setOffline(true);
    for (const name of ['Twice Tara', 'Twice Tom', 'Twice Tess']) {
      await writeReview(page, { name, rating: 3, comments: `Review by ${name}.` });
    }
    await expect(syncStatus(page)).toContainText('3 changes waiting to sync');

    await context.setOffline(false);
    await Promise.all([dispatchSync(context, page, 'syncReviews'), dispatchSync(context, page, 'syncReviews')]);

    await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 10_000 }).toEqual([]);
    const onServer = (await api.reviewsOf(5)).filter((r) => r.name.startsWith('Twice '));
    expect(onServer.map((r) => r.name).sort()).toEqual(['Twice Tara', 'Twice Tess', 'Twice Tom']);
    expect(new Set(onServer.map((r) => r.client_id)).size).toBe(3);
  });

  test('c2. closing the browser in the middle of a replay loses nothing and doubles nothing', async ({ server, api }) => {
    // Queueing, draining part, relaunching and draining the rest takes longer than the suite's
    // default 60 s on a loaded machine.
    test.setTimeout(120_000);
    const profile = mkdtempSync(join(tmpdir(), 'rr-profile-'));
    // A batch drain of 600 reviews takes well under a second: too quick to close the browser in
    // the middle of it by timing. The proxy lets the first batch's answer through and holds the
    // later ones, which the server has committed: the browser closes while they are on the wire.
    const faults = await FaultProxy.start(server.url);
    let batches = 0;
    faults.inject({ kind: 'hold-answer' }, (req) => req.method === 'POST' && req.url === REVIEW_BATCH_PATH && ++batches > 1);
    const launch = () =>
      chromium.launchPersistentContext(profile, {
        executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium',
        args: chromiumFlags,
        serviceWorkers: 'allow',
        baseURL: faults.url,
      });
    const count = 600;
    try {
      let context = await launch();
      let page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/restaurant/4');
      await waitForOfflineReady(page);
      await context.setOffline(true);
      // Queue many reviews straight through the page's own IndexedDB (the form would take minutes).
      const bulk = Array.from({ length: count }, (_, i) =>
        reviewCreate({ api: faults.url, restaurant_id: 4, name: `Bulk ${i}`, rating: 1 + (i % 5), comments: `Queued review number ${i}.` }),
      );
      await addRecords(page, 'offline-reviews', bulk);
      await registerSync(page, 'syncReviews');
      const queued = (await readStore<QueuedReview>(page, 'offline-reviews')).map((r) => r.client_id);
      expect(queued).toHaveLength(count);

      await context.setOffline(false);
      const bulkOnServer = async () => (await api.reviewsOf(4)).filter((r) => r.name.startsWith('Bulk '));
      await expect.poll(() => faults.holding, { timeout: 10_000, intervals: [5] }).toBeGreaterThan(0);
      await expect.poll(async () => (await bulkOnServer()).length, { timeout: 10_000, intervals: [5] }).toBeGreaterThan(0);
      await context.close();
      faults.dropHeld();
      faults.heal();

      const midway = (await bulkOnServer()).length;
      expect(midway, 'the browser closed in the middle of the replay').toBeLessThan(count);
      context = await launch();
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/restaurant/4');
      await expect.poll(async () => (await bulkOnServer()).length, { timeout: 60_000 }).toBe(count);
      await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 10_000 }).toEqual([]);
      const delivered = (await bulkOnServer()).map((r) => r.client_id).sort();
      expect(delivered).toEqual([...queued].sort());
      test.info().annotations.push({ type: 'midway', description: `${midway} of ${count} had arrived when the browser closed` });
      await context.close();
    } finally {
      await faults.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('e. a review the server refuses is marked "Not sent" and kept; the others still arrive', async ({
    page,
    context,
    api,
  }) => {
    await page.goto('/restaurant/2');
    await waitForOfflineReady(page);
    await context.setOffline(true);
    await writeReview(page, { name: 'Good Gina', rating: 5, comments: 'Best margherita in Brooklyn.' });
    // A record the server can never accept as it is (say, written by an older version of the app).
    await addRecords(page, 'offline-reviews', [
      reviewCreate({
        api: new URL(page.url()).origin,
        restaurant_id: 2,
        name: 'Poison Pete',
        rating: 9,
        comments: 'Nine stars out of five.',
      }),
    ]);
    await writeReview(page, { name: 'Good Gus', rating: 4, comments: 'Crust like a cloud.' });

    await context.setOffline(false);

    await expect.poll(async () => (await api.reviewsOf(2)).filter((r) => r.name.startsWith('Good ')).length, { timeout: 10_000 }).toBe(2);
    await expect
      .poll(async () => (await readStore<QueuedReview>(page, 'offline-reviews')).map((r) => [r.name, r.status]))
      .toEqual([['Poison Pete', 'failed']]);
    const [poison] = await readStore<QueuedReview>(page, 'offline-reviews');
    expect(poison.error).toMatch(/rating/i);
    expect((await api.reviewsOf(2)).some((r) => r.name === 'Poison Pete')).toBe(false);

    const card = page.locator('li, article').filter({ hasText: 'Poison Pete' }).last();
    await expect(card.getByText('Not sent')).toBeVisible();
    await expect(card).toContainText(/rating/i);
    await expect(card.getByRole('button', { name: /Retry/ })).toBeVisible();

    // Not retried by itself: another sync sends nothing for it.
    await dispatchSync(context, page, 'syncReviews');
    await page.waitForTimeout(500);
    expect((await readStore<QueuedReview>(page, 'offline-reviews'))[0].attempts).toBe(poison.attempts);

    await card.getByRole('button', { name: /Discard/ }).click();
    await expect(page.getByText('Poison Pete')).toHaveCount(0);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
  });

  test('f. favorite, unfavorite, favorite offline: only the final state reaches the server', async ({
    page,
    context,
    api,
  }) => {
    // PUTs the server answered (a try that fails before reaching the network is tried again).
    // Read by polling: Playwright hears of an answer a moment after the outbox has emptied.
    const puts: string[] = [];
    context.on('response', (response) => {
      if (response.request().method() === 'PUT') puts.push(response.url());
    });
    await page.goto('/');
    await waitForOfflineReady(page);
    await context.setOffline(true);
    await toggleFavorite(page, 'Casa Enrique', true);
    await toggleFavorite(page, 'Casa Enrique', false);
    await toggleFavorite(page, 'Casa Enrique', true);
    expect(await readStore(page, 'offline-favorites')).toEqual([
      expect.objectContaining({ restaurant_id: 10, is_favorite: true }),
    ]);
    await expect(syncStatus(page)).toContainText('1 change waiting to sync');

    await context.setOffline(false);

    await expect.poll(() => api.isFavorite(10), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => readStore(page, 'offline-favorites')).toEqual([]);
    await expect.poll(() => puts.filter((url) => url.includes('/restaurants/10'))).toEqual([expect.stringContaining('is_favorite=true')]);
    await page.reload();
    await expect(page.getByRole('button', { name: /favorite.*Casa Enrique/i })).toHaveAttribute('aria-pressed', 'true');
  });

  test('g. with two tabs open, a write synced from one shows in the other', async ({ page, context, api }) => {
    await page.goto('/restaurant/1');
    await waitForOfflineReady(page);
    const other = await context.newPage();
    await other.goto('/restaurant/1');
    await expect(other.getByRole('heading', { level: 1, name: 'Mission Chinese Food' })).toBeVisible();

    await context.setOffline(true);
    await writeReview(page, { name: 'Tabby Tina', rating: 4, comments: 'Seen from two tabs at once.' });
    await expect(other.getByText('Tabby Tina')).toBeVisible();
    await expect(other.getByText('Pending sync')).toBeVisible();
    await expect(syncStatus(other)).toContainText('1 change waiting to sync');

    await context.setOffline(false);

    await expect.poll(async () => (await api.reviewsOf(1)).filter((r) => r.name === 'Tabby Tina').length, { timeout: 10_000 }).toBe(1);
    await expect(other.getByText('Pending sync')).toHaveCount(0);
    await expect(other.getByText('Tabby Tina')).toBeVisible();
    await expect(syncStatus(other)).not.toContainText('waiting');
    // The review says so itself, in both tabs; no toast covers it with the same news.
    await expect(other.locator('article', { hasText: 'Tabby Tina' }).getByText('Sent', { exact: true })).toBeVisible();
    await expect(other.getByRole('region', { name: 'Notifications' })).not.toContainText('review sent');
  });
});

test.describe('without Background Sync', () => {
  test.beforeEach(async ({ context }) => {
    // Firefox and Safari: no SyncManager, no registration.sync.
    await context.addInitScript(() => {
      delete (window as { SyncManager?: unknown }).SyncManager;
      delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
    });
  });

  test('d. offline writes are replayed on "online" and at app start', async ({ page, context, api }) => {
    await page.goto('/restaurant/6');
    await waitForOfflineReady(page);
    expect(await page.evaluate(() => 'SyncManager' in window)).toBe(false);

    // On `online`.
    await context.setOffline(true);
    await writeReview(page, { name: 'Online Oscar', rating: 5, comments: 'Sent when the network came back.' });
    await toggleFavorite(page, 'Hometown BBQ', true);
    await page.waitForTimeout(300);
    expect((await api.reviewsOf(6)).some((r) => r.name === 'Online Oscar')).toBe(false);
    await context.setOffline(false);
    await expect.poll(async () => (await api.reviewsOf(6)).filter((r) => r.name === 'Online Oscar').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => api.isFavorite(6)).toBe(true);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);

    // At app start: queued offline, the tab closed before the network came back.
    await context.setOffline(true);
    await writeReview(page, { name: 'Startup Sam', rating: 2, comments: 'Sent when the app opened again.' });
    await expect(page.getByText('Pending sync')).toBeVisible();
    await page.close();
    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto('/restaurant/6');
    await expect.poll(async () => (await api.reviewsOf(6)).filter((r) => r.name === 'Startup Sam').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => readStore(again, 'offline-reviews')).toEqual([]);
    expect((await api.reviewsOf(6)).filter((r) => r.name === 'Online Oscar')).toHaveLength(1);
  });
});
