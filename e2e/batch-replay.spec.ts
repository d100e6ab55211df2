/**
 * Batch replay (issue #13): a device that comes back online sends its queued reviews in batches
 * (POST /reviews/batch), each review with its own result, so a poison one is "Not sent" alone
 * while the others land exactly once. Against a server without the route (the classic stand-in),
 * it falls back to one POST per review, detected once and remembered.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { REVIEW_BATCH_PATH } from '../src/shared/review-batch';
import { reviewCreate } from '../src/testing/records';
import { ServerApi, test as base, expect, readStore, waitForOfflineReady } from './fixtures';
import { ServerProcess } from './server';
import { addRecords, syncStatus, writeReview } from './sync-helpers';

/** Review writes the page or its worker sent, as "METHOD path" (the context sees both). */
function reviewWrites(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === 'POST' && pathname.startsWith('/reviews')) seen.push(`POST ${pathname}`);
  });
  return seen;
}

async function queue(page: Page, api: string, restaurantId: number, names: string[], poison?: string): Promise<void> {
  const records = names.map((name) => reviewCreate({ api, restaurant_id: restaurantId, name, comments: `Queued offline by ${name}.` }));
  if (poison) records.splice(1, 0, reviewCreate({ api, restaurant_id: restaurantId, name: poison, rating: 9, comments: 'Nine stars.' }));
  await addRecords(page, 'offline-reviews', records);
}

const counts = async (api: ServerApi, restaurantId: number, names: string[]) => {
  const reviews = await api.reviewsOf(restaurantId);
  return names.map((name) => reviews.filter((r) => r.name === name).length);
};

base('queued reviews go in batches: all but the poison one land exactly once, and it shows "Not sent"', async ({ page, context, api }) => {
  const writes = reviewWrites(context);
  await page.goto('/restaurant/2');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await writeReview(page, { name: 'Form Fay', rating: 5, comments: 'Written in the form while offline.' });
  const names = Array.from({ length: 150 }, (_, i) => `Batched ${i + 1}`);
  await queue(page, new URL(page.url()).origin, 2, names, 'Poison Pia');
  await writeReview(page, { name: 'Form Finn', rating: 4, comments: 'Also written offline.' });
  await expect(syncStatus(page)).toContainText('waiting to sync');

  await context.setOffline(false);

  const landed = [...names, 'Form Fay', 'Form Finn'];
  await expect.poll(() => counts(api, 2, landed).then((c) => c.filter((n) => n === 1).length), { timeout: 30_000 }).toBe(landed.length);
  await expect
    .poll(async () => (await readStore<{ name: string; status: string }>(page, 'offline-reviews')).map((r) => [r.name, r.status]), { timeout: 15_000 })
    .toEqual([['Poison Pia', 'failed']]);
  expect((await counts(api, 2, landed)).every((n) => n === 1), 'each exactly once').toBe(true);
  expect(await counts(api, 2, ['Poison Pia'])).toEqual([0]);
  expect(writes.filter((w) => w === `POST ${REVIEW_BATCH_PATH}`).length).toBeGreaterThanOrEqual(2);
  expect(writes.filter((w) => w !== `POST ${REVIEW_BATCH_PATH}`), 'no single POSTs').toEqual([]);

  const card = page.locator('li, article').filter({ hasText: 'Poison Pia' }).last();
  await expect(card.getByText('Not sent')).toBeVisible();
  await expect(card).toContainText(/rating/i);
});

/** `server` serves the app with its API on the classic stand-in (`classic`), which has no batch route. */
const classic = base.extend<{ classicServer: ServerProcess; onClassic: ServerApi }>({
  classicServer: async ({}, use) => {
    const server = await ServerProcess.classic();
    await use(server);
    await server.dispose();
  },
  server: async ({ classicServer }, use) => {
    const server = await ServerProcess.start({ API_BASE_URL: `http://127.0.0.1:${classicServer.port}` });
    await use(server);
    await server.dispose();
  },
  onClassic: async ({ classicServer }, use) => use(new ServerApi(classicServer)),
});

classic('against a server without the batch route: one POST per review, detected once, each review exactly once', async ({
  page,
  context,
  classicServer,
  onClassic,
}) => {
  const writes = reviewWrites(context);
  const api = `http://127.0.0.1:${classicServer.port}`;
  await page.goto('/restaurant/1');
  await expect(page.getByText('Classic review 1.')).toBeVisible();
  await waitForOfflineReady(page);

  await context.setOffline(true);
  const first = ['Classic A', 'Classic B', 'Classic C', 'Classic D'];
  await queue(page, api, 1, first);
  await writeReview(page, { name: 'Classic Form', rating: 4, comments: 'Written in the form.' });
  await context.setOffline(false);

  await expect.poll(() => counts(onClassic, 1, [...first, 'Classic Form']), { timeout: 20_000 }).toEqual([1, 1, 1, 1, 1]);
  await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 15_000 }).toEqual([]);
  expect(writes.filter((w) => w === `POST ${REVIEW_BATCH_PATH}`), 'asked once').toHaveLength(1);
  expect(writes.filter((w) => w === 'POST /reviews/')).toHaveLength(5);

  // Later, more queued reviews: the answer is remembered, so no batch is tried again.
  await context.setOffline(true);
  await writeReview(page, { name: 'Classic Later', rating: 3, comments: 'Written later, offline.' });
  await context.setOffline(false);
  await expect.poll(() => counts(onClassic, 1, ['Classic Later']), { timeout: 20_000 }).toEqual([1]);
  await expect.poll(() => readStore(page, 'offline-reviews'), { timeout: 15_000 }).toEqual([]);
  expect(writes.filter((w) => w === `POST ${REVIEW_BATCH_PATH}`), 'still once').toHaveLength(1);
  expect(writes.filter((w) => w === 'POST /reviews/')).toHaveLength(6);
  expect(await counts(onClassic, 1, [...first, 'Classic Form', 'Classic Later'])).toEqual([1, 1, 1, 1, 1, 1]);
});
