import { Injectable, inject } from '@angular/core';
import { HttpError, NetworkError } from '../../shared/api-client';
import { pullChanges, readCursor } from '../../shared/change-pull';
import { PULL_LOCK } from '../../shared/sync-protocol';
import { Api } from '../core/api';
import { Database } from '../core/database';
import { ApiTarget } from './api-target';
import { SyncEvents } from './sync-events';

/** What a pull came to, for the live connection and the reconnect refresh. */
export type PullResult = 'pulled' | 'no-feed' | 'failed';

const PULL_TIMEOUT_MS = 15_000;

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
  /** APIs found to have no change feed, in this page. */
  private readonly noFeed = new Set<string>();
  private running?: Promise<PullResult>;
  private again = false;

  /** Whether the current API was found to have no feed (undefined: not asked yet). */
  feedMissing(api: string): boolean {
    return this.noFeed.has(api);
  }

  /** Pulls now; a request while a pull runs gets one more pull right after it. */
  pull(): Promise<PullResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pullRepeatedly().finally(() => (this.running = undefined));
    return this.running;
  }

  /** A live notice said the server has something after `cursor`: pull, unless this device has it already. */
  async catchUp(api: string, cursor: number): Promise<PullResult> {
    const base = await this.target.base();
    if (base !== api) return 'pulled';
    const held = await readCursor(await this.database.get(), api);
    return held !== undefined && held >= cursor ? 'pulled' : this.pull();
  }

  private async pullRepeatedly(): Promise<PullResult> {
    let result: PullResult;
    do {
      this.again = false;
      result = await this.pullOnce();
    } while (this.again && result === 'pulled');
    return result;
  }

  private async pullOnce(): Promise<PullResult> {
    const api = await this.target.base();
    if (this.noFeed.has(api)) return 'no-feed';
    const db = await this.database.get();
    const run = async (): Promise<PullResult> => {
      try {
        const outcome = await pullChanges(db, this.api.at(api), api, { timeoutMs: PULL_TIMEOUT_MS });
        if (outcome.kind === 'no-feed') {
          this.noFeed.add(api);
          return 'no-feed';
        }
        if (outcome.kind === 'pulled' && outcome.scope) this.events.publish({ type: 'changed', ...outcome.scope });
        return 'pulled';
      } catch (error) {
        // Offline or a failing server: the cache stands, and the next reconnect pulls again.
        if (error instanceof NetworkError || error instanceof HttpError) return 'failed';
        throw error;
      }
    };
    const locks = navigator.locks as LockManager | undefined;
    return locks ? ((await locks.request(PULL_LOCK, run)) as PullResult) : run();
  }
}
