import { DestroyRef, Injectable, inject } from '@angular/core';
import { QUICK_RETRIES_MS, RetryLaterError, countPending, replayOutboxPatiently } from '../../shared/replay';
import { SYNC_TAGS, replayRequest } from '../../shared/sync-protocol';
import { Database } from '../core/database';
import { oneAtATime } from '../core/one-at-a-time';
import { ApiTarget } from './api-target';
import { Connectivity } from './connectivity';
import { OutboxStatus } from './outbox-status';
import { SyncEvents } from './sync-events';

/** While the app is open, a replay is also tried this often: it bridges browser back-off. */
const PERIODIC_REPLAY_MS = 30_000;

interface SyncCapableRegistration extends ServiceWorkerRegistration {
  sync: { register(tag: string): Promise<void> };
}

/**
 * The one place that decides who delivers the outbox.
 *
 * Where Background Sync exists and the worker controls the page, the worker delivers (so a closed
 * tab still sends). Elsewhere the page replays the same outbox with the same code: at once, on
 * `online`, at start, and periodically while open. A Web Lock inside `replayOutbox` keeps the two
 * from ever running together.
 */
@Injectable({ providedIn: 'root' })
export class Delivery {
  private readonly database = inject(Database);
  private readonly target = inject(ApiTarget);
  private readonly events = inject(SyncEvents);
  private readonly connectivity = inject(Connectivity);
  private readonly status = inject(OutboxStatus);

  private retryTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    const onOnline = () => void this.resume();
    addEventListener('online', onOnline);
    const timer = setInterval(() => {
      if (this.status.pendingCount() && this.connectivity.online()) void this.replayHere();
    }, PERIODIC_REPLAY_MS);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', onOnline);
      clearInterval(timer);
      clearTimeout(this.retryTimer);
    });
  }

  /** Background Sync if we have it, else the page sends itself. */
  async deliver(part: 'favorites' | 'reviews'): Promise<void> {
    if (!(await this.registerSync(part === 'favorites' ? SYNC_TAGS.favorites : SYNC_TAGS.reviews))) await this.replayHere();
  }

  /** At app start: whatever a previous visit left queued is sent again. */
  async start(): Promise<void> {
    await this.status.refresh();
    await this.resume();
  }

  /** Registers the tags again for what is queued (at start, on `online`), or replays here. */
  async resume(): Promise<void> {
    const { favorites, reviews } = await countPending(await this.database.get());
    if (favorites) await this.deliver('favorites');
    if (reviews) await this.deliver('reviews');
  }

  /**
   * One replay at a time from this tab; a request during a replay runs one more right after it,
   * unless that replay stopped on a transient failure (the next one waits for its cue).
   */
  readonly replayHere = oneAtATime(
    () => this.replayOnce(),
    (delivered) => delivered,
  );

  private async registerSync(tag: string): Promise<boolean> {
    // Feature detection as the spec suggests; a worker must also control this page to hear the tag.
    if (!('SyncManager' in window) || !navigator.serviceWorker?.controller) return false;
    const registration = (await navigator.serviceWorker.ready) as Partial<SyncCapableRegistration>;
    if (!registration.sync) return false;
    try {
      await registration.sync.register(tag);
      return true;
    } catch {
      // Denied (e.g. by a permission policy): the page sends instead.
      return false;
    }
  }

  /** Returns whether the replay ended without a transient failure. */
  private async replayOnce(): Promise<boolean> {
    try {
      const db = await this.database.get();
      // Before anything is sent: which API this page may reach depends on the config.
      await this.target.base();
      const outcome = await replayOutboxPatiently({
        db,
        // Offline, a retry a second later fails the same way; `online` starts the next one.
        retriesMs: this.connectivity.online() ? QUICK_RETRIES_MS : [],
        apiFor: this.target.apiFor,
        canReach: this.target.canReach,
        notify: (message) => this.events.publish(message),
      });
      if (outcome.unreachable) this.handToWorker(outcome.unreachableApis);
      return true;
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error;
      if (error.outcome.unreachable) this.handToWorker(error.outcome.unreachableApis);
      // Kept for later: honour the server's Retry-After, else the periodic replay picks it up.
      if (error.outcome.retryAfterMs) this.scheduleRetry(error.outcome.retryAfterMs);
      return false;
    }
  }

  /**
   * Writes made for an API this page's CSP does not name (the app was set to another API since)
   * go through the service worker, which may reach any API. Without one they wait, and the sync
   * status says where they are going.
   */
  private handToWorker(apis: readonly string[]): void {
    navigator.serviceWorker?.controller?.postMessage(replayRequest(apis));
  }

  private scheduleRetry(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.replayHere(), delayMs + 50);
  }
}
