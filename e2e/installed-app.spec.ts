import type { Page } from '@playwright/test';
import { expect, test, waitForOfflineReady } from './fixtures';
import { toggleFavorite } from './sync-helpers';

/** Issue #12, point 8: an installed app that feels like one. */

test('the manifest offers shortcuts and screenshots, and every one of them exists', async ({ request, server }) => {
  const manifest = await (await request.get(`${server.url}/manifest.webmanifest`)).json();
  const shortcuts = manifest.shortcuts as Array<{ name: string; url: string; icons: Array<{ src: string }> }>;
  expect(shortcuts.map((s) => [s.name, s.url])).toEqual([
    ['Favorites', '/?favorites=1'],
    ['Top rated', '/?sort=rating'],
  ]);
  for (const shortcut of shortcuts) {
    for (const icon of shortcut.icons) expect((await request.get(`${server.url}/${icon.src}`)).ok()).toBe(true);
  }
  const screenshots = manifest.screenshots as Array<{ src: string; sizes: string; form_factor: string; label: string }>;
  expect(screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  for (const shot of screenshots) {
    const response = await request.get(`${server.url}/${shot.src}`);
    expect(response.ok(), shot.src).toBe(true);
    expect(response.headers()['content-type']).toContain('image/png');
    // The PNG's own size (IHDR) is the one the manifest states.
    const png = await response.body();
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, shot.src).toBe(shot.sizes);
    expect(shot.label).toBeTruthy();
  }
});

/** Records the badge calls while still calling the browser's own Badging API. */
async function recordBadge(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { __badge: string[] }).__badge = calls;
    const nav = Navigator.prototype as unknown as Record<string, (...args: unknown[]) => Promise<void>>;
    for (const name of ['setAppBadge', 'clearAppBadge']) {
      const original = nav[name];
      if (typeof original !== 'function') continue;
      nav[name] = function (this: Navigator, ...args: unknown[]) {
        calls.push(`${name}(${args.join(',')})`);
        return original.apply(this, args);
      };
    }
  });
}

const badgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { __badge: string[] }).__badge.slice(-1)[0]);

test('the app badge counts changes waiting to be sent, and is cleared at zero', async ({ page, context, api }) => {
  await recordBadge(page);
  await page.goto('/');
  expect(await page.evaluate(() => typeof navigator.setAppBadge)).toBe('function');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await toggleFavorite(page, 'Emily', true);
  await expect.poll(() => badgeCalls(page)).toBe('setAppBadge(1)');
  await toggleFavorite(page, 'Mu Ramen', true);
  await expect.poll(() => badgeCalls(page)).toBe('setAppBadge(2)');
  await context.setOffline(false);
  await expect.poll(() => api.isFavorite(9), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => badgeCalls(page), { timeout: 20_000 }).toBe('clearAppBadge()');
});

test('where the Badging API is missing, nothing breaks', async ({ page, context, api }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    delete (Navigator.prototype as unknown as Record<string, unknown>)['setAppBadge'];
    delete (Navigator.prototype as unknown as Record<string, unknown>)['clearAppBadge'];
  });
  await page.goto('/');
  expect(await page.evaluate(() => 'setAppBadge' in navigator)).toBe(false);
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await toggleFavorite(page, 'Emily', true);
  await context.setOffline(false);
  await expect.poll(() => api.isFavorite(2), { timeout: 20_000 }).toBe(true);
  expect(errors).toEqual([]);
});
