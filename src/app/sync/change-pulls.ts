import { Injectable, inject } from '@angular/core';
import { HttpError, NetworkError } from '../../shared/api-client';
import { adoptBaseline, pullChanges, readCursor } from '../../shared/change-pull';
import { PULL_LOCK, REPLAY_LOCK } from '../../shared/sync-protocol';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { oneAtATime } from '../core/one-at-a-time';
import { ApiTarget } from './api-target';
import { SyncEvents } from './sync-events';

/**
 * What a pull came to, for the live connection and the reconnect refresh. 'no-cursor': this
 * device has no cursor yet, so nothing was pulled (the live connection brings the first one).
 */
export type PullResult = 'pulled' | 'no-cursor' | 'no-feed' | 'failed';

const PULL_TIMEOUT_MS = 15_000;
/**
 * How long a pull waits for a running replay (of this device's outbox) to end. While hundreds of
 * queued reviews drain, every settled batch brings a live notice, and a pull then would fetch and
 * store again mostly what the replay is storing itself, competing with it for IndexedDB: one pull
 * after the drain catches up on everything. Bounded, so a slow replay never holds the views back long.
 */
const REPLAY_WAIT_MS = 5_000;

/**
 * This page's pulls of the change feed (src/shared/change-pull.ts): one at a time here, and one
 * at a time across tabs (a Web Lock), so a notice every tab hears costs one pull. A server without
 * a feed (the original) is detected once per page and not asked again; the views then read in full.
 */
@Injectable({ providedIn: 'root' })
export class ChangePulls {
  private readonly database = inject(Database);
  private readonly api = inject(Api);
  private readonly target = inject(ApiTarget);
  private readonly events = inject(SyncEvents);
  /** Whether each API asked in this page has a change feed (the original server has none). */
  private readonly feeds = new Map<string, boolean>();

  /**
   * Whether this page's API has a change feed, asked once per page (a one-record page); undefined
   * when the server could not be asked (offline): the live connection will find out.
   */
  async hasFeed(): Promise<boolean | undefined> {
    const api = await this.target.base();
    const known = this.feeds.get(api);
    if (known !== undefined) return known;
    try {
      const page = await this.api.at(api).changesAfter(0, { limit: 1, timeoutMs: PULL_TIMEOUT_MS });
      this.feeds.set(api, page !== undefined);
      return page !== undefined;
    } catch (error) {
      if (error instanceof NetworkError || error instanceof HttpError) return undefined;
      throw error;
    }
  }

  /** Pulls now; a request while a pull runs gets one more pull right after it (if that one pulled). */
  readonly pull = oneAtATime(
    () => this.pullOnce(),
    (result) => result === 'pulled',
  );

  /**
   * A live notice said the server has something after `cursor`: pull, unless this device has it
   * already. A device with no cursor takes this one as its first, and every tab's views read the
   * network again, so that what they cache is at least as new as it.
   */
  async catchUp(api: string, cursor: number): Promise<PullResult> {
    const base = await this.target.base();
    if (base !== api) return 'pulled';
    const db = await this.database.get();
    const held = await readCursor(db, api);
    if (held === undefined) {
      if (await adoptBaseline(db, api, cursor)) this.events.publish({ type: 'reconnected' });
      return 'pulled';
    }
    return held >= cursor ? 'pulled' : this.pull();
  }

  private async pullOnce(): Promise<PullResult> {
    const api = await this.target.base();
    if (this.feeds.get(api) === false) return 'no-feed';
    const db = await this.database.get();
    const run = async (): Promise<PullResult> => {
      try {
        const outcome = await pullChanges(db, this.api.at(api), api, { timeoutMs: PULL_TIMEOUT_MS });
        if (outcome.kind === 'no-feed') {
          this.feeds.set(api, false);
          return 'no-feed';
        }
        if (outcome.kind === 'no-cursor') return 'no-cursor';
        if (outcome.kind === 'pulled' && outcome.scope) this.events.publish({ type: 'changed', ...outcome.scope });
        return 'pulled';
      } catch (error) {
        // Offline or a failing server: the cache stands, and the next reconnect pulls again.
        if (error instanceof NetworkError || error instanceof HttpError) return 'failed';
        throw error;
      }
    };
    const locks = navigator.locks as LockManager | undefined;
    if (!locks) return run();
    // Granted at once when no replay runs; given up after REPLAY_WAIT_MS.
    const signal = AbortSignal.timeout(REPLAY_WAIT_MS);
    await locks.request(REPLAY_LOCK, { mode: 'shared', signal }, () => undefined).catch(() => undefined);
    return (await locks.request(PULL_LOCK, run)) as PullResult;
  }
}
