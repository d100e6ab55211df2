/**
 * The state of one replay, shared by the per-kind replayers: where to send (`apiFor`), what was
 * delivered or refused so far, the first transient failure, and the throttled change messages.
 */
import type { ApiClient } from './api-client';
import { HttpError } from './api-client';
import { DATA_API_META_KEY } from './app-config';
import type { AppDb } from './db-schema';
import { type OutboxRecord, RECORD_FORMAT, type UnreadableRecord, describeRecord } from './outbox-records';
import { type ChangeScope, type SyncMessage, mergeScopes } from './sync-protocol';

export interface ReplayOutcome {
  reviewsSent: number;
  /** Edits and deletions of the person's own reviews. */
  editsSent: number;
  favoritesSent: number;
  failed: number;
  failures: string[];
  /** Records still waiting because the server could not be reached or asked us to wait. */
  remaining: number;
  /** Records left alone because this context may not connect to their API (`canReach`). */
  unreachable: number;
  /** Those records' APIs: what a page hands to the worker (app/sync/delivery.ts). */
  unreachableApis: string[];
  retryAfterMs?: number;
}

export interface ReplayRunOptions {
  db: AppDb;
  /** The client for a record's API (`record.api`): every request for a record goes there. */
  apiFor: (baseUrl: string) => ApiClient;
  /**
   * Whether this context may connect to that API at all (a page's CSP names only the API it is
   * set to now). Records it may not reach are left waiting, untouched, and counted as `unreachable`.
   */
  canReach?: (baseUrl: string) => boolean;
  timeoutMs?: number;
  concurrency?: number;
  notify?: (message: SyncMessage) => void;
  now?: () => number;
}

export const RETRY_AFTER_KEY = 'retryAfterUntil';
const CHANGED_THROTTLE_MS = 250;

export class ReplayRun {
  readonly db: AppDb;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly now: () => number;
  readonly outcome: ReplayOutcome = {
    reviewsSent: 0,
    editsSent: 0,
    favoritesSent: 0,
    failed: 0,
    failures: [],
    remaining: 0,
    unreachable: 0,
    unreachableApis: [],
  };
  /**
   * Transient failures by API. Once an API failed, nothing new is sent to it in this run; the
   * others go on, so an API that is down (or gone) does not hold back writes for another.
   */
  private readonly held = new Map<string, unknown>();
  private readonly clients = new Map<string, ApiClient>();
  private readonly countedUnreachable = new Set<string>();
  /** The API the cached server copies belong to; answers from another one are not cached. */
  private dataApi = '';
  private lastChanged = 0;
  private unsent?: ChangeScope;

  constructor(private readonly options: ReplayRunOptions) {
    this.db = options.db;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.concurrency = options.concurrency ?? 6;
    this.now = options.now ?? Date.now;
  }

  /** Reads which API the cached server copies came from (the page's runtime config writes it). */
  async start(): Promise<void> {
    const dataApi = (await this.db.get('meta', DATA_API_META_KEY))?.value;
    this.dataApi = typeof dataApi === 'string' ? dataApi : globalThis.location.origin;
  }

  /** The first transient failure of the run, if any (the reason a sync event is rejected). */
  get transient(): unknown {
    return this.held.values().next().value;
  }

  /** Whether a server copy from this record's API belongs in the cache (the app shows that API). */
  caches(record: { api: string }): boolean {
    return record.api === this.dataApi;
  }

  /** Nothing more goes to this record's API in this run: it failed transiently. */
  isHeld(record: { api: string }): boolean {
    return this.held.has(record.api);
  }

  /** Whether this context may send this record; one it may not is counted once, and left alone. */
  reachable(record: { api: string }, key: string): boolean {
    if (this.options.canReach?.(record.api) ?? true) return true;
    if (!this.countedUnreachable.has(key)) this.outcome.unreachable++;
    if (!this.outcome.unreachableApis.includes(record.api)) this.outcome.unreachableApis.push(record.api);
    this.countedUnreachable.add(key);
    return false;
  }

  /** The API a record belongs to; one client per API for the whole run. */
  api(record: { api: string }): ApiClient {
    let client = this.clients.get(record.api);
    if (!client) this.clients.set(record.api, (client = this.options.apiFor(record.api)));
    return client;
  }

  /** A transient failure (network, 5xx, 429): stop sending to that API, keep everything, honour Retry-After. */
  holdOn(error: unknown, record: { api: string }): void {
    if (!this.held.has(record.api)) this.held.set(record.api, error);
    const retryAfterMs = error instanceof HttpError ? error.retryAfterMs : undefined;
    if (retryAfterMs) {
      this.outcome.retryAfterMs = Math.max(this.outcome.retryAfterMs ?? 0, retryAfterMs);
      void this.db.put('meta', { key: RETRY_AFTER_KEY, value: this.now() + retryAfterMs });
    }
  }

  /** A record the server refused for good (or that cannot be sent): counted, told at once. */
  refused(record: OutboxRecord, message: string, scope: ChangeScope): void {
    this.outcome.failed++;
    this.outcome.failures.push(`${describeRecord(record)}: ${message}`);
    this.changed(scope, true);
  }

  /**
   * A record this code cannot read (no known kind or format): set aside as "Not sent", with the
   * reason, where the person sees it. Never sent, so never in a retry loop.
   */
  async setAside(store: 'offline-favorites' | 'offline-reviews', key: number, found: unknown): Promise<void> {
    const raw = found as { api?: unknown; restaurant_id?: unknown };
    const record: UnreadableRecord = {
      kind: 'unreadable',
      v: RECORD_FORMAT,
      api: typeof raw.api === 'string' ? raw.api : '',
      ...(typeof raw.restaurant_id === 'number' ? { restaurant_id: raw.restaurant_id } : {}),
      status: 'failed',
      error: 'This change was saved in a format this version of the app cannot send.',
      original: found,
    };
    const tx = this.db.transaction(['offline-favorites', 'offline-reviews'], 'readwrite');
    if (store === 'offline-reviews') {
      await tx.objectStore('offline-reviews').put({ ...record, local_id: key });
    } else {
      await tx.objectStore('offline-favorites').delete(key);
      await tx.objectStore('offline-reviews').add(record as UnreadableRecord & { local_id: number });
    }
    await tx.done;
    this.refused(record, record.error, { stores: ['offline-favorites', 'offline-reviews'] });
  }

  /**
   * Tells the views what changed, at most every 250 ms while a large outbox drains; what is held
   * back meanwhile is added up and goes out with the next message or at `flush`.
   */
  changed(scope: ChangeScope, force = false): void {
    this.unsent = mergeScopes(this.unsent, scope);
    const now = this.now();
    if (!force && now - this.lastChanged < CHANGED_THROTTLE_MS) return;
    this.lastChanged = now;
    this.flush();
  }

  notify(message: SyncMessage): void {
    this.options.notify?.(message);
  }

  /** Sends what `changed` held back (at the end of a run). */
  flush(): void {
    if (!this.unsent) return;
    const scope = this.unsent;
    this.unsent = undefined;
    this.notify({ type: 'changed', ...scope });
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
