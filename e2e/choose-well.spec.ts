import type { Page } from '@playwright/test';
import { expect, test, waitForOfflineReady } from './fixtures';
import { writeReview } from './sync-helpers';

/** Issue #12, point 1: ratings, search and sort, and art that never breaks offline. */

interface Summary {
  restaurant_id: number;
  average: number;
  count: number;
}

const cards = (page: Page) => page.locator('main .cards app-restaurant-card');
const cardNames = (page: Page) => page.locator('main .cards .card-link');
const card = (page: Page, name: string) => cards(page).filter({ has: page.getByRole('link', { name, exact: true }) });

test.describe('choose well', () => {
  test('every card and the restaurant page show the server-computed average and review count', async ({ page, api }) => {
    const summaries = await api.get<Summary[]>('/ratings');
    const restaurants = await api.get<Array<{ id: number; name: string }>>('/restaurants');
    await page.goto('/');
    await expect(cards(page)).toHaveCount(10);
    for (const restaurant of restaurants) {
      const summary = summaries.find((s) => s.restaurant_id === restaurant.id)!;
      const shown = `${(Math.round(summary.average * 10) / 10).toFixed(1)} out of 5 from ${summary.count} review`;
      await expect(card(page, restaurant.name).locator('app-rating-summary')).toContainText(shown);
    }
    const katz = summaries.find((s) => s.restaurant_id === 4)!;
    await page.getByRole('link', { name: "Katz's Delicatessen", exact: true }).click();
    await expect(page.locator('.hero app-rating-summary')).toContainText(`${katz.count} reviews`);
  });

  test('offline, this device\'s pending review counts too, marked as pending, until the server has it', async ({ page, context, api }) => {
    await page.goto('/restaurant/4');
    await expect(page.locator('.hero app-rating-summary')).toContainText(/\d+ reviews/);
    await waitForOfflineReady(page);
    const before = (await api.get<Summary[]>('/ratings?restaurant_id=4'))[0]!;

    await context.setOffline(true);
    await writeReview(page, { name: 'Offline Olga', rating: 1, comments: 'Counted while offline.' });
    const expected = Math.round(((before.average * before.count + 1) / (before.count + 1)) * 10) / 10;
    const hero = page.locator('.hero app-rating-summary');
    await expect(hero).toContainText(`${before.count + 1} reviews (1 pending)`);
    await expect(hero).toContainText(expected.toFixed(1));
    await page.getByRole('link', { name: /All restaurants/ }).click();
    await expect(card(page, "Katz's Delicatessen")).toContainText(`${before.count + 1} reviews (1 pending)`);

    await context.setOffline(false);
    await expect(card(page, "Katz's Delicatessen")).toContainText(`${before.count + 1} reviews`, { timeout: 20_000 });
    await expect(card(page, "Katz's Delicatessen")).not.toContainText('pending', { timeout: 20_000 });
    await expect.poll(async () => (await api.get<Summary[]>('/ratings?restaurant_id=4'))[0]!.count).toBe(before.count + 1);
  });

  test("offline, an edit of this person's rating and a deletion change the figure at once, marked as pending changes", async ({
    page,
    context,
    api,
  }) => {
    await page.goto('/restaurant/5');
    await writeReview(page, { name: 'Edna', rating: 5, comments: 'Top marks, first visit.' });
    await writeReview(page, { name: 'Dora', rating: 4, comments: 'Good, will be withdrawn.' });
    await expect.poll(async () => (await api.reviewsOf(5)).filter((r) => ['Edna', 'Dora'].includes(r.name)).length).toBe(2);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
    await waitForOfflineReady(page);
    const server = (await api.get<Summary[]>('/ratings?restaurant_id=5'))[0]!;
    const hero = page.locator('.hero app-rating-summary');
    await expect(hero).toContainText(`${server.count} reviews`);
    await expect(hero).not.toContainText('pending');

    await context.setOffline(true);
    const edna = page.locator('article.review').filter({ hasText: 'Edna' });
    await edna.getByRole('button', { name: 'Edit' }).click();
    await edna.getByRole('radio', { name: '1 star', exact: true }).check();
    await edna.getByRole('button', { name: 'Save changes' }).click();
    // Edna's 5 becomes a 1: same count, lower average.
    // As the page words it: the average to two decimals, shown to one.
    const shown = (average: number) => (Math.round((Math.round(average * 100) / 100) * 10) / 10).toFixed(1);
    const sum = server.average * server.count;
    const edited = shown((sum - 4) / server.count);
    await expect(hero).toContainText(`${server.count} reviews (1 change pending)`);
    await expect(hero).toContainText(edited);

    const dora = page.locator('article.review').filter({ hasText: 'Dora' });
    await dora.getByRole('button', { name: 'Delete' }).click();
    await dora.getByRole('group').getByRole('button', { name: 'Delete', exact: true }).click();
    // Dora's 4 is taken out: one review fewer.
    const deleted = shown((sum - 4 - 4) / (server.count - 1));
    await expect(hero).toContainText(`${server.count - 1} reviews (2 changes pending)`);
    await expect(hero).toContainText(deleted);
    await expect(hero).toContainText('counting 2 changes to reviews not sent from this device yet');
    await page.getByRole('link', { name: /All restaurants/ }).click();
    const restaurantName = (await api.get<{ name: string }>('/restaurants/5')).name;
    await expect(card(page, restaurantName)).toContainText(`${server.count - 1} reviews (2 changes pending)`);
    // The server has neither change yet.
    expect((await api.get<Summary[]>('/ratings?restaurant_id=5'))[0]).toEqual(server);

    await context.setOffline(false);
    await expect.poll(async () => (await api.get<Summary[]>('/ratings?restaurant_id=5'))[0]!.count).toBe(server.count - 1);
    const after = (await api.get<Summary[]>('/ratings?restaurant_id=5'))[0]!;
    // What the page showed ahead of the server is what the server then computed.
    expect(after.average).toBeCloseTo((sum - 4 - 4) / (server.count - 1), 1);
    await expect(card(page, restaurantName)).toContainText(`${server.count - 1} reviews`);
    await expect(card(page, restaurantName)).not.toContainText('pending', { timeout: 20_000 });
    await expect(card(page, restaurantName)).toContainText(shown(after.average));
  });

  test('search by name is instant, accent- and case-insensitive, in the URL, and works offline', async ({ page, context }) => {
    await page.goto('/');
    await expect(cards(page)).toHaveCount(10);
    const searchBox = page.getByRole('searchbox', { name: 'Search by name' });
    await searchBox.fill('KÀNG');
    await expect(cardNames(page)).toHaveText(['Kang Ho Dong Baekjeong']);
    await expect(page).toHaveURL(/[?&]q=K%C3%80NG/);
    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search by name' })).toHaveValue('KÀNG');
    await expect(cardNames(page)).toHaveText(['Kang Ho Dong Baekjeong']);

    await waitForOfflineReady(page);
    await context.setOffline(true);
    await searchBox.fill('pizza');
    await expect(cardNames(page)).toHaveText(["Roberta's Pizza"]);
    await searchBox.fill('zzz');
    await expect(page.getByText('No restaurants match this search')).toBeVisible();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await expect(cards(page)).toHaveCount(10);
    await expect(page).not.toHaveURL(/q=/);
  });

  test('sorts by rating, by number of reviews and by name, kept in the URL', async ({ page, api }) => {
    const summaries = await api.get<Summary[]>('/ratings');
    const restaurants = await api.get<Array<{ id: number; name: string }>>('/restaurants');
    const nameOf = (id: number) => restaurants.find((r) => r.id === id)!.name;
    const by = (key: 'average' | 'count', other: 'average' | 'count') =>
      [...summaries]
        .sort((a, b) => b[key] - a[key] || b[other] - a[other] || nameOf(a.restaurant_id).localeCompare(nameOf(b.restaurant_id)))
        .map((s) => nameOf(s.restaurant_id));

    await page.goto('/');
    const sort = page.getByLabel('Sort by');
    await expect(sort).toHaveValue('name');
    await expect(cardNames(page)).toHaveText([...restaurants.map((r) => r.name)].sort((a, b) => a.localeCompare(b)));

    await sort.selectOption('rating');
    await expect(page).toHaveURL(/sort=rating/);
    await expect(cardNames(page)).toHaveText(by('average', 'count'));
    await page.reload();
    await expect(page.getByLabel('Sort by')).toHaveValue('rating');
    await expect(cardNames(page)).toHaveText(by('average', 'count'));

    await page.getByLabel('Sort by').selectOption('reviews');
    await expect(page).toHaveURL(/sort=reviews/);
    await expect(cardNames(page)).toHaveText(by('count', 'average'));
  });

  test('every cuisine has its own art, all precached: nothing is a broken image offline', async ({ page, context }) => {
    await page.goto('/');
    await expect(cards(page)).toHaveCount(10);
    await waitForOfflineReady(page);
    const srcs = await page.locator('main .cards img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).getAttribute('src')));
    const byCuisine = new Map<string, Set<string>>();
    for (const [i, src] of srcs.entries()) {
      const cuisine = (await cards(page).nth(i).locator('.card-meta').innerText()).split(/\s*·\s*|,\s*/).pop()!.trim();
      byCuisine.set(cuisine, (byCuisine.get(cuisine) ?? new Set()).add(src!));
    }
    // One picture per cuisine, and different cuisines never share one.
    const pictures = [...byCuisine.values()].map((set) => [...set]);
    for (const set of pictures) expect(set).toHaveLength(1);
    expect(new Set(pictures.flat()).size).toBe(byCuisine.size);

    // Offline, on a fresh page: every illustration (also of cuisines never shown) comes from the cache.
    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto('/');
    await expect(cards(offline)).toHaveCount(10);
    const art = ['asian', 'pizza', 'american', 'mexican', 'italian', 'indian', 'thai', 'greek', 'ethiopian', 'french', 'generic'];
    const statuses = await offline.evaluate(
      (names) => Promise.all(names.map(async (name) => (await fetch(`/img/${name}.svg`)).status)),
      art,
    );
    expect(statuses).toEqual(art.map(() => 200));
    await expect
      .poll(() => offline.locator('main .cards img').evaluateAll((imgs) => imgs.filter((img) => !(img as HTMLImageElement).naturalWidth).length))
      .toBe(0);
  });
});
