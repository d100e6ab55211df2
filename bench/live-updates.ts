/**
 * Live updates (issue #10), three figures beside their targets:
 *
 * - latency: a review written by another client (Node's fetch, as a second device would) until
 *   it is in the DOM of a restaurant page open in the browser: the notice over the live
 *   connection, the pull of the change feed, IndexedDB, the view. From just before the POST is
 *   sent (so the figure includes the write itself) to a MutationObserver seeing the text; both
 *   read the same clock (Date.now(), one machine). p95 of ≥ 30 samples, target ≤ 1 s.
 * - connections: 10 tabs of one browser, counted at a proxy in front of the server (open
 *   `/changes/live` answers). Target 1.
 * - outage: the server process is stopped for 60 s (`--quick`: 10 s, and the figure says so),
 *   then started again on the same database and port; right away another client writes new
 *   reviews and deletes one the page shows. Time until the open page shows all of it, and how
 *   many writes it missed (target 0).
 */
import type { Page } from '@playwright/test';
import { FaultProxy } from '../e2e/fault-proxy.ts';
import { launchBrowser, newContext } from './lib/browser.ts';
import { type Figure, failed, figure, messageOf } from './lib/figures.ts';
import { type Scope, sleep } from './lib/scope.ts';
import { type BenchServer, startServer } from './lib/server.ts';

const RESTAURANT = 3;

export interface LiveOptions {
  samples?: number;
  tabs?: number;
  outageS?: number;
  log?: (line: string) => void;
}

interface Written {
  id: number;
  edit_token: string;
}

export async function measureLiveUpdates(
  scope: Scope,
  { samples = 30, tabs = 10, outageS = 60, log = console.log }: LiveOptions = {},
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const browser = await launchBrowser(scope);
  const server = await startServer(scope);
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};

  // ---- Latency: write on the server → the other browser's open page.
  try {
    const context = await newContext(browser, server.url);
    scope.defer('latency context', () => context.close());
    const page = await context.newPage();
    await openAndSettle(page, `/restaurant/${RESTAURANT}`);
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const text = `Live sample ${i} ${Date.now()}`;
      const seen = page.evaluate(waitForText, text);
      const sent = Date.now();
      await postReview(server.url, text);
      latencies.push((await seen) - sent);
    }
    const p95 = percentile(latencies, 95);
    details['latencyMs'] = latencies;
    log(`  latency: p50 ${percentile(latencies, 50)} ms, p95 ${p95} ms, max ${Math.max(...latencies)} ms (${latencies.length} samples)`);
    figures.push(
      figure('live', 'write → another browser\'s open page, p95', 'ms', [p95], {
        target: { op: '<=', value: 1000 },
        note: `${latencies.length} samples; p50 ${percentile(latencies, 50)} ms`,
      }),
    );
    await context.close();
  } catch (error) {
    figures.push(failed('live', "write → another browser's open page, p95", 'ms', error, { op: '<=', value: 1000 }));
  }

  // ---- Connections: 10 tabs, one live connection.
  try {
    const proxy = await FaultProxy.start(server.url);
    scope.defer('proxy', () => proxy.close());
    proxy.inject({ kind: 'pass' }, (req) => (req.url ?? '').startsWith('/changes/live'));
    const context = await newContext(browser, proxy.url);
    scope.defer('tabs context', () => context.close());
    for (let i = 0; i < tabs; i++) await (await context.newPage()).goto(`/restaurant/${RESTAURANT}`);
    await sleep(3000);
    const open = proxy.openNow('/changes/live');
    details['tabs'] = { tabs, open, requests: proxy.matched('GET', '/changes/live') };
    log(`  ${tabs} tabs: ${open} live connection(s) open, ${proxy.matched('GET', '/changes/live')} request(s)`);
    figures.push(figure('live', `${tabs} open tabs: live connections`, '', [open], { target: { op: '=', value: 1 } }));
    await context.close();
    await proxy.close();
  } catch (error) {
    figures.push(failed('live', `${tabs} open tabs: live connections`, '', error, { op: '=', value: 1 }));
  }

  // ---- Outage: stop the server, wait, start it again on the same database and port.
  const outageName = `catch-up after a ${outageS} s outage`;
  try {
    const context = await newContext(browser, server.url);
    scope.defer('outage context', () => context.close());
    const page = await context.newPage();
    await openAndSettle(page, `/restaurant/${RESTAURANT}`);
    const doomed = await postReview(server.url, 'Deleted on the server during the page\'s outage');
    await page.getByText("Deleted on the server during the page's outage").waitFor();
    await server.stop();
    log(`  server stopped for ${outageS} s…`);
    await sleep(outageS * 1000);
    const restarted: BenchServer = await startServer(scope, { dbFile: server.dbFile, port: server.port });
    const back = Date.now();
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      texts.push(`Written right after the restart ${i}`);
      await postReview(restarted.url, texts[i]!);
    }
    await deleteReview(restarted.url, doomed);
    let missing = texts.length + 1;
    const deadline = back + 60_000;
    while (Date.now() < deadline) {
      const shown = await page.evaluate(() => document.body.innerText);
      missing = texts.filter((t) => !shown.includes(t)).length + (shown.includes("Deleted on the server during the page's outage") ? 1 : 0);
      if (!missing) break;
      await sleep(100);
    }
    const seconds = (Date.now() - back) / 1000;
    details['outage'] = { outageS, seconds, missing };
    log(`  after the restart: caught up in ${seconds.toFixed(1)} s, ${missing} write(s) missing`);
    const note = outageS < 60 ? `--quick: a ${outageS} s outage instead of 60 s` : undefined;
    figures.push(figure('live', `${outageName}: time to show every write`, 's', missing ? [] : [seconds], note ? { note } : {}));
    figures.push(figure('live', `${outageName}: writes missed`, '', [missing], { target: { op: '=', value: 0 }, ...(note ? { note } : {}) }));
  } catch (error) {
    figures.push(failed('live', `${outageName}: writes missed`, '', error, { op: '=', value: 0 }));
    log(`  outage: error: ${messageOf(error)}`);
  }
  return { figures, details };
}

/** Opens a page and waits until it has pulled and holds the live connection (its cursor is stored). */
async function openAndSettle(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('[data-review]').first().waitFor();
  await page.waitForFunction(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('restaurant-reviews');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const value = await new Promise<unknown>((resolve) => {
      const request = db.transaction('meta').objectStore('meta').get('changeCursor');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(undefined);
    });
    db.close();
    return value !== undefined;
  });
  // The live connection opens right after the first pull.
  await sleep(1000);
}

/** In the page: resolves with Date.now() once `text` is in the DOM. */
function waitForText(text: string): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (!document.body.innerText.includes(text)) return false;
      observer.disconnect();
      resolve(Date.now());
      return true;
    };
    const observer = new MutationObserver(() => void check());
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    check();
  });
}

async function postReview(base: string, comments: string): Promise<Written> {
  const response = await fetch(`${base}/reviews/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ restaurant_id: RESTAURANT, name: 'Bench', rating: 4, comments }),
  });
  if (response.status !== 201) throw new Error(`POST /reviews/ answered ${response.status}`);
  return (await response.json()) as Written;
}

async function deleteReview(base: string, review: Written): Promise<void> {
  const response = await fetch(`${base}/reviews/${review.id}?edit_token=${encodeURIComponent(review.edit_token)}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /reviews/${review.id} answered ${response.status}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
