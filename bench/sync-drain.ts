/**
 * Background Sync drain: N reviews queued offline, then the network comes back; they go in
 * batches (POST /reviews/batch, up to 100 reviews a request). Time from
 * `setOffline(false)` (Chromium fires the pending `syncReviews` about 50 ms later) until the outbox
 * is empty, then a check that the server holds each review exactly once.
 *
 * Runs with the server's DEFAULT rate limit: a legitimate replay must never be blocked by it.
 * Fresh server (fresh database) and fresh browser context for every run.
 */
import type { Browser, Page } from '@playwright/test';
import { addRecords } from '../e2e/sync-helpers.ts';
import { DB_NAME } from '../src/shared/db-schema.ts';
import { REVIEW_BATCH_PATH } from '../src/shared/review-batch.ts';
import { reviewCreate } from '../src/testing/records.ts';
import { idbCount, launchBrowser, newContext, waitForOfflineReady } from './lib/browser.ts';
import { type Figure, failed, figure, messageOf } from './lib/figures.ts';
import { type Scope, stage, withTimeout } from './lib/scope.ts';
import { startServer } from './lib/server.ts';

export interface DrainRun {
  n: number;
  seconds?: number;
  itemsPerSecond?: number;
  /** From going online to the worker's first POST (the sync event's latency, roughly). */
  firstPostMs?: number;
  /** From going online to the first settled batch leaving the outbox. */
  firstBatchMs?: number;
  /** POST /reviews/ requests seen (one per review on a server without batches; more means retries). */
  posts?: number;
  /** POST /reviews/batch requests seen. */
  batches?: number;
  onServer?: number;
  duplicates?: number;
  missing?: number;
  error?: string;
}

export interface SyncDrainOptions {
  sizes?: number[];
  runs?: number;
  /** After this much time in the measurement, the largest size gets one run only. */
  budgetMs?: number;
  /** Epoch ms: no new run of the largest size starts after it (the bench's overall time limit). */
  deadline?: number;
  log?: (line: string) => void;
}

export async function measureSyncDrain(
  scope: Scope,
  { sizes = [100, 1000, 5000], runs = 3, budgetMs = 150_000, deadline = Infinity, log = console.log }: SyncDrainOptions = {},
): Promise<{ figures: Figure[]; details: { runs: DrainRun[]; note?: string } }> {
  const started = Date.now();
  const browser = await launchBrowser(scope);
  const all: DrainRun[] = [];
  const figures: Figure[] = [];
  let note: string | undefined;

  for (const n of sizes) {
    const runsHere: DrainRun[] = [];
    let planned = runs;
    for (let i = 0; i < planned; i++) {
      scope.check();
      // Keep the whole bench under its time limit: a slow machine gets one run of the big sizes.
      const lastRun = runsHere.at(-1)?.seconds ?? 0;
      if (i >= 1 && n >= 1000 && (Date.now() - started > budgetMs || Date.now() + lastRun * 1000 + 15_000 > deadline)) {
        planned = i;
        note = `${n}: ${i} run(s) only (time budget)`;
        break;
      }
      const run = await drainOnce(scope, browser, n).catch((error: unknown): DrainRun => ({ n, error: messageOf(error) }));
      log(
        `  sync drain ${n} #${i + 1}: ` +
          (run.error
            ? `error: ${run.error}`
            : `${run.seconds!.toFixed(3)} s, ${Math.round(run.itemsPerSecond!)} items/s, first request after ${Math.round(run.firstPostMs ?? NaN)} ms, ${run.batches} batches + ${run.posts} single POSTs, server holds ${run.onServer}/${n}, duplicates: ${run.duplicates}, missing: ${run.missing}`),
      );
      runsHere.push(run);
      all.push(run);
    }
    const ok = runsHere.filter((r) => !r.error);
    const g = 'sync';
    const runNote = `${ok.length} run(s)${ok.length < runsHere.length ? ` of ${runsHere.length}` : ''}, default rate limit`;
    const target = n === 1000 ? { op: '<' as const, value: 1 } : undefined;
    if (!ok.length) {
      figures.push(failed(g, `Drain ${n} queued reviews`, 's', runsHere[0]?.error ?? 'no run', target));
      continue;
    }
    figures.push(figure(g, `Drain ${n} queued reviews`, 's', ok.map((r) => r.seconds!), { target, note: runNote }));
    figures.push(figure(g, `Drain ${n}: throughput`, 'items/s', ok.map((r) => r.itemsPerSecond!)));
    figures.push(figure(g, `Drain ${n}: online → worker's first request`, 'ms', ok.map((r) => r.firstPostMs ?? NaN)));
    figures.push(
      figure(g, `Drain ${n}: requests`, '', ok.map((r) => (r.batches ?? 0) + (r.posts ?? 0)), {
        note: `batches ${ok.map((r) => r.batches).join('/')}, single POSTs ${ok.map((r) => r.posts).join('/')}`,
      }),
    );
    const duplicates = ok.reduce((sum, r) => sum + (r.duplicates ?? 0), 0);
    const missing = ok.reduce((sum, r) => sum + (r.missing ?? 0), 0);
    figures.push(figure(g, `Drain ${n}: lost (all runs)`, '', [missing], { target: { op: '=', value: 0 } }));
    figures.push(figure(g, `Drain ${n}: duplicated on server (all runs)`, '', [duplicates], { target: { op: '=', value: 0 } }));
  }
  return { figures, details: { runs: all, note } };
}

async function drainOnce(scope: Scope, browser: Browser, n: number): Promise<DrainRun> {
  const server = await startServer(scope);
  const context = await newContext(browser, server.url);
  try {
    const page = await context.newPage();
    await stage('opening /restaurant/1', page.goto('/restaurant/1'));
    await stage('waiting for the worker and ngsw caches', waitForOfflineReady(page));
    // The app creates the database; the bench only writes into it once it exists.
    await stage('waiting for the app database', waitForStore(page));
    const before = await reviewsOf(server.url, 1);

    await context.setOffline(true);
    const clientIds = await stage('queueing reviews', queueReviews(page, n));
    await stage('registering syncReviews', () => page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
        sync: { register(tag: string): Promise<void> };
      };
      await registration.sync.register('syncReviews');
    }));

    const limitMs = 20_000 + n * 60;
    // Watches the outbox from inside the page, so the end time is not blurred by round trips.
    const watcher = page.evaluate(
      ({ n, limitMs, dbName }) =>
        new Promise<{ firstBatch?: number; empty?: number; left: number; statuses: Record<string, number> }>((resolve, reject) => {
          const open = indexedDB.open(dbName);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const deadline = performance.timeOrigin + performance.now() + limitMs;
            let firstBatch: number | undefined;
            const tick = () => {
              const request = db.transaction('offline-reviews').objectStore('offline-reviews').count();
              request.onerror = () => reject(request.error);
              request.onsuccess = () => {
                const now = performance.timeOrigin + performance.now();
                const left = request.result;
                if (left < n && firstBatch === undefined) firstBatch = now;
                if (left === 0) {
                  db.close();
                  resolve({ firstBatch, empty: now, left, statuses: {} });
                } else if (now > deadline) {
                  const all = db.transaction('offline-reviews').objectStore('offline-reviews').getAll();
                  all.onsuccess = () => {
                    const statuses: Record<string, number> = {};
                    for (const r of all.result as Array<{ status: string; error?: string }>) {
                      const key = r.error ? `${r.status}: ${r.error}` : r.status;
                      statuses[key] = (statuses[key] ?? 0) + 1;
                    }
                    db.close();
                    resolve({ firstBatch, left, statuses });
                  };
                } else {
                  setTimeout(tick, 5);
                }
              };
            };
            tick();
          };
        }),
      { n, limitMs, dbName: DB_NAME },
    );
    let firstPost: number | undefined;
    let posts = 0;
    let batches = 0;
    context.on('request', (request) => {
      if (request.method() !== 'POST' || !request.url().includes('/reviews')) return;
      if (new URL(request.url()).pathname === REVIEW_BATCH_PATH) batches++;
      else posts++;
      firstPost ??= performance.timeOrigin + performance.now();
    });
    await context.setOffline(false);
    const online = performance.timeOrigin + performance.now();
    const result = await withTimeout(watcher, limitMs + 10_000, `drain ${n}`);
    if (result.empty === undefined) {
      const onServer = (await reviewsOf(server.url, 1)).length - before.length;
      throw new Error(
        `outbox still holds ${result.left} of ${n} after ${limitMs / 1000} s (${JSON.stringify(result.statuses)}); server has ${onServer} new`,
      );
    }
    const seconds = (result.empty - online) / 1000;

    const after = await reviewsOf(server.url, 1);
    const wanted = new Set(clientIds);
    const matches = after.filter((r) => r.client_id && wanted.has(r.client_id));
    const distinct = new Set(matches.map((r) => r.client_id)).size;
    const hasClientIds = after.some((r) => r.client_id);
    // A server that does not echo client_id: fall back to the count of new reviews.
    const onServer = hasClientIds ? matches.length : after.length - before.length;
    return {
      n,
      seconds,
      itemsPerSecond: n / seconds,
      firstPostMs: firstPost !== undefined ? firstPost - online : undefined,
      firstBatchMs: result.firstBatch !== undefined ? result.firstBatch - online : undefined,
      posts,
      batches,
      onServer,
      duplicates: hasClientIds ? matches.length - distinct : Math.max(0, onServer - n),
      missing: hasClientIds ? n - distinct : Math.max(0, n - onServer),
    };
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
  }
}

async function waitForStore(page: Page): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await idbCount(page, 'offline-reviews')) < 0) {
    if (Date.now() > deadline) throw new Error('the app never created its IndexedDB database');
    await page.waitForTimeout(100);
  }
}

/** Puts N reviews straight into the outbox, in one transaction, in the format Outbox.addReview writes. */
async function queueReviews(page: Page, n: number): Promise<string[]> {
  const api = new URL(page.url()).origin;
  const records = Array.from({ length: n }, (_, i) =>
    reviewCreate({
      api,
      restaurant_id: 1,
      name: `Bench ${i + 1}`,
      rating: (i % 5) + 1,
      comments: `Queued offline by the bench, review ${i + 1} of ${n}. The food was fine and the service quick.`,
    }),
  );
  await addRecords(page, 'offline-reviews', records);
  return records.map((r) => r.client_id);
}

async function reviewsOf(url: string, restaurantId: number): Promise<Array<{ id: number; client_id?: string }>> {
  const response = await fetch(`${url}/reviews/?restaurant_id=${restaurantId}`);
  if (!response.ok) throw new Error(`GET /reviews/?restaurant_id=${restaurantId}: ${response.status}`);
  return (await response.json()) as Array<{ id: number; client_id?: string }>;
}
