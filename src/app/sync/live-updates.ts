import { DestroyRef, Injectable, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { readCursor } from '../../shared/change-pull';
import { LIVE_EVENT, type LiveNotice, changeFeedPaths } from '../../shared/change-feed';
import { LIVE_LOCK } from '../../shared/sync-protocol';
import { Database } from '../core/database';
import { ApiTarget } from './api-target';
import { ChangePulls } from './change-pulls';
import { SyncEvents } from './sync-events';

/** After the server refused the stream (503: too many), the first wait; doubled up to the longest. */
const REFUSED_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 5 * 60_000;

/**
 * Live notices from the server (`GET /changes/live`, Server-Sent Events), one connection per
 * browser: the tab that holds a Web Lock keeps the EventSource and relays every notice over the
 * BroadcastChannel; each tab then pulls (ChangePulls: one real pull across tabs). When that tab
 * closes, the next one in line gets the lock and connects again from the stored cursor.
 *
 * - The stream bypasses ngsw (`ngsw-bypass`): a stream through the worker ends when the browser
 *   stops the worker (TOOLCHAIN.md).
 * - A reopened connection means the server is reachable again: every tab refreshes its views.
 * - A server without the feed (the original: 404) gets no stream at all; one that refuses it
 *   (503) is left alone for 30 s, then twice as long each time up to 5 minutes: the reconnect and visibility refreshes
 *   keep the views current meanwhile.
 */
@Injectable({ providedIn: 'root' })
export class LiveUpdates {
  private readonly database = inject(Database);
  private readonly target = inject(ApiTarget);
  private readonly pulls = inject(ChangePulls);
  private readonly events = inject(SyncEvents);
  private source?: EventSource;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private release?: () => void;
  private started = false;
  private refusals = 0;

  constructor() {
    // Every tab pulls on a relayed notice; the pull lock and the cursor make it one pull.
    this.events.messages$.pipe(takeUntilDestroyed()).subscribe((message) => {
      if (message.type === 'live-notice') void this.pulls.catchUp(message.api, message.cursor);
    });
    inject(DestroyRef).onDestroy(() => this.stop());
  }

  /** Joins the election; the tab that wins keeps the connection until it closes. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const locks = navigator.locks as LockManager | undefined;
    // Without Web Locks or EventSource, the reconnect and visibility refreshes keep views current.
    if (!locks || typeof EventSource !== 'function') return;
    void locks.request(LIVE_LOCK, () => new Promise<void>((resolve) => {
      this.release = resolve;
      void this.connect();
    }));
  }

  private async connect(): Promise<void> {
    const api = await this.target.base();
    // A server without the feed (asked once per page) gets no stream. Then catch up from the cursor.
    if ((await this.pulls.hasFeed()) === false || (await this.pulls.pull()) === 'no-feed' || !this.release) return;
    const cursor = (await readCursor(await this.database.get(), api)) ?? 0;
    const url = `${api}${changeFeedPaths.live(cursor)}&ngsw-bypass=1`;
    const source = new EventSource(url);
    this.source = source;
    let failing = false;
    source.addEventListener('open', () => {
      this.refusals = 0;
      // EventSource reconnects by itself after a network error; opening after a failure means
      // the server is back, so every tab refreshes what it shows.
      if (failing) this.events.publish({ type: 'reconnected' });
      failing = false;
    });
    source.addEventListener(LIVE_EVENT, (event) => {
      const notice = JSON.parse((event as MessageEvent<string>).data) as LiveNotice;
      this.events.publish({ type: 'live-notice', api, cursor: notice.cursor });
    });
    source.addEventListener('error', () => {
      failing = true;
      // CONNECTING: the browser retries by itself (the server sends `retry: 2000`). CLOSED: the
      // server answered with something other than a stream (404, 503): it will not retry.
      if (source.readyState === EventSource.CLOSED) void this.refused(source);
    });
  }

  /** The stream was refused: find out whether the feed is gone, else wait longer each time. */
  private async refused(source: EventSource): Promise<void> {
    source.close();
    if (this.source !== source) return;
    this.source = undefined;
    if ((await this.pulls.hasFeed()) === false || !this.release) return;
    const wait = Math.min(LONGEST_WAIT_MS, REFUSED_WAIT_MS * 2 ** this.refusals++);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
    this.release?.();
    this.release = undefined;
  }
}
