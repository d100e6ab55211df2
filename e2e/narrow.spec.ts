import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Issue #12, point 5: narrow screens and long text. */

const LONG_NAME = 'Bartholomew'.repeat(7).slice(0, 80);
const LONG_WORD = 'Supercalifragilisticexpialidocious'.repeat(4);
const LONG_TEXT = `${LONG_WORD} ${'The tasting menu went on and on, and so does this review. '.repeat(70)}`.slice(0, 4000);

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function postReview(serverUrl: string): Promise<void> {
  const response = await fetch(`${serverUrl}/reviews/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ restaurant_id: 1, name: LONG_NAME, rating: 4, comments: LONG_TEXT }),
  });
  expect(response.status).toBe(201);
}

test('no page scrolls sideways at 320 px, even with long names and words', async ({ page, server }) => {
  await postReview(server.url);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/?favorites=1', '/restaurant/1', '/restaurant/3', '/no/such/page']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).not.toBeEmpty();
    if (path === '/restaurant/1') await expect(page.getByRole('heading', { level: 3, name: LONG_NAME })).toBeVisible();
    await page.waitForTimeout(300);
    expect(await sideways(page), path).toBeLessThanOrEqual(0);
  }
  // The list with its map opened.
  await page.goto('/');
  await page.getByRole('button', { name: 'Show map' }).click();
  await expect(page.locator('#list-map')).toBeVisible();
  expect(await sideways(page), 'list with map').toBeLessThanOrEqual(0);
});

test('a long review is folded with "Read more", and a long name wraps at 390 px', async ({ page, server }) => {
  await postReview(server.url);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/restaurant/1');
  const review = page.locator('app-review-list article', { hasText: LONG_NAME.slice(0, 20) });
  const text = review.locator('.review-comments');
  await expect(text).toBeVisible();
  const folded = (await text.boundingBox())!.height;
  expect(folded).toBeLessThan(200);
  const more = review.getByRole('button', { name: 'Read more' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.click();
  await expect(review.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  expect((await text.boundingBox())!.height).toBeGreaterThan(folded * 5);
  // Short reviews have no such button.
  const short = page.locator('app-review-list article').filter({ hasNotText: LONG_NAME.slice(0, 20) }).first();
  await expect(short.getByRole('button', { name: 'Read more' })).toHaveCount(0);
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  const author = (await review.locator('.review-author').boundingBox())!;
  expect(author.x + author.width).toBeLessThanOrEqual(390);
});
