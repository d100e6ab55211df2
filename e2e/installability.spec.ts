import { expect, test, waitForOfflineReady } from './fixtures';

/** What Lighthouse's retired PWA category checked, checked here instead. */
test('the app is installable: manifest, icons, worker, offline start_url, viewport and theme colour', async ({
  page,
  context,
  request,
}) => {
  await page.goto('/');
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBeTruthy();
  const manifestUrl = new URL(manifestHref!, page.url()).toString();
  const manifest = await (await request.get(manifestUrl)).json();

  expect(manifest).toEqual(
    expect.objectContaining({
      name: 'Restaurant Reviews',
      short_name: expect.any(String),
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    }),
  );
  const icons = manifest.icons as Array<{ src: string; sizes: string; type: string; purpose?: string }>;
  for (const size of ['192x192', '512x512']) {
    expect(icons.some((icon) => icon.sizes === size && (icon.purpose ?? 'any').includes('any'))).toBe(true);
  }
  expect(icons.some((icon) => icon.purpose?.includes('maskable') && icon.sizes === '512x512')).toBe(true);
  for (const icon of icons) {
    const response = await request.get(new URL(icon.src, manifestUrl).toString());
    expect(response.ok(), icon.src).toBe(true);
    expect(response.headers()['content-type']).toContain(icon.type);
  }

  await expect(page.locator('meta[name="viewport"]')).toHaveAttribute('content', /width=device-width/);
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', manifest.theme_color);

  await waitForOfflineReady(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/custom-sw\.js$/);

  await context.setOffline(true);
  await page.goto(manifest.start_url);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Casa Enrique' })).toBeVisible();
});

test('a deep link opens offline on a repeat visit, with its data from IndexedDB', async ({ page, context }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  await expect(page.getByRole('link', { name: 'Emily' })).toBeVisible();
  await context.setOffline(true);
  await page.goto('/restaurant/2');
  await expect(page.getByRole('heading', { level: 1, name: 'Emily' })).toBeVisible();
  await expect(page.getByRole('table', { name: /opening hours/i })).toBeVisible();
});
