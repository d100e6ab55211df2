/**
 * IndexedDB records read for one review submission, at 10k restaurants (issue #14, point 3).
 *
 * Two tabs of one browser: the list page (10k restaurants in IndexedDB) and a restaurant page.
 * A review is written with the form on the restaurant page; from the click until it is on the
 * server, out of the outbox, and the change messages have settled, every record the pages get
 * from IndexedDB is counted: an init script wraps get/getAll/getAllKeys and cursors on
 * IDBObjectStore and IDBIndex and adds up what they return. The worker's own reads (the replay)
 * are not in it: an init script does not run in a service worker.
 *
 *   tsx bench/idb-reads.ts [--root=DIR]   runs it alone, against the build in DIR (default: this
 *                                         tree), seeding its own 10k database
 */
import type { BrowserContext, Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReview } from '../e2e/sync-helpers.ts';
import { CARD_SELECTOR, launchBrowser, newContext, waitForIdbCount, waitForOfflineReady } from './lib/browser.ts';
import { type Scope, scoped, sleep } from './lib/scope.ts';
import { ROOT, killChild, startServer, track } from './lib/server.ts';

export interface IdbReads {
  /** Records read by the list page's tab. */
  list: number;
  /** Records read by the restaurant page's tab (where the review was written). */
  page: number;
  /** Per tab, per store. */
  byStore: { list: Record<string, number>; page: Record<string, number> };
  /** From the click to the review on the server with the outbox empty. */
  deliveredMs: number;
}

interface Counter {
  total: number;
  byStore: Record<string, number>;
}

/** Counts, in every document of the context, the records IndexedDB hands to the page. */
export async function installReadCounter(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const counter = { total: 0, byStore: {} as Record<string, number> };
    (window as unknown as { __idbReads: typeof counter }).__idbReads = counter;
    const add = (source: IDBObjectStore | IDBIndex, n: number) => {
      if (!n) return;
      const store = 'objectStore' in source ? source.objectStore.name : source.name;
      counter.total += n;
      counter.byStore[store] = (counter.byStore[store] ?? 0) + n;
    };
    const wrap = (proto: IDBObjectStore | IDBIndex, method: string, count: (result: unknown) => number) => {
      const original = (proto as unknown as Record<string, (...args: unknown[]) => IDBRequest>)[method];
      (proto as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
        const request = original.apply(this, args);
        // A cursor request succeeds once per record, and once more with null at the end.
        request.addEventListener('success', () => add(this, count(request.result)));
        return request;
      };
    };
    for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
      wrap(proto, 'get', (r) => (r === undefined ? 0 : 1));
      wrap(proto, 'getAll', (r) => (r as unknown[]).length);
      wrap(proto, 'getAllKeys', (r) => (r as unknown[]).length);
      wrap(proto, 'openCursor', (r) => (r ? 1 : 0));
      wrap(proto, 'openKeyCursor', (r) => (r ? 1 : 0));
    }
  });
}

const readCounter = (page: Page) => page.evaluate(() => (window as unknown as { __idbReads: Counter }).__idbReads);
const resetCounter = (page: Page) =>
  page.evaluate(() => {
    const counter = (window as unknown as { __idbReads: Counter }).__idbReads;
    counter.total = 0;
    counter.byStore = {};
  });

/** Measures one review submission against the server at `url`, which holds `restaurants` restaurants. */
export async function measureIdbReads(scope: Scope, url: string, restaurants: number): Promise<IdbReads> {
  const browser = await launchBrowser(scope);
  const context = await newContext(browser, url);
  scope.defer('idb-reads context', () => context.close());
  await installReadCounter(context);

  const list = await context.newPage();
  await list.goto('/');
  await waitForIdbCount(list, 'restaurants', restaurants, 120_000);
  await list.locator(CARD_SELECTOR).first().waitFor({ timeout: 60_000 });
  await waitForOfflineReady(list);

  const page = await context.newPage();
  await page.goto('/restaurant/1');
  await page.getByRole('button', { name: 'Submit review' }).waitFor({ timeout: 30_000 });
  // Let both tabs finish their own start-up reads (network refreshes, outbox status).
  await sleep(2_000);
  await Promise.all([resetCounter(list), resetCounter(page)]);

  const name = `Bench Reader ${Date.now()}`;
  const started = performance.now();
  await writeReview(page, { name, rating: 4, comments: 'Counting what IndexedDB hands out.' });
  const deadline = Date.now() + 60_000;
  while (!(await onServer(url, name)) || (await page.getByText('Pending sync').count()) > 0) {
    if (Date.now() > deadline) throw new Error('the review did not arrive within 60 s');
    await sleep(50);
  }
  const deliveredMs = performance.now() - started;
  // The replay's last change message and the reads it causes.
  await sleep(1_500);
  const [fromList, fromPage] = await Promise.all([readCounter(list), readCounter(page)]);
  return { list: fromList.total, page: fromPage.total, byStore: { list: fromList.byStore, page: fromPage.byStore }, deliveredMs };
}

async function onServer(url: string, name: string): Promise<boolean> {
  const response = await fetch(`${url}/reviews/?restaurant_id=1`);
  return response.ok && ((await response.json()) as Array<{ name: string }>).some((r) => r.name === name);
}

// ---- run alone: tsx bench/idb-reads.ts [--root=DIR] ---------------------------------------------

async function main(): Promise<void> {
  const rootArg = process.argv.find((a) => a.startsWith('--root='));
  const root = rootArg ? resolve(rootArg.slice('--root='.length)) : ROOT;
  const result = await scoped('idb-reads', 15 * 60_000, async (scope) => {
    const dir = mkdtempSync(join(tmpdir(), 'rr-bench-reads-'));
    scope.defer(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'large.sqlite');
    const seed = spawn(join(root, 'node_modules/.bin/tsx'), ['server/seed-large.ts'], {
      cwd: root,
      env: { ...process.env, DB_FILE: dbFile, LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    track(seed);
    scope.defer('seed', () => killChild(seed));
    const code = await new Promise<number | null>((done) => seed.once('exit', done));
    if (code !== 0) throw new Error(`seed-large exited with ${code}`);
    const server = await startServer(scope, { dbFile, root });
    return measureIdbReads(scope, server.url, 10_000);
  });
  console.log(`root: ${root}`);
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
