import type { Page } from '@playwright/test';
import { expect, readStore, test, waitForOfflineReady } from './fixtures';
import { reviewCreate } from '../src/testing/records';
import { addRecords, writeReview } from './sync-helpers';

/** Issue #12, point 3: one voice for sync. */

/** A record the server will refuse as it is (rating 9): written straight into the outbox, as the form would never queue it. */
async function queueRefusedReview(page: Page, api: string, restaurantId: number, name: string, comments: string): Promise<void> {
  await addRecords(page, 'offline-reviews', [reviewCreate({ api, restaurant_id: restaurantId, name, rating: 9, comments })]);
}

const reviewArticle = (page: Page, name: string) => page.locator('app-review-list article', { hasText: name });

test('a review\'s state is shown once, with the review, and moves from saved on this device to sent', async ({ page, context, api }) => {
  await page.goto('/restaurant/2');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await writeReview(page, { name: 'Vera Voice', rating: 5, comments: 'One voice, please.' });

  const review = reviewArticle(page, 'Vera Voice');
  await expect(review.getByText('Pending sync')).toBeVisible();
  await expect(review).toContainText("Saved on this device; the review will be sent when you're back online.");
  // The form does not make its own promise about delivery.
  const formStatus = page.locator('app-review-form .form-status');
  await expect(formStatus).toContainText('Thank you!');
  await expect(formStatus).not.toContainText(/sent when|being sent/);

  await context.setOffline(false);
  await expect(review.getByText('Sent', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(review.getByText('Pending sync')).toHaveCount(0);
  await expect(review).not.toContainText('Saved on this device');
  expect((await api.reviewsOf(2)).filter((r) => r.name === 'Vera Voice')).toHaveLength(1);
  // No toast repeats (and covers) what the review says itself.
  await expect(page.getByRole('region', { name: 'Notifications' })).not.toContainText('review sent');
});

test('"Not sent" names the restaurant and offers Edit, which reopens the review with its text', async ({ page, context, api, server }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await queueRefusedReview(page, server.url, 2, 'Nina Nine', 'Nine stars out of five, honestly.');
  await context.setOffline(false);
  // Sent by the page's own replay (Background Sync does not fire for a record written behind its back).
  await page.reload();

  const banner = page.locator('app-failed-changes section');
  await expect(banner).toContainText('Not sent', { timeout: 20_000 });
  const entry = banner.locator('li', { hasText: 'Nina Nine' });
  await expect(entry).toContainText('Review by Nina Nine of Emily');
  await expect(entry).not.toContainText('restaurant 2');
  await expect(entry).toContainText(/rating/i);
  await expect(banner).not.toContainText('Fix');
  await expect(entry.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(entry.getByRole('button', { name: 'Discard' })).toBeVisible();

  await entry.getByRole('button', { name: 'Edit' }).click();
  await expect(page).toHaveURL(/\/restaurant\/2$/);
  const review = reviewArticle(page, 'Nina Nine');
  const comments = review.getByLabel('Comments', { exact: true });
  await expect(comments).toHaveValue('Nine stars out of five, honestly.');
  await expect(comments).toBeFocused();
  await expect(review.getByText('Not sent')).toBeVisible();

  // Fixing the rating sends it again, and the same review arrives once, fixed.
  await review.getByRole('radio', { name: '5 stars', exact: true }).check();
  await review.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(async () => (await api.reviewsOf(2)).filter((r) => r.name === 'Nina Nine').length, { timeout: 20_000 }).toBe(1);
  await expect(page.locator('app-failed-changes section')).toHaveCount(0);
  await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
  await expect(reviewArticle(page, 'Nina Nine').getByText('Sent', { exact: true })).toBeVisible({ timeout: 20_000 });
});
