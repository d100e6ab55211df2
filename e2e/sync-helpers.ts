import type { BrowserContext, Page } from '@playwright/test';
import { DB_NAME } from '../src/shared/db-schema';
import type { FavoriteRecord, ReviewRecord } from '../src/shared/outbox-records';
import { expect } from './fixtures';

/**
 * Puts records straight into the outbox of the page's IndexedDB (the form would take minutes for
 * hundreds), in one transaction. The database must exist already: the app has opened it.
 */
export async function addRecords(
  page: Page,
  store: 'offline-reviews' | 'offline-favorites',
  records: Array<ReviewRecord | FavoriteRecord>,
): Promise<void> {
  await page.evaluate(
    async ({ dbName, store, records }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(store, 'readwrite');
      for (const record of records) tx.objectStore(store).add(record);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { dbName: DB_NAME, store, records },
  );
}

/** Registers a Background Sync tag from the page, as the app does after queueing. */
export async function registerSync(page: Page, tag: string): Promise<void> {
  await page.evaluate(async (tag) => {
    const registration = (await navigator.serviceWorker.ready) as unknown as { sync: { register(tag: string): Promise<void> } };
    await registration.sync.register(tag);
  }, tag);
}

/** Fires a Background Sync event through the DevTools protocol, as the browser's own retry would. */
export async function dispatchSync(context: BrowserContext, page: Page, tag: string, lastChance = false): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const live = registrations.find((r) => !r.isDeleted);
      if (live) resolve(live.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const origin = new URL(page.url()).origin;
  await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId: await registrationId, tag, lastChance });
  await cdp.detach();
}

/** Favorites a restaurant from wherever its toggle is shown, and checks the toggle flipped at once. */
export async function toggleFavorite(page: Page, name: string, expected: boolean): Promise<void> {
  const toggle = page.getByRole('button', { name: new RegExp(`favorite.*${escape(name)}`, 'i') }).first();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', String(expected));
}

/** Fills and submits the review form on a restaurant page. */
export async function writeReview(page: Page, review: { name: string; rating: number; comments: string }): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill(review.name);
  const star = page.getByRole('radio', { name: `${review.rating} star${review.rating === 1 ? '' : 's'}`, exact: true });
  // The new-review form comes after any edit form on the page.
  if (await star.count()) await star.last().check();
  else await page.getByLabel('Rating', { exact: true }).selectOption(String(review.rating));
  await page.getByLabel('Comments', { exact: true }).fill(review.comments);
  await page.getByRole('button', { name: 'Submit review' }).click();
}

/** The status region that says "Offline" and "N changes waiting to sync". */
export function syncStatus(page: Page) {
  return page.locator('app-sync-status[role="status"]');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
