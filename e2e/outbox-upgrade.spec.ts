import type { Page } from '@playwright/test';
import { DB_NAME, DB_VERSION, type OwnReview } from '../src/shared/db-schema';
import type { LegacyFavorite, LegacyReview } from '../src/shared/legacy-records';
import { writeVersion1Db } from '../src/testing/legacy-db';
import { expect, readStore, testThroughProxy as test } from './fixtures';

/**
 * An app update with changes still waiting: the previous release (database version 1) left its
 * outbox records in its own format; the new release converts them in its one upgrade and delivers
 * each exactly once to the real server. One it cannot convert is shown as "Not sent", with why.
 * The app is reached through the fault proxy, passing everything, which counts the POSTs that arrive.
 */

interface Created {
  id: number;
  edit_token: string;
  client_id?: string;
}

async function postReview(baseUrl: string, body: Record<string, unknown>): Promise<Created> {
  const response = await fetch(`${baseUrl}/reviews/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST /reviews/: ${response.status}`);
  return (await response.json()) as Created;
}

/** Creates the database as the previous release did, with its records, before the new app ever opens it. */
async function writeVersion1(page: Page, reviews: Array<Partial<LegacyReview>>, favorites: LegacyFavorite[], own: OwnReview[]) {
  await page.evaluate(writeVersion1Db, { dbName: DB_NAME, reviews, favorites, own });
}

test('records left by the previous release are converted and delivered exactly once', async ({ page, server, faults, api }) => {
  // Counted where they arrive, whichever context (page or worker) sends them.
  faults.inject({ kind: 'pass' }, (req) => req.method === 'POST' && !!req.url?.startsWith('/reviews'));
  const posts = () => faults.matched('POST', '/reviews');
  // Reviews this device wrote with the old release and that reached the server.
  const toEdit = await postReview(server.url, { restaurant_id: 3, name: 'Old Ed', rating: 2, comments: 'Before the update.' });
  const toDelete = await postReview(server.url, { restaurant_id: 3, name: 'Old Del', rating: 3, comments: 'Delete me later.' });
  // Sent by the old release, whose answer never came back: it must not arrive twice.
  const lostAnswer = crypto.randomUUID();
  await postReview(server.url, { restaurant_id: 3, name: 'Old Lost', rating: 4, comments: 'Answer lost.', client_id: lostAnswer });

  const legacy = (fields: Partial<LegacyReview>): Partial<LegacyReview> => ({
    client_id: crypto.randomUUID(),
    restaurant_id: 3,
    rating: 4,
    comments: 'Written with the previous release.',
    createdAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    ...fields,
  });
  const plain = legacy({ name: 'Old Plain' });
  const explicit = legacy({ name: 'Old Explicit', op: 'create' });
  // A page of the app's origin that is not the app: nothing opens the database before we do.
  await page.goto('/manifest.webmanifest');
  await writeVersion1(
    page,
    [
      plain,
      explicit,
      legacy({ name: 'Old Lost', client_id: lostAnswer, attempts: 1, comments: 'Answer lost.' }),
      legacy({ name: 'Old Ed', op: 'update', review_id: toEdit.id, rating: 5, comments: 'After the update: much better.' }),
      legacy({ name: 'Old Del', op: 'delete', review_id: toDelete.id }),
      legacy({ name: 'Old Broken', op: 'update', review_id: undefined, comments: 'Which review was this for?' }),
    ],
    [{ restaurant_id: 2, is_favorite: true, stamp: crypto.randomUUID(), queuedAt: new Date().toISOString(), status: 'pending' }],
    [
      { review_id: toEdit.id, restaurant_id: 3, edit_token: toEdit.edit_token },
      { review_id: toDelete.id, restaurant_id: 3, edit_token: toDelete.edit_token },
    ],
  );

  await page.goto('/restaurant/3');

  const onServer = async () => (await api.reviewsOf(3)).filter((r) => r.name.startsWith('Old '));
  await expect
    .poll(async () => (await onServer()).map((r) => `${r.name}: ${r.comments}`).sort(), { timeout: 15_000 })
    .toEqual([
      'Old Ed: After the update: much better.',
      'Old Explicit: Written with the previous release.',
      'Old Lost: Answer lost.',
      'Old Plain: Written with the previous release.',
    ]);
  await expect.poll(() => api.isFavorite(2)).toBe(true);
  await expect.poll(() => readStore(page, 'offline-favorites')).toEqual([]);
  await expect
    .poll(async () => (await readStore<{ kind: string; status: string }>(page, 'offline-reviews')).map((r) => [r.kind, r.status]))
    .toEqual([['unreadable', 'failed']]);

  // The one it could not convert: "Not sent", with the reason, and only Discard (it cannot be sent).
  const notSent = page.getByRole('region', { name: 'Not sent' }).or(page.locator('section[aria-labelledby="failed-changes-title"]'));
  await expect(notSent).toContainText('does not say which review to change');
  await expect(notSent.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  // Exactly once: by client id for the new ones, and the lookup spared the lost answer a second POST.
  const byClientId = (await onServer()).map((r) => r.client_id);
  for (const id of [plain.client_id, explicit.client_id, lostAnswer]) expect(byClientId.filter((c) => c === id)).toHaveLength(1);
  expect(posts(), 'one POST for each review never sent before').toBe(2);

  // Nothing more goes out later (no retry loop for the unconvertible one).
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForTimeout(1_000);
  expect(posts()).toBe(2);
  expect((await onServer()).length).toBe(4);
  const [db] = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.version));
  expect(db).toBe(DB_VERSION);
});
