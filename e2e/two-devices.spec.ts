/**
 * Two-way sync (issue #10, the client half), end to end: two browser contexts are two devices on
 * one real server. What one device writes reaches the other's open pages without a reload (live
 * notices, then a pull of the change feed); a device that was offline catches up when it is back
 * and delivers its own pending write exactly once; favorites toggled on both keep the later wish,
 * and the device that lost says so; several tabs of one browser hold one live connection.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { DB_NAME } from '../src/shared/db-schema';
import { KEPT_NOTICES_META_KEY } from '../src/shared/sync-protocol';
import { type ServerApi, expect, readStore, test, testThroughProxy, waitForOfflineReady } from './fixtures';
import { syncStatus, toggleFavorite, writeReview } from './sync-helpers';

const KANG = { id: 3, name: 'Kang Ho Dong Baekjeong' };
const KATZ = { id: 4, name: "Katz's Delicatessen" };
const ROBERTAS = { id: 2, name: "Roberta's Pizza" };

/** The second device: a context of its own (own IndexedDB, own service worker). */
async function device(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'allow' });
  return { context, page: await context.newPage() };
}

/** A review's card on a restaurant page, by its text. */
function reviewCard(page: Page, comments: string) {
  return page.locator('[data-review]').filter({ hasText: comments });
}

function favoriteButton(page: Page, name: string) {
  return page.getByRole('button', { name: `Favorite ${name}`, exact: true }).first();
}

/**
 * Device A on Katz's page, ready for offline, then offline. Returns the favorite PUTs A (its page
 * or its worker) sends from then on that the server answered. (Right after going online a first
 * try can fail before it reaches the network, and is tried again a second later: that try
 * reached nobody.) Read it by polling: Playwright hears of an answer a moment after the outbox
 * has emptied.
 */
async function offlineOnKatz(a: Page, context: BrowserContext): Promise<string[]> {
  await a.goto(`/restaurant/${KATZ.id}`);
  await expect(favoriteButton(a, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
  await waitForOfflineReady(a);
  await context.setOffline(true);
  const puts: string[] = [];
  context.on('response', (response) => {
    const request = response.request();
    if (request.method() === 'PUT' && request.url().includes(`/restaurants/${KATZ.id}/`)) puts.push(request.url());
  });
  return puts;
}

/**
 * Waits until this device's outbox is empty: everything it queued reached the server. A replay
 * that cannot reach the server just after a reconnect is tried again after 1, 3 and 9 s
 * (QUICK_RETRIES_MS), so allow for all of them.
 */
async function expectDelivered(page: Page): Promise<void> {
  await expect.poll(async () => (await readStore(page, 'offline-reviews')).length + (await readStore(page, 'offline-favorites')).length, {
    timeout: 25_000,
  }).toBe(0);
}

/** Device B makes Katz's a favorite, then takes it back: the server's last change is B's "no". */
async function favoriteThenNotOnB(browser: Browser, baseURL: string, api: ServerApi): Promise<{ context: BrowserContext; page: Page }> {
  const b = await device(browser, baseURL);
  await b.page.goto(`/restaurant/${KATZ.id}`);
  await toggleFavorite(b.page, KATZ.name, true);
  await expect.poll(() => api.isFavorite(KATZ.id)).toBe(true);
  await toggleFavorite(b.page, KATZ.name, false);
  await expect.poll(() => api.isFavorite(KATZ.id)).toBe(false);
  await expectDelivered(b.page);
  return b;
}

test.describe('two devices on one server', () => {
  test("B's open list and restaurant page show A's new review, its deletion and A's favorite, without a reload", async ({
    page: a,
    browser,
    server,
  }) => {
    const b = await device(browser, server.url);
    const bList = b.page;
    const bPage = await b.context.newPage();
    await bList.goto('/');
    await expect(favoriteButton(bList, KANG.name)).toHaveAttribute('aria-pressed', 'false');
    await bPage.goto(`/restaurant/${KANG.id}`);
    await expect(bPage.locator('[data-review]').first()).toBeVisible();

    await a.goto(`/restaurant/${KANG.id}`);
    await writeReview(a, { name: 'Ana on A', rating: 5, comments: 'Written on device A.' });
    await expectDelivered(a);
    // On B, with no reload: the notice, the pull, the view.
    await expect(reviewCard(bPage, 'Written on device A.')).toBeVisible();
    await expect(bPage.getByText('Showing saved reviews')).toHaveCount(0);

    // A deletes its own review: B's page drops it.
    const mine = reviewCard(a, 'Written on device A.');
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine.getByRole('button', { name: 'Delete', exact: true }).last().click();
    await expectDelivered(a);
    await expect(reviewCard(bPage, 'Written on device A.')).toHaveCount(0);
    expect((await readStore<{ comments: string }>(bPage, 'reviews')).some((r) => r.comments === 'Written on device A.')).toBe(false);

    // A's favorite: on B's list and B's restaurant page.
    await toggleFavorite(a, KANG.name, true);
    await expectDelivered(a);
    await expect(favoriteButton(bList, KANG.name)).toHaveAttribute('aria-pressed', 'true');
    await expect(favoriteButton(bPage, KANG.name)).toHaveAttribute('aria-pressed', 'true');
    // Only one reload-free path was used: each of B's pages was loaded once.
    expect(bList.url()).toMatch(/\/$/);
    await b.context.close();
  });

  testThroughProxy(
    "B offline while A edits and deletes: back online, B shows both, keeps its own pending review and sends it once",
    async ({ page: a, browser, server, faults }) => {
      // B reaches the server through the proxy, which counts what B sends.
      faults.inject({ kind: 'pass' }, (req) => req.method === 'POST' && (req.url ?? '').startsWith('/reviews'));
      await a.goto(`${server.url}/restaurant/${ROBERTAS.id}`);
      await writeReview(a, { name: 'Edda on A', rating: 4, comments: 'First from A, to be edited.' });
      await writeReview(a, { name: 'Dora on A', rating: 3, comments: 'Second from A, to be deleted.' });
      await expectDelivered(a);

      const b = await device(browser, faults.url);
      await b.page.goto(`/restaurant/${ROBERTAS.id}`);
      await expect(reviewCard(b.page, 'First from A, to be edited.')).toBeVisible();
      await expect(reviewCard(b.page, 'Second from A, to be deleted.')).toBeVisible();
      await waitForOfflineReady(b.page);

      await b.context.setOffline(true);
      await writeReview(b.page, { name: 'Ben on B', rating: 5, comments: 'Written on B while offline.' });
      await expect(syncStatus(b.page)).toContainText('1 change waiting to sync');

      const first = reviewCard(a, 'Edda on A');
      await first.getByRole('button', { name: 'Edit' }).click();
      await first.getByLabel('Comments').fill('First from A, edited on A.');
      await first.getByRole('button', { name: 'Save changes' }).click();
      await expect(first.getByText('First from A, edited on A.')).toBeVisible();
      const second = reviewCard(a, 'Dora on A');
      await second.getByRole('button', { name: 'Delete' }).click();
      await second.getByRole('button', { name: 'Delete', exact: true }).last().click();
      await expectDelivered(a);
      // B cannot know yet: it still shows what it had, and its own review as pending.
      await expect(reviewCard(b.page, 'Second from A, to be deleted.')).toBeVisible();
      await expect(reviewCard(b.page, 'Written on B while offline.')).toBeVisible();

      await b.context.setOffline(false);
      await expect(reviewCard(b.page, 'First from A, edited on A.')).toBeVisible();
      await expect(reviewCard(b.page, 'Second from A, to be deleted.')).toHaveCount(0);
      await expect(reviewCard(b.page, 'First from A, to be edited.')).toHaveCount(0);
      // B's own review never disappeared, and arrives exactly once.
      await expect(reviewCard(b.page, 'Written on B while offline.')).toBeVisible();
      await expectDelivered(b.page);
      await expect(reviewCard(b.page, 'Written on B while offline.')).toHaveCount(1);
      const onServer = await fetch(`${server.url}/reviews/?restaurant_id=${ROBERTAS.id}`).then(
        (r) => r.json() as Promise<Array<{ comments: string }>>,
      );
      expect(onServer.filter((r) => r.comments === 'Written on B while offline.')).toHaveLength(1);
      expect(faults.matched('POST', '/reviews')).toBe(1);
      await b.context.close();
    },
  );

  test('A queues a favorite offline, B changes it later: the server keeps B\'s, and A shows it with a notice', async ({
    page: a,
    context: aContext,
    browser,
    server,
    api,
  }) => {
    const aPuts = await offlineOnKatz(a, aContext);
    await toggleFavorite(a, KATZ.name, true);

    // Later, on B: a favorite, then taken back. The server's last change is B's "no".
    const b = await favoriteThenNotOnB(browser, server.url, api);

    await aContext.setOffline(false);
    // The toast (the same words are announced through the polite live region).
    await expect(a.getByRole('region', { name: 'Notifications' })).toContainText(
      `Changed on another device: ${KATZ.name} is not a favorite`,
    );
    await expect(favoriteButton(a, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
    await expectDelivered(a);
    expect(await api.isFavorite(KATZ.id)).toBe(false);
    // Sent once, answered "superseded", and not sent again.
    await expect.poll(() => aPuts).toEqual([expect.stringContaining('wished_at=')]);
    await b.context.close();
  });

  test('a wish that loses while no tab of A is open: the worker keeps the notice, and the next tab shows it once', async ({
    page: a,
    context: aContext,
    browser,
    server,
    api,
  }) => {
    const aPuts = await offlineOnKatz(a, aContext);
    await toggleFavorite(a, KATZ.name, true);
    const [worker] = aContext.serviceWorkers();
    await a.close();

    await (await favoriteThenNotOnB(browser, server.url, api)).context.close();

    // A has no tab open: its worker delivers the wish by itself, and keeps what it would have said.
    await aContext.setOffline(false);
    const kept = () =>
      worker!.evaluate(
        ({ dbName, key }) =>
          new Promise<unknown>((resolve, reject) => {
            const open = indexedDB.open(dbName);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const get = open.result.transaction('meta').objectStore('meta').get(key);
              get.onsuccess = () => (open.result.close(), resolve((get.result as { value?: unknown } | undefined)?.value));
            };
          }),
        { dbName: DB_NAME, key: KEPT_NOTICES_META_KEY },
      );
    await expect.poll(kept, { timeout: 25_000 }).toEqual([expect.objectContaining({ type: 'favorite-superseded', restaurantId: KATZ.id })]);
    await expect.poll(() => aPuts).toEqual([expect.stringContaining('wished_at=')]);

    const later = await aContext.newPage();
    await later.goto('/');
    await expect(later.getByRole('region', { name: 'Notifications' })).toContainText(
      `Changed on another device: ${KATZ.name} is not a favorite`,
    );
    await expect(favoriteButton(later, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(kept).toBeUndefined();
    // Shown once: the next tab has nothing more to say.
    const another = await aContext.newPage();
    await another.goto('/');
    await expect(favoriteButton(another, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
    await expect(another.getByText('Changed on another device')).toHaveCount(0);
  });

  test("the reverse order: B's change first, then A's later wish offline: A's wish wins, without a notice", async ({
    page: a,
    context: aContext,
    browser,
    server,
    api,
  }) => {
    await offlineOnKatz(a, aContext);

    const b = await device(browser, server.url);
    await b.page.goto(`/restaurant/${KATZ.id}`);
    await toggleFavorite(b.page, KATZ.name, true);
    await expect.poll(() => api.isFavorite(KATZ.id)).toBe(true);

    // After B's change, A (still offline, not knowing) decides: a favorite, then not.
    await toggleFavorite(a, KATZ.name, true);
    await toggleFavorite(a, KATZ.name, false);
    await aContext.setOffline(false);
    await expectDelivered(a);
    await expect.poll(() => api.isFavorite(KATZ.id)).toBe(false);
    await expect(favoriteButton(a, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
    await expect(a.getByText('Changed on another device')).toHaveCount(0);
    // B's open page follows A's wish.
    await expect(favoriteButton(b.page, KATZ.name)).toHaveAttribute('aria-pressed', 'false');
    await b.context.close();
  });
});

testThroughProxy('several tabs of one browser hold one live connection; it passes on when that tab closes', async ({
  context,
  faults,
  server,
}) => {
  faults.inject({ kind: 'pass' }, (req) => (req.url ?? '').startsWith('/changes/live'));
  const tabs: Page[] = [];
  for (let i = 0; i < 4; i++) {
    const tab = await context.newPage();
    await tab.goto(`/restaurant/${KANG.id}`);
    tabs.push(tab);
    // The lock goes to the first tab whose app is stable, which need not be the first opened
    // (its first visit installs the worker): wait until the first tab holds the connection, so
    // the one closed below is the holder.
    if (i === 0) await expect.poll(() => faults.openNow('/changes/live')).toBe(1);
  }
  await expect.poll(() => faults.openNow('/changes/live')).toBe(1);
  // A while later, still one: no tab opened its own, nothing reconnected.
  await tabs[0]!.waitForTimeout(1500);
  expect(faults.openNow('/changes/live')).toBe(1);
  expect(faults.matched('GET', '/changes/live')).toBe(1);
  // Every tab hears a write made elsewhere.
  await postReview(server.url, KANG.id, 'Heard by every tab.');
  for (const tab of tabs) await expect(reviewCard(tab, 'Heard by every tab.')).toBeVisible();

  // The tab holding the connection closes: another takes over, from the stored cursor.
  await tabs.shift()!.close();
  await expect.poll(() => faults.matched('GET', '/changes/live')).toBe(2);
  await expect.poll(() => faults.openNow('/changes/live')).toBe(1);
  const resumed = faults.log.filter((entry) => entry.url.startsWith('/changes/live')).at(-1)!;
  expect(Number(new URL(resumed.url, server.url).searchParams.get('after'))).toBeGreaterThan(0);
  expect(resumed.url).toContain('ngsw-bypass');
  await postReview(server.url, KANG.id, 'Heard after the hand-over.');
  for (const tab of tabs) await expect(reviewCard(tab, 'Heard after the hand-over.')).toBeVisible();
});

testThroughProxy('a server that refuses the live stream (503) is not hammered; the views still refresh on reconnect', async ({
  page,
  context,
  faults,
  server,
}) => {
  faults.inject({ kind: 'status', status: 503, headers: { 'retry-after': '30' } }, (req) =>
    (req.url ?? '').startsWith('/changes/live'),
  );
  await page.goto(`/restaurant/${KANG.id}`);
  await expect.poll(() => faults.matched('GET', '/changes/live')).toBe(1);
  await waitForOfflineReady(page);
  await page.waitForTimeout(4000);
  // EventSource would retry every 2 s by itself; refused, it waits 30 s and more.
  expect(faults.matched('GET', '/changes/live')).toBe(1);

  await context.setOffline(true);
  await postReview(server.url, KANG.id, 'Written while this device was offline.');
  await context.setOffline(false);
  await expect(reviewCard(page, 'Written while this device was offline.')).toBeVisible();
});

test('reconnect refresh: a page opened offline shows fresh data within 2 s of going online, with no stale notice', async ({
  page,
  context,
  server,
}) => {
  await page.goto('/');
  await expect(favoriteButton(page, KANG.name)).toBeVisible();
  await waitForOfflineReady(page);
  await context.setOffline(true);
  // Never opened before: its reviews are not on this device (the report, word for word).
  await page.goto(`/restaurant/${KATZ.id}`);
  await expect(page.getByText("Reviews can't be shown: you're offline")).toBeVisible();
  await expect(page.getByText('Showing saved data')).toBeVisible();
  await expect(syncStatus(page)).toContainText('Offline');
  await postReview(server.url, KATZ.id, 'Fresh from the server.');

  await context.setOffline(false);
  // The promise is "within 2 seconds of the network coming back".
  const soon = { timeout: 2_000 };
  await expect(reviewCard(page, 'Fresh from the server.')).toBeVisible(soon);
  await expect(page.getByText("Reviews can't be shown")).toHaveCount(0, soon);
  await expect(page.getByText(/Showing saved/)).toHaveCount(0, soon);
  await expect(syncStatus(page)).not.toContainText('Offline', soon);
});

async function postReview(base: string, restaurantId: number, comments: string): Promise<void> {
  const response = await fetch(`${base}/reviews/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ restaurant_id: restaurantId, name: 'Elsewhere', rating: 4, comments }),
  });
  expect(response.status).toBe(201);
}
