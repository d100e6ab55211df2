/**
 * Repeat visit with no network: the worker serves the app shell, IndexedDB the restaurants.
 * Time from navigation start to the 10 restaurant links in the DOM (MutationObserver, in the page).
 */
import { CARD_SELECTOR, idbCount, installListMarker, launchBrowser, newContext, waitForIdbCount, waitForMarks, waitForOfflineReady } from './lib/browser.ts';
import type { Page } from '@playwright/test';
import { type Figure, figure, median } from './lib/figures.ts';
import { type Scope, stage } from './lib/scope.ts';

export interface OfflineRepeatDetails {
  restaurantsInIdb: number;
  runs: Array<{ domMs: number; frameMs?: number; controlledBy?: string; timing?: NavigationBreakdown }>;
}

export async function measureOfflineRepeat(
  scope: Scope,
  baseUrl: string,
  { visits = 10, log = console.log }: { visits?: number; log?: (line: string) => void } = {},
): Promise<{ figures: Figure[]; details: OfflineRepeatDetails }> {
  const browser = await launchBrowser(scope);
  const context = await newContext(browser, baseUrl);
  await installListMarker(context, 10);
  const page = await context.newPage();
  await stage('first visit', page.goto('/'));
  await stage('waiting for the worker and ngsw caches', waitForOfflineReady(page));
  // The first visit also stores the list; without it an offline visit has nothing to show.
  const restaurantsInIdb = await stage('waiting for 10 restaurants in IndexedDB', waitForIdbCount(page, 'restaurants', 10));
  await stage('waiting for 10 restaurant links online', page.locator(CARD_SELECTOR).nth(9).waitFor({ timeout: 20_000 }));

  await context.setOffline(true);
  const runs: OfflineRepeatDetails['runs'] = [];
  for (let i = 0; i < visits; i++) {
    scope.check();
    await stage(`offline visit ${i + 1}`, page.goto('/', { waitUntil: 'commit' }));
    const marks = await stage(`offline visit ${i + 1}: waiting for 10 restaurant links`, waitForMarks(page, 'many'));
    const controlledBy = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL.split('/').pop());
    runs.push({ domMs: marks.many!, frameMs: marks.manyFrame, controlledBy, timing: await navigationBreakdown(page) });
  }
  if (runs.some((r) => r.controlledBy !== 'custom-sw.js')) throw new Error('a visit was not controlled by custom-sw.js');
  // Still offline: the list really came from the device.
  if ((await idbCount(page, 'restaurants')) < 10) throw new Error('restaurants vanished from IndexedDB');
  await context.setOffline(false);
  log(`  offline repeat: ${runs.map((r) => Math.round(r.domMs)).join(', ')} ms`);
  const med = (key: keyof NavigationBreakdown) => Math.round(median(runs.map((r) => r.timing?.[key] ?? NaN).filter(Number.isFinite)) ?? NaN);
  log(
    `  offline repeat, medians: worker start ${med('workerStart')} ms, HTML from worker ${med('responseEnd')} ms, ` +
      `initial JS loaded ${med('scriptsDone')} ms, DOMContentLoaded ${med('domContentLoaded')} ms, list ${Math.round(median(runs.map((r) => r.domMs)) ?? NaN)} ms`,
  );

  const g = 'offline';
  return {
    figures: [
      figure(g, `Repeat visit offline: navigation → 10 restaurants in DOM (${visits} visits)`, 'ms', runs.map((r) => r.domMs), {
        target: { op: '<', value: 300 },
      }),
      figure(g, 'Repeat visit offline: … → next animation frame', 'ms', runs.map((r) => r.frameMs ?? NaN)),
    ],
    details: { restaurantsInIdb, runs },
  };
}

export interface NavigationBreakdown {
  workerStart: number;
  responseEnd: number;
  domContentLoaded: number;
  /** When the last initial script (from the worker's cache) finished loading. */
  scriptsDone: number;
}

/** Where the time before the list goes: worker start-up, the HTML, the scripts, the app itself. */
function navigationBreakdown(page: Page): Promise<NavigationBreakdown | undefined> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (!nav) return undefined;
    // The initial scripts only: lazy chunks (the map) start after DOMContentLoaded.
    const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (r) => r.name.endsWith('.js') && r.startTime < nav.domContentLoadedEventStart,
    );
    return {
      workerStart: nav.workerStart,
      responseEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      scriptsDone: scripts.length ? Math.max(...scripts.map((r) => r.responseEnd)) : NaN,
    };
  });
}
