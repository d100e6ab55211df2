import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, readStore, test } from './fixtures';
import { FIRST_SCREEN_META_KEY } from '../src/shared/db-schema';
import { ServerProcess } from './server';

/**
 * Issue #13, point 2: at 10,000 restaurants the first cards paint before the whole store is read
 * (a repeat visit) or stored (a first visit), and once everything is read the counts, filters,
 * favorites and search are those of all 10,000.
 */

interface Wire {
  id: number;
  name: string;
  neighborhood: string;
  cuisine_type: string;
  is_favorite?: boolean | string;
}

interface FirstCards {
  count: string;
  names: string[];
}

const cardLinks = (page: Page) => page.locator('main .cards .card-link');
const count = (page: Page) => page.locator('.result-count');
const label = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'restaurant' : 'restaurants'}`;

test('10,000 restaurants: the first cards come first, then counts, filters, favorites and search are those of all', async ({ browser }) => {
  test.setTimeout(240_000);
  // The 10k data set of `npm run seed:large`, in a database of this test's own server.
  const big = await seededServer();
  try {
    const all = (await (await fetch(`${big.url}/restaurants`)).json()) as Wire[];
    expect(all).toHaveLength(10_000);

    const context = await browser.newContext({ baseURL: big.url, serviceWorkers: 'allow' });
    // What the list says at the moment its first cards are in the DOM (before any paint).
    await context.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const links = [...document.querySelectorAll('main .cards .card-link')];
        if (!links.length) return;
        observer.disconnect();
        (window as unknown as { __firstCards: FirstCards }).__firstCards = {
          count: document.querySelector('.result-count')?.textContent?.trim() ?? '',
          names: links.map((link) => link.textContent?.trim() ?? ''),
        };
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    const firstCards = () => page.evaluate(() => (window as unknown as { __firstCards?: FirstCards }).__firstCards);

    // First visit: nothing on the device; the network's list shows before it is stored.
    await page.goto('/');
    await expect(count(page)).toHaveText(label(10_000), { timeout: 60_000 });
    const shown = (await cardLinks(page).allInnerTexts()).map((name) => name.trim());
    expect(shown).toHaveLength(24);
    expect((await firstCards())?.names).toEqual(shown);
    // The list remembers its first screen once everything is read…
    await expect
      .poll(async () => (await readStore<{ key: string; value: { ids: number[] } }>(page, 'meta')).find((r) => r.key === FIRST_SCREEN_META_KEY)?.value.ids.length, { timeout: 30_000 })
      .toBe(24);
    await expect.poll(async () => (await readStore(page, 'restaurants')).length, { timeout: 60_000 }).toBe(10_000);

    // …so a repeat visit paints those cards, in order, while it still reads the whole store.
    await page.reload();
    await expect(count(page)).toHaveText(label(10_000), { timeout: 60_000 });
    expect(await firstCards()).toEqual({ count: 'Loading all restaurants…', names: shown });
    await expect(cardLinks(page)).toHaveText(shown);
    await expect(page.getByRole('button', { name: 'Show more restaurants' })).toBeVisible();

    // Filters count all 10,000, not the first screen.
    const neighborhood = all[0]!.neighborhood;
    await page.getByLabel('Neighborhood').selectOption(neighborhood);
    await expect(count(page)).toHaveText(label(all.filter((r) => r.neighborhood === neighborhood).length));
    const cuisine = all[0]!.cuisine_type;
    await page.getByLabel('Cuisine').selectOption(cuisine);
    const both = all.filter((r) => r.neighborhood === neighborhood && r.cuisine_type === cuisine);
    await expect(count(page)).toHaveText(label(both.length));

    // Favorites only: the server's favorites and the one just marked, wherever they are in the 10,000.
    const card = page.locator('main .cards app-restaurant-card').filter({ has: page.locator('[aria-pressed="false"]') }).first();
    const href = await card.locator('.card-link').getAttribute('href');
    const name = (await card.locator('.card-link').innerText()).trim();
    await card.getByRole('button', { name: /^Favorite / }).click();
    await page.getByLabel('Neighborhood').selectOption('');
    await page.getByLabel('Cuisine').selectOption('');
    await page.getByLabel('Favorites only').check();
    const favorites = all.filter((r) => String(r.is_favorite) === 'true').length + 1;
    await expect(count(page)).toHaveText(label(favorites));
    // More than a page of favorites: find it by name among them.
    await page.getByRole('searchbox', { name: 'Search by name' }).fill(name);
    await expect(page.locator(`main .cards .card-link[href="${href}"]`)).toHaveCount(1);
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('');
    await page.getByLabel('Favorites only').uncheck();

    // Search: every name containing the words, across all of them.
    const words = all[0]!.name.split(' ').slice(0, 2).join(' ');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill(words);
    await expect(count(page)).toHaveText(label(all.filter((r) => r.name.toLowerCase().includes(words.toLowerCase())).length));
    await context.close();
  } finally {
    await big.dispose();
  }
});

/** A server on a database made by server/seed-large.ts (10,000 restaurants, 100,000 reviews). */
async function seededServer(): Promise<ServerProcess> {
  const server = await ServerProcess.start();
  await server.kill();
  const dbFile = join(server.dir, 'large.sqlite');
  execFileSync(join('node_modules', '.bin', 'tsx'), ['server/seed-large.ts'], {
    env: { ...process.env, DB_FILE: dbFile, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
    timeout: 120_000,
  });
  await server.start({ DB_FILE: dbFile });
  return server;
}
