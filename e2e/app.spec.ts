import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { toggleFavorite, writeReview } from './sync-helpers';

/** The cards' name links (map popups are not cards). */
const restaurantLinks = (page: Page) => page.locator('main .cards a[href^="/restaurant/"]').filter({ hasText: /\S/ });

test.describe('list page', () => {
  test('filters by neighborhood and cuisine, and the filters survive a reload through the URL', async ({ page }) => {
    await page.goto('/');
    await expect(restaurantLinks(page)).toHaveCount(10);

    await page.getByLabel('Neighborhood').selectOption('Queens');
    await expect(restaurantLinks(page)).toHaveCount(2);
    await expect(page.locator('[aria-live="polite"]').filter({ hasText: /restaurant/ })).toContainText('2');
    await expect(page).toHaveURL(/neighborhood=Queens/);
    await page.reload();
    await expect(page.getByLabel('Neighborhood')).toHaveValue('Queens');
    await expect(restaurantLinks(page)).toHaveCount(2);
    await expect(page.getByRole('link', { name: 'Mu Ramen' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Casa Enrique' })).toBeVisible();

    await page.getByLabel('Neighborhood').selectOption('');
    await page.getByLabel('Cuisine').selectOption('Pizza');
    await expect(restaurantLinks(page)).toHaveCount(2);
    await expect(page).toHaveURL(/cuisine=Pizza/);
    await page.reload();
    await expect(page.getByLabel('Cuisine')).toHaveValue('Pizza');
    await expect(page.getByRole('link', { name: 'Emily' })).toBeVisible();
    await expect(page.getByRole('link', { name: "Roberta's Pizza" })).toBeVisible();
  });

  test('"Favorites only" shows the favorites, and an impossible combination says so', async ({ page }) => {
    await page.goto('/');
    await toggleFavorite(page, 'Katz', true);
    await page.getByLabel('Favorites only').check();
    await expect(restaurantLinks(page)).toHaveCount(1);
    await expect(page.getByRole('link', { name: "Katz's Delicatessen" })).toBeVisible();
    await page.getByLabel('Neighborhood').selectOption('Queens');
    await expect(page.getByText('No restaurants match these filters')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(restaurantLinks(page)).toHaveCount(10);
  });

  test('a favorite persists across a reload and is on the server', async ({ page, api }) => {
    await page.goto('/');
    await toggleFavorite(page, 'Emily', true);
    await expect.poll(() => api.isFavorite(2)).toBe(true);
    await page.reload();
    await expect(page.getByRole('button', { name: /favorite.*Emily/i })).toHaveAttribute('aria-pressed', 'true');
    await toggleFavorite(page, 'Emily', false);
    await expect.poll(() => api.isFavorite(2)).toBe(false);
  });

  test('the map degrades gracefully when tiles cannot load', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByText(/map (tiles could not be loaded|unavailable)/i).first()).toBeVisible({ timeout: 20_000 });
    // The page stays fully usable.
    await page.getByRole('link', { name: 'Mu Ramen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mu Ramen' })).toBeVisible();
  });
});

test.describe('restaurant page', () => {
  test('navigates from the list to a restaurant with its details and opening hours', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: "Katz's Delicatessen" }).click();
    await expect(page).toHaveURL(/\/restaurant\/4$/);
    const heading = page.getByRole('heading', { level: 1, name: "Katz's Delicatessen" });
    await expect(heading).toBeVisible();
    await expect(heading).toBeFocused();
    await expect(page).toHaveTitle(/Katz's Delicatessen/);
    await expect(page.getByText('205 E Houston St, New York, NY 10002')).toBeVisible();
    await expect(page.getByText('American').first()).toBeVisible();

    const hours = page.getByRole('table', { name: /opening hours/i });
    await expect(hours.getByRole('row')).toHaveCount(7);
    await expect(hours.getByRole('row', { name: /Saturday/ })).toContainText('Open 24 hours');
    const today = new Date().toLocaleDateString('en-US', { weekday: 'long' });
    await expect(hours.getByRole('row', { name: new RegExp(today) })).toHaveAttribute('aria-current', 'date');
    await expect(page.getByRole('button', { name: /favorite.*Katz's Delicatessen/i })).toBeVisible();
  });

  test('an unknown restaurant gets a friendly not-found page', async ({ page }) => {
    await page.goto('/restaurant/999');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/not found|no restaurant/i);
    await expect(page.getByRole('link', { name: /restaurants/i }).first()).toBeVisible();
    await page.goto('/restaurant/not-a-number');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/not found|no restaurant/i);
  });

  test('a posted review shows at once, resets the form, and is on the server', async ({ page, api }) => {
    await page.goto('/restaurant/7');
    await expect(page.getByRole('heading', { level: 1, name: 'Superiority Burger' })).toBeVisible();
    await writeReview(page, { name: 'Ada', rating: 5, comments: 'The best veggie burger in the East Village.' });

    await expect(page.getByText('The best veggie burger in the East Village.')).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Comments', { exact: true })).toHaveValue('');
    await expect(page.getByRole('img', { name: '5 out of 5 stars' }).or(page.getByText('5 out of 5 stars')).first()).toBeAttached();
    await expect
      .poll(async () => (await api.reviewsOf(7)).filter((r) => r.name === 'Ada').length)
      .toBe(1);
    await expect(page.getByText('Pending sync')).toHaveCount(0);
  });

  test('an invalid form shows its errors, tied to the fields, and sends nothing', async ({ page, api, context }) => {
    const posts: string[] = [];
    context.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    await page.goto('/restaurant/8');
    await expect(page.getByRole('heading', { level: 1, name: 'The Dutch' })).toBeVisible();
    const before = (await api.reviewsOf(8)).length;

    await page.getByLabel('Name', { exact: true }).fill('   ');
    await page.getByLabel('Comments', { exact: true }).fill('x'.repeat(4001));
    await page.getByRole('button', { name: 'Submit review' }).click();

    for (const label of ['Name', 'Rating', 'Comments']) {
      const field = page.getByLabel(label, { exact: true });
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
      const errorIds = describedBy.split(' ').filter((id) => id.endsWith('-error'));
      expect(errorIds.length, `${label} has an error message tied to it`).toBe(1);
      await expect(page.locator(`#${errorIds[0]}`)).toBeVisible();
    }
    await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
    await page.waitForTimeout(300);
    expect(posts).toEqual([]);
    expect((await api.reviewsOf(8)).length).toBe(before);
  });

  test('a review whose text looks like HTML or script renders as plain text', async ({ page, api }) => {
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '"><svg onload="window.__xss=3">',
    ];
    await page.goto('/restaurant/10');
    await expect(page.getByRole('heading', { level: 1, name: 'Casa Enrique' })).toBeVisible();
    await writeReview(page, { name: '<b>Mallory</b>', rating: 1, comments: payloads.join(' ') });
    await expect.poll(async () => (await api.reviewsOf(10)).filter((r) => r.name === '<b>Mallory</b>').length).toBe(1);
    await page.reload();

    await expect(page.getByText('<b>Mallory</b>')).toBeVisible();
    await expect(page.getByText(payloads[0], { exact: false })).toBeVisible();
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('main img[src="x"], main script, main svg[onload]').count()).toBe(0);
  });
});

test.describe('accessibility (axe)', () => {
  for (const scheme of ['light', 'dark'] as const) {
    // The list, a restaurant, the "No favorites yet" state and the not-found page.
    for (const path of ['/', '/restaurant/1', '/?favorites=1', '/no/such/page']) {
      test(`${path} has no axe violations in ${scheme} mode`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expect(page.locator('main a[href^="/restaurant/"], main form, main .state-box, app-not-found').first()).toBeVisible();
        // Let the idle-deferred map and its "tiles unavailable" note settle into the page.
        await page.waitForTimeout(1500);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
        const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        expect(summary).toEqual([]);
      });
    }
  }
});
