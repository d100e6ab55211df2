import { Injectable, inject, signal } from '@angular/core';
import {
  APP_CONFIG_META_KEY,
  APP_CONFIG_PATH,
  type AppConfig,
  DATA_API_META_KEY,
  parseAppConfig,
  resolveApiBase,
} from '../../shared/app-config';
import { isChange } from '../../shared/outbox-records';
import { RETRY_AFTER_KEY } from '../../shared/replay-run';
import { SyncEvents } from '../sync/sync-events';
import { Database } from './database';

/** Meta facts that are not copies of server data, and so survive a change of API. */
const KEPT_META_KEYS = new Set([APP_CONFIG_META_KEY, DATA_API_META_KEY, RETRY_AFTER_KEY]);
const CONFIG_TIMEOUT_MS = 5_000;
const LONGEST_RETRY_MS = 30_000;

/**
 * The page's runtime configuration (`/app-config.json`, written by the server from API_BASE_URL):
 * where the API is. Nothing waits for it but API requests and new outbox records; IndexedDB reads
 * and the first paint do not.
 *
 * Sources, best first: the server (through ngsw's data group, which answers from its cache when
 * the network is slow or gone), then the last value this device saw (IndexedDB `meta`). A server
 * without the document (404: `ng serve`, an older server) means "the API is on this origin".
 */
@Injectable({ providedIn: 'root' })
export class RuntimeConfig {
  private readonly database = inject(Database);
  private readonly events = inject(SyncEvents);
  private resolved?: Promise<string>;
  private readonly current = signal<string | undefined>(undefined);
  /** The absolute API base URL, once known. */
  readonly apiBaseUrl = this.current.asReadonly();

  /** The absolute API base URL (no trailing slash). Asked for once per page, on first use. */
  apiBase(): Promise<string> {
    this.resolved ??= this.load();
    return this.resolved;
  }

  /** Whether this page may connect there: its CSP names its own origin and the configured API. */
  canReach(baseUrl: string): boolean {
    const configured = this.current();
    const origin = new URL(baseUrl).origin;
    return origin === location.origin || (configured !== undefined && origin === new URL(configured).origin);
  }

  private async load(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const config = (await this.fromServer()) ?? (await this.lastKnown());
      if (config) {
        const base = resolveApiBase(config, location.origin);
        await this.adopt(config, base);
        this.current.set(base);
        return base;
      }
      // First visit and the document could not be read: never guess where writes go. Wait.
      await new Promise((resolve) => setTimeout(resolve, Math.min(LONGEST_RETRY_MS, 1000 * 2 ** attempt)));
    }
  }

  private async fromServer(): Promise<AppConfig | undefined> {
    try {
      const response = await fetch(APP_CONFIG_PATH, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
      if (response.status === 404) return { apiBaseUrl: '' };
      return response.ok ? parseAppConfig(await response.json()) : undefined;
    } catch {
      return undefined;
    }
  }

  private async lastKnown(): Promise<AppConfig | undefined> {
    try {
      const db = await this.database.get();
      return parseAppConfig((await db.get('meta', APP_CONFIG_META_KEY))?.value);
    } catch {
      return undefined;
    }
  }

  /**
   * Remembers the config for offline visits, and when the API is not the one the cached server
   * copies came from, drops those copies (restaurants, reviews, cursors) in the same transaction:
   * they are not this API's data. The outbox is never touched; each record keeps its own API.
   */
  private async adopt(config: AppConfig, base: string): Promise<void> {
    const db = await this.database.get();
    // Most visits find what they would write already there: the readwrite transaction over these
    // five stores (which every other transaction on them waits for) is opened only when something
    // changes, and reads again inside, as before. Kept because the write is pointless; it did not
    // measurably move a repeat visit's first card (docs/performance.md).
    const seen = db.transaction('meta');
    const [storedConfig, storedApi] = await Promise.all([seen.store.get(APP_CONFIG_META_KEY), seen.store.get(DATA_API_META_KEY)]);
    if (storedApi?.value === base && parseAppConfig(storedConfig?.value)?.apiBaseUrl === config.apiBaseUrl) return;
    const tx = db.transaction(['meta', 'restaurants', 'reviews', 'own-reviews', 'offline-reviews'], 'readwrite');
    const meta = tx.objectStore('meta');
    const previous = (await meta.get(DATA_API_META_KEY))?.value;
    // Data cached by the previous release came from the app's own origin, its only API.
    const dataApi = typeof previous === 'string' ? previous : location.origin;
    const changed = dataApi !== base;
    if (changed) {
      await tx.objectStore('restaurants').clear();
      await tx.objectStore('reviews').clear();
      for (const key of await meta.getAllKeys()) if (!KEPT_META_KEYS.has(key)) await meta.delete(key);
      // Edit tokens still needed by queued edits or deletions stay; the others were for that API.
      const needed = new Set((await tx.objectStore('offline-reviews').getAll()).filter(isChange).map((r) => r.review_id));
      const own = tx.objectStore('own-reviews');
      for (const id of await own.getAllKeys()) if (!needed.has(id)) await own.delete(id);
    }
    await meta.put({ key: APP_CONFIG_META_KEY, value: config });
    await meta.put({ key: DATA_API_META_KEY, value: base });
    await tx.done;
    if (changed) this.events.publish({ type: 'changed', stores: ['restaurants', 'reviews', 'own-reviews', 'meta'] });
  }
}
