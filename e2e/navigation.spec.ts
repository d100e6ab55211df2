import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Issue #12, point 6: going back to the list keeps its filters, search, sort and scroll position. */

const cards = (page: Page) => page.locator('main .cards app-restaurant-card');
const scrollY = (page: Page) => page.evaluate(() => Math.round(window.scrollY));

test('"← All restaurants" keeps the filters, the search and the sort', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Neighborhood').selectOption('Manhattan');
  await page.getByRole('searchbox', { name: 'Search by name' }).fill('a');
  await page.getByLabel('Sort by').selectOption('rating');
  await expect(page).toHaveURL(/neighborhood=Manhattan/);
  await expect(page).toHaveURL(/sort=rating/);
  await expect(page).toHaveURL(/q=a/);
  const shown = await page.locator('main .cards .card-link').allInnerTexts();

  await page.getByRole('link', { name: shown[0]!, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: shown[0]! })).toBeVisible();
  await page.getByRole('link', { name: /All restaurants/ }).click();

  await expect(page).toHaveURL(/neighborhood=Manhattan/);
  await expect(page).toHaveURL(/sort=rating/);
  await expect(page.getByLabel('Neighborhood')).toHaveValue('Manhattan');
  await expect(page.getByRole('searchbox', { name: 'Search by name' })).toHaveValue('a');
  await expect(page.getByLabel('Sort by')).toHaveValue('rating');
  await expect(page.locator('main .cards .card-link')).toHaveText(shown);
});

for (const how of ['Back', '← All restaurants'] as const) {
  test(`${how} returns to the same scroll position in the list`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/?sort=reviews');
    await expect(cards(page)).toHaveCount(10);
    const target = cards(page).nth(7);
    await target.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 40));
    const before = await scrollY(page);
    expect(before).toBeGreaterThan(1500);
    const name = await target.locator('.card-link').innerText();
    // What the person sees: where that card sits on the screen.
    const seenAt = (await target.boundingBox())!.y;

    await target.locator('.card-link').click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect.poll(() => scrollY(page)).toBeLessThan(200);

    if (how === 'Back') await page.goBack();
    else await page.getByRole('link', { name: /All restaurants/ }).click();
    await expect(cards(page)).toHaveCount(10);
    await expect(page).toHaveURL(/sort=reviews/);
    await expect(target.locator('.card-link')).toHaveText(name);
    await expect.poll(() => scrollY(page)).toBeGreaterThan(1500);
    // The same card at the same place on the screen (a "Showing saved data" note that comes and
    // goes above it may move the page's scroll offset, never what is in view).
    await expect.poll(async () => Math.round((await target.boundingBox())!.y - seenAt)).toBe(0);
    await expect(target.locator('.card-link')).toBeInViewport();
  });
}

test('an ordinary visit to the list (the brand link) starts at the top', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(cards(page)).toHaveCount(10);
  await cards(page).nth(6).scrollIntoViewIfNeeded();
  await cards(page).nth(6).locator('.card-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Restaurant Reviews' }).click();
  await expect(cards(page)).toHaveCount(10);
  await page.waitForTimeout(300);
  expect(await scrollY(page)).toBeLessThan(100);
});
