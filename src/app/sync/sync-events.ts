import { DestroyRef, Injectable, inject } from '@angular/core';
import { Observable, Subject, filter, merge, share } from 'rxjs';
import type { StoreName } from '../../shared/db-schema';
import { SYNC_CHANNEL, type SyncMessage, concerns } from '../../shared/sync-protocol';

/**
 * The outbox's news, from this tab and from every other context (tabs, the service worker).
 * BroadcastChannel does not echo to its sender, so this tab's own news goes through a Subject too.
 */
@Injectable({ providedIn: 'root' })
export class SyncEvents {
  private readonly local = new Subject<SyncMessage>();
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(SYNC_CHANNEL) : undefined;

  readonly messages$: Observable<SyncMessage> = merge(
    this.local,
    new Observable<SyncMessage>((subscriber) => {
      const listener = (event: MessageEvent<SyncMessage>) => subscriber.next(event.data);
      this.channel?.addEventListener('message', listener);
      return () => this.channel?.removeEventListener('message', listener);
    }),
  ).pipe(share());

  constructor() {
    inject(DestroyRef).onDestroy(() => this.channel?.close());
  }

  /** The change messages that concern a view reading `stores` (for one restaurant, if given). */
  changes(interest: { stores: readonly StoreName[]; restaurantId?: number }): Observable<SyncMessage> {
    return this.messages$.pipe(filter((message) => concerns(message, interest)));
  }

  /** Tells this tab and every other one. */
  publish(message: SyncMessage): void {
    this.local.next(message);
    this.channel?.postMessage(message);
  }
}
