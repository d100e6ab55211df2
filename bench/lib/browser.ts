/**
 * Playwright with Debian's Chromium, set up the way TOOLCHAIN.md and playwright.config.ts say:
 * the same flags, service workers allowed, one browser per measurement (closed by its scope).
 */
import { type Browser, type BrowserContext, type Page, chromium } from '@playwright/test';
import { waitForOfflineReady as e2eWaitForOfflineReady } from '../../e2e/fixtures.ts';
import { chromiumFlags } from '../../playwright.config.ts';
import { DB_NAME, type StoreName } from '../../src/shared/db-schema.ts';
import type { Scope } from './scope.ts';

export const CHROME = process.env['CHROME_BIN'] ?? '/usr/bin/chromium';

/** The same flags as the e2e suite: one list, in playwright.config.ts. */
export const CHROMIUM_FLAGS = chromiumFlags;

export async function launchBrowser(scope: Scope): Promise<Browser> {
  scope.check();
  const browser = await chromium.launch({
    executablePath: CHROME,
    args: CHROMIUM_FLAGS,
    headless: true,
    // Playwright's own Ctrl-C handler exits the process at once; the bench's scopes close the
    // browser instead, and the runner still writes the figures it has.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  scope.defer('browser', () => browser.close());
  return browser;
}

export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
  // tsx compiles with esbuild's keepNames: a named inner function of a callback passed to
  // page.evaluate/addInitScript becomes `__name(fn, "fn")`, which does not exist in the page.
  // Without this shim such a callback throws, and inside an event handler it just hangs.
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  return context;
}

/** Worker in control and ngsw's app files all cached: only then does an offline reload work. */
export const waitForOfflineReady: (page: Page) => Promise<void> = e2eWaitForOfflineReady;

/** Link to a restaurant inside the list: what "the list rendered" means everywhere in the bench. */
export const CARD_SELECTOR = 'main a[href^="/restaurant/"]';

/**
 * Records, in every document of the context, when the list first shows 1 and `many` restaurant
 * links (performance.now(), i.e. ms since navigation start), from a MutationObserver: the moment
 * the DOM has them, before paint. `firstFrame*` adds the next animation frame, close to paint.
 */
export async function installListMarker(context: BrowserContext, many = 10): Promise<void> {
  await context.addInitScript(
    ({ selector, many }) => {
      const marks: Record<string, number> = {};
      (window as unknown as { __benchMarks: Record<string, number> }).__benchMarks = marks;
      const mark = (name: string) => {
        if (marks[name] !== undefined) return;
        marks[name] = performance.now();
        requestAnimationFrame(() => (marks[`${name}Frame`] = performance.now()));
      };
      const check = () => {
        if (marks['first'] === undefined && document.querySelector(selector)) mark('first');
        if (marks['first'] !== undefined && marks['many'] === undefined) {
          if (document.querySelectorAll(selector).length >= many) {
            mark('many');
            observer.disconnect();
          }
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { childList: true, subtree: true });
    },
    { selector: CARD_SELECTOR, many },
  );
}

export interface ListMarks {
  first?: number;
  firstFrame?: number;
  many?: number;
  manyFrame?: number;
}

export async function waitForMarks(page: Page, key: keyof ListMarks, timeoutMs = 20_000): Promise<ListMarks> {
  await page.waitForFunction(
    (key) => (window as unknown as { __benchMarks?: Record<string, number> }).__benchMarks?.[key] !== undefined,
    key,
    { timeout: timeoutMs, polling: 50 },
  );
  // Give the frame mark a moment to land too.
  await page.waitForTimeout(40);
  return page.evaluate(() => ({ ...(window as unknown as { __benchMarks: Record<string, number> }).__benchMarks }));
}

export type { StoreName } from '../../src/shared/db-schema.ts';

/**
 * Counts a store of the app's database. Never creates the database: opening one that does not
 * exist would make it empty at version 1, and the app's own upgrade would then never run.
 */
export function idbCount(page: Page, store: StoreName): Promise<number> {
  return page.evaluate(async ({ name, dbName }) => {
    if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return -1;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(dbName);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(name)) {
          db.close();
          resolve(-1);
          return;
        }
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => {
          db.close();
          resolve(request.result);
        };
        request.onerror = () => {
          db.close();
          reject(request.error);
        };
      };
    });
  }, { name: store, dbName: DB_NAME });
}

export async function waitForIdbCount(page: Page, store: StoreName, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (Date.now() < deadline) {
    count = await idbCount(page, store);
    if (count >= atLeast) return count;
    await page.waitForTimeout(100);
  }
  throw new Error(`IndexedDB store ${store} has ${count} records, expected ≥ ${atLeast} within ${timeoutMs / 1000} s`);
}
