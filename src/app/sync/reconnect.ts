import { DestroyRef, Injectable, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, Subject, asyncScheduler, share, throttleTime } from 'rxjs';
import { retrySoon } from '../core/cache-first';
import { ChangePulls } from './change-pulls';
import { SyncEvents } from './sync-events';

/** A tab hidden at least this long has been away "a while": it refreshes when it is shown again. */
export const HIDDEN_REFRESH_MS = 10_000;
/** Signals that come together (`online`, then the live connection reopening) refresh once, then once more at the end. */
const REFRESH_GAP_MS = 500;

/**
 * When connectivity returns, every open view refreshes from the network, and the change feed is
 * pulled: on `online`, on a replay that delivered something, when the live connection reopens
 * (told by the tab holding it), and when a tab is shown after being hidden a while.
 *
 * The views take `refreshes$` as their cache-first source's `refreshes` (core/cache-first.ts).
 */
@Injectable({ providedIn: 'root' })
export class Reconnect {
  private readonly pulls = inject(ChangePulls);
  private readonly triggers = new Subject<void>();
  /** Emits when the open views should ask the network again. */
  readonly refreshes$: Observable<void> = this.triggers.pipe(
    throttleTime(REFRESH_GAP_MS, asyncScheduler, { leading: true, trailing: true }),
    share(),
  );

  constructor() {
    const trigger = () => this.triggers.next();
    let hiddenAt: number | undefined = document.visibilityState === 'hidden' ? Date.now() : undefined;
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        hiddenAt = Date.now();
        return;
      }
      const away = hiddenAt === undefined ? 0 : Date.now() - hiddenAt;
      hiddenAt = undefined;
      if (away >= HIDDEN_REFRESH_MS) trigger();
    };
    // A read that fails just after `online` is tried again by its view (cache-first's retrySoon).
    const onOnline = () => trigger();
    addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisibility);
    });

    inject(SyncEvents)
      .messages$.pipe(takeUntilDestroyed())
      .subscribe((message) => {
        if (message.type === 'reconnected') trigger();
        else if (message.type === 'replayed' && message.reviewsSent + message.editsSent + message.favoritesSent > 0) trigger();
      });
    // The feed is pulled once per refresh, whatever views are open.
    this.refreshes$.pipe(takeUntilDestroyed()).subscribe(() => void retrySoon(() => this.pulls.pull(), (result) => result === 'failed'));
  }
}
