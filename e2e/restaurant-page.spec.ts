import { expect, test } from './fixtures';
import { REVIEW_BATCH_PATH } from '../src/shared/review-batch';
import { writeReview } from './sync-helpers';

/** Issue #12, point 7: the restaurant page. */

test('a "Write a review" link near the top leads to the form, even on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/restaurant/3');
  const link = page.getByRole('link', { name: 'Write a review' });
  await expect(link).toBeInViewport();
  await link.click();
  await expect(page.locator('#review-form').getByLabel('Name', { exact: true })).toBeFocused();
  await expect(page.locator('#review-form h2')).toBeInViewport();
  await expect(page).toHaveURL(/\/restaurant\/3$/);
});

test('the rating is a group of star radio buttons that the keyboard can use', async ({ page, api }) => {
  await page.goto('/restaurant/5');
  const group = page.getByRole('radiogroup', { name: 'Rating' });
  await expect(group.getByRole('radio')).toHaveCount(5);
  await group.getByRole('radio', { name: '3 stars', exact: true }).focus();
  await page.keyboard.press('Space');
  await expect(group.getByRole('radio', { name: '3 stars', exact: true })).toBeChecked();
  await page.keyboard.press('ArrowRight');
  await expect(group.getByRole('radio', { name: '4 stars', exact: true })).toBeChecked();
  await expect(group).toContainText('4 of 5 stars');

  await writeReview(page, { name: 'Stella Star', rating: 2, comments: 'Two stars, chosen by radio.' });
  await expect.poll(async () => (await api.reviewsOf(5)).find((r) => r.name === 'Stella Star')).toMatchObject({ rating: 2 } as never);
});

test('says whether it is open now, links to directions, and shares with a copy-link fallback', async ({ page, context, server }) => {
  // 2024-06-10 20:00 local time, a Monday: Mission Chinese Food is open (5:30 pm - 11:00 pm).
  await page.clock.setFixedTime(new Date(2024, 5, 10, 20, 0));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto('/restaurant/1');
  await expect(page.locator('.hero-open')).toHaveText('Open now · closes 11 pm');

  const directions = page.getByRole('link', { name: /Directions to Mission Chinese Food/ });
  await expect(directions).toHaveAttribute('href', /^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&destination=40\.713829%2C-73\.989667$/);
  await expect(directions).toHaveAttribute('rel', /noopener/);

  // No Web Share in this desktop Chromium: the link is copied instead.
  expect(await page.evaluate(() => typeof navigator.share)).toBe('undefined');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('.share-status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/restaurant/1`);
});

test('a closed restaurant says when it opens', async ({ page }) => {
  // Monday 9:00: Mission Chinese Food opens at 5:30 pm.
  await page.clock.setFixedTime(new Date(2024, 5, 10, 9, 0));
  await page.goto('/restaurant/1');
  await expect(page.locator('.hero-open')).toHaveText('Closed · opens 5:30 pm');
});

test('a restaurant with many reviews draws the first 20, and "Show more" adds the next ones and moves focus to them', async ({
  page,
  server,
  api,
}) => {
  const items = Array.from({ length: 45 }, (_, i) => ({
    op: 'create',
    restaurant_id: 6,
    name: `Many ${i + 1}`,
    rating: (i % 5) + 1,
    comments: `One of many reviews, number ${i + 1}.`,
    client_id: crypto.randomUUID(),
  }));
  const response = await fetch(`${server.url}${REVIEW_BATCH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  expect(response.status).toBe(200);
  const total = (await api.reviewsOf(6)).length;
  expect(total).toBeGreaterThan(40);

  await page.goto('/restaurant/6');
  const cards = page.locator('[data-review]');
  await expect(cards).toHaveCount(20);
  const more = page.getByRole('button', { name: /^Show 20 more reviews/ });
  await expect(more).toContainText(`(${total - 20} not shown yet)`);
  await more.click();
  await expect(cards).toHaveCount(40);
  // Reading goes on at the first review just drawn.
  await expect(cards.nth(20)).toBeFocused();
  await page.getByRole('button', { name: `Show ${total - 40} more reviews` }).click();
  await expect(cards).toHaveCount(total);
  await expect(page.getByRole('button', { name: /^Show \d+ more/ })).toHaveCount(0);
});
