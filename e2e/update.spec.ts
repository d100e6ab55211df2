import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ServerProcess } from './server';
import { test as base, expect, waitForOfflineReady } from './fixtures';

/** A server over a private copy of the build, so the test can publish a "new version" into it. */
const test = base.extend<{ server: ServerProcess; staticDir: string }>({
  staticDir: async ({}, use, testInfo) => {
    const dir = testInfo.outputPath('app');
    cpSync('dist/app', dir, { recursive: true });
    await use(dir);
  },
  server: async ({ staticDir }, use) => {
    const server = await ServerProcess.start({ STATIC_DIR: staticDir });
    await use(server);
    await server.dispose();
  },
});

/** Deploys a changed index.html the way a build would: new content, new hash in ngsw.json. */
function publishNewVersion(staticDir: string, marker: string): void {
  const indexFile = join(staticDir, 'index.html');
  const html = readFileSync(indexFile, 'utf8').replace('</body>', `<!-- ${marker} --></body>`);
  writeFileSync(indexFile, html);
  const manifestFile = join(staticDir, 'ngsw.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.hashTable['/index.html'] = createHash('sha1').update(html).digest('hex');
  manifest.timestamp = Date.now();
  writeFileSync(manifestFile, JSON.stringify(manifest));
}

test('a new version is offered with "Reload to update", and the reload brings it in', async ({ page, staticDir }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);

  publishNewVersion(staticDir, 'version-2');
  // ngsw looks for a new version after a navigation; the prompt appears in the open page.
  await page.reload();
  await page.evaluate(() => navigator.serviceWorker.controller?.postMessage({ action: 'CHECK_FOR_UPDATES', nonce: 1 }));
  const reload = page.getByRole('button', { name: 'Reload to update' });
  await expect(reload).toBeVisible({ timeout: 20_000 });

  await reload.click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.content()).toContain('version-2');
  // No reload loop: the new version settles and offers nothing more.
  await page.waitForTimeout(1_000);
  await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);
});
