import { type CDPSession, type Page, test as base, expect } from '@playwright/test';
import { DB_NAME, type StoreName } from '../src/shared/db-schema';
import { FaultProxy } from './fault-proxy';
import { ServerProcess } from './server';

interface Fixtures {
  /** A fresh server (own port, own SQLite file) for each test. */
  server: ServerProcess;
  /** Reads the server's state through the public API, as any client would. */
  api: ServerApi;
  /** On failure, what the pages and the server said: a CI log alone must explain a rare failure. */
  diagnostics: void;
  /** While the test's context is offline, every document loaded in it knows so (see below). */
  offlineDocuments: void;
}

/** Console lines kept per test, the last ones: enough to see what the app was doing. */
const KEPT_LINES = 60;

export const test = base.extend<Fixtures>({
  server: async ({}, use, testInfo) => {
    const server = await ServerProcess.start();
    await use(server);
    if (testInfo.status !== testInfo.expectedStatus) {
      const log = server.output().trim();
      if (log) console.error(`[server log, last lines]\n${log.split('\n').slice(-KEPT_LINES).join('\n')}`);
    }
    await server.dispose();
  },
  diagnostics: [
    async ({ context }, use, testInfo) => {
      const lines: string[] = [];
      const keep = (line: string) => {
        lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
        if (lines.length > KEPT_LINES) lines.shift();
      };
      context.on('console', (message) => keep(`${message.type()}: ${message.text()} (${message.location().url})`));
      context.on('weberror', (error) => keep(`page error: ${error.error().message}`));
      context.on('requestfailed', (request) => keep(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      if (lines.length) console.error(`[browser console]\n${lines.join('\n')}`);
      for (const page of context.pages()) {
        const text = await page.locator('body').innerText({ timeout: 1_000 }).catch((error: Error) => error.message);
        console.error(`[page ${page.url()} said]\n${text.replace(/\n+/g, ' | ').slice(0, 800)}`);
      }
    },
    { auto: true },
  ],
  /**
   * With Debian's Chromium 150 and this Playwright, a document loaded while the context is offline
   * (`page.goto`, a reload) reports `navigator.onLine === true` and never hears `offline`, although
   * every request it makes fails (Chromium 156 did not; microsoft/playwright#42174 is the same for
   * a page opened in an offline context). The harness is wrong there, not the app: a browser with
   * no network says so to a new document too. So while the test's context is offline, each new
   * document that claims to be online is set offline over CDP, and `setOffline(false)` undoes it.
   */
  offlineDocuments: [
    async ({ context }, use) => {
      let offline = false;
      const sessions: CDPSession[] = [];
      const conditions = { latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
      const emulate = (session: CDPSession, value: boolean) =>
        session.send('Network.emulateNetworkConditions', { offline: value, ...conditions });
      const release = async (session: CDPSession) => {
        await emulate(session, false).catch(() => undefined);
        await session.detach().catch(() => undefined);
      };
      const onDocument = async (page: Page) => {
        if (!offline || !(await page.evaluate(() => navigator.onLine))) return;
        const session = await context.newCDPSession(page);
        await session.send('Network.enable');
        await emulate(session, true);
        // Back online while this was being set: undo it at once.
        if (offline) sessions.push(session);
        else await release(session);
      };
      const watch = (page: Page) => page.on('domcontentloaded', () => void onDocument(page).catch(() => undefined));
      context.pages().forEach(watch);
      context.on('page', watch);
      const setOffline = context.setOffline.bind(context);
      context.setOffline = async (value: boolean) => {
        offline = value;
        await setOffline(value);
        if (!value) await Promise.all(sessions.splice(0).map(release));
      };
      await use();
    },
    { auto: true },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  api: async ({ server }, use) => use(new ServerApi(server)),
});

export { expect };

/** The browser talks to a fault proxy in front of the real server (which also counts what arrives). */
export const testThroughProxy = test.extend<{ faults: FaultProxy }>({
  faults: async ({ server }, use) => {
    const faults = await FaultProxy.start(server.url);
    await use(faults);
    await faults.close();
  },
  baseURL: async ({ faults }, use) => use(faults.url),
});

export class ServerApi {
  constructor(private readonly server: ServerProcess) {}

  async get<T = unknown>(path: string): Promise<T> {
    const response = await fetch(this.server.url + path);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  }

  reviewsOf(restaurantId: number): Promise<Array<{ id: number; name: string; comments: string; client_id?: string }>> {
    return this.get(`/reviews/?restaurant_id=${restaurantId}`);
  }

  async isFavorite(restaurantId: number): Promise<boolean> {
    const restaurant = await this.get<{ is_favorite: unknown }>(`/restaurants/${restaurantId}`);
    return restaurant.is_favorite === true || restaurant.is_favorite === 'true';
  }
}

/** Waits until the custom worker controls the page and ngsw has cached the app (see TOOLCHAIN.md). */
export async function waitForOfflineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.scriptURL.endsWith('/custom-sw.js'), null, {
    timeout: 20_000,
  });
  await expect
    .poll(
      async () => {
        const state = await page.evaluate(async () => (await fetch('/ngsw/state')).text());
        return state.includes('Driver state: NORMAL') && !state.includes('Latest manifest hash: none');
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  // The app group is prefetched; wait until every file is in the cache, or the reload can fail.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const manifest = (await (await fetch('/ngsw.json', { cache: 'no-store' })).json()) as {
            assetGroups: Array<{ installMode: string; urls: string[] }>;
          };
          const urls = manifest.assetGroups.filter((g) => g.installMode === 'prefetch').flatMap((g) => g.urls);
          const names = await caches.keys();
          for (const url of urls) {
            let found = false;
            for (const name of names) if (await (await caches.open(name)).match(url)) found = true;
            if (!found) return false;
          }
          return true;
        }),
      { timeout: 20_000 },
    )
    .toBe(true);
}

/** Reads a whole store from the page's real IndexedDB (raw API: the page's bundle is not reachable). */
export function readStore<T = Record<string, unknown>>(page: Page, store: StoreName): Promise<T[]> {
  return page.evaluate(
    async ({ name, dbName }) => {
      // Opening a database that does not exist yet would create it empty, at the app's version.
      if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return [];
      return new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
      });
    },
    { name: store, dbName: DB_NAME },
  );
}
