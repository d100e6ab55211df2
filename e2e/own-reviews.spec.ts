import { expect, readStore, test, waitForOfflineReady } from './fixtures';
import { writeReview } from './sync-helpers';

test.describe('a person edits and deletes their own reviews', () => {
  test('online: edit then delete a delivered review, with the edit token the server gave', async ({ page, api }) => {
    await page.goto('/restaurant/2');
    await writeReview(page, { name: 'Edith', rating: 2, comments: 'Too salty for me.' });
    await expect.poll(async () => (await api.reviewsOf(2)).filter((r) => r.name === 'Edith').length).toBe(1);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
    // Seeded reviews are not this person's: no Edit button on them.
    await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(1);

    const mine = page.locator('article.review').filter({ hasText: 'Edith' });
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Comments').fill('Second visit: much better seasoned.');
    await mine.getByRole('button', { name: 'Save changes' }).click();
    await expect(mine.getByText('Second visit: much better seasoned.')).toBeVisible();
    await expect
      .poll(async () => (await api.reviewsOf(2)).find((r) => r.name === 'Edith')?.comments)
      .toBe('Second visit: much better seasoned.');

    await mine.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByText('Second visit: much better seasoned.')).toHaveCount(0);
    await expect.poll(async () => (await api.reviewsOf(2)).filter((r) => r.name === 'Edith').length).toBe(0);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
  });

  test('offline: an edit of a review not yet sent just changes the queued record', async ({ page, context, api }) => {
    // Requests the server answered (a try that fails before reaching the network is tried again).
    // Read by polling: Playwright hears of an answer a moment after the outbox has emptied.
    const methods: string[] = [];
    context.on('response', (response) => {
      if (response.url().includes('/reviews')) methods.push(response.request().method());
    });
    await page.goto('/restaurant/3');
    await waitForOfflineReady(page);
    await context.setOffline(true);
    await writeReview(page, { name: 'Otto', rating: 3, comments: 'First draft.' });
    const mine = page.locator('article.review').filter({ hasText: 'Otto' });
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Comments').fill('Final words, written offline.');
    await mine.getByRole('button', { name: 'Save changes' }).click();
    expect(await readStore(page, 'offline-reviews')).toEqual([
      expect.objectContaining({ name: 'Otto', comments: 'Final words, written offline.', status: 'pending' }),
    ]);
    methods.length = 0;

    await context.setOffline(false);

    await expect
      .poll(async () => (await api.reviewsOf(3)).filter((r) => r.name === 'Otto').map((r) => r.comments))
      .toEqual(['Final words, written offline.']);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
    await expect.poll(() => methods.filter((m) => m === 'POST')).toHaveLength(1);
    expect(methods.filter((m) => m === 'PUT')).toHaveLength(0);
  });

  test('offline: deleting a delivered review hides it at once and deletes it on the server when back online', async ({
    page,
    context,
    api,
  }) => {
    await page.goto('/restaurant/9');
    await waitForOfflineReady(page);
    await writeReview(page, { name: 'Dora', rating: 4, comments: 'Rich broth.' });
    await expect.poll(async () => (await api.reviewsOf(9)).filter((r) => r.name === 'Dora').length).toBe(1);

    await context.setOffline(true);
    const mine = page.locator('article.review').filter({ hasText: 'Dora' });
    await mine.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByText('Rich broth.')).toHaveCount(0);
    expect(await readStore(page, 'offline-reviews')).toEqual([expect.objectContaining({ kind: 'review-delete' })]);
    expect((await api.reviewsOf(9)).filter((r) => r.name === 'Dora')).toHaveLength(1);

    await context.setOffline(false);
    await expect.poll(async () => (await api.reviewsOf(9)).filter((r) => r.name === 'Dora').length).toBe(0);
    await expect.poll(() => readStore(page, 'offline-reviews')).toEqual([]);
  });
});
