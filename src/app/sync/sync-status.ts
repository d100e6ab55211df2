import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { KEPT_NOTICES_META_KEY, describeReplay, describeSuperseded, isKeptNotice, plural } from '../../shared/sync-protocol';
import { Database } from '../core/database';
import { InPlaceStatus } from '../core/in-place-status';
import { Toaster } from '../core/toaster';
import { Connectivity } from './connectivity';
import { OutboxStatus } from './outbox-status';
import { SyncEvents } from './sync-events';

/**
 * "Offline" and "N changes waiting to sync", in a status region; also turns every replay's
 * result, from this tab or the worker, into a polite toast; a favorite wish that lost to a later
 * one made on another device gets one too ("Changed on another device: …").
 */
@Component({
  selector: 'app-sync-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status', class: 'sync-status', '[class.is-quiet]': '!text()' },
  template: `
    @if (text(); as text) {
      <span class="sync-dot" [class.offline]="!connectivity.online()" aria-hidden="true"></span>
      <span class="sync-text">{{ text }}</span>
    }
  `,
})
export class SyncStatus {
  protected readonly connectivity = inject(Connectivity);
  private readonly outbox = inject(OutboxStatus);

  protected readonly text = computed(() => {
    const parts: string[] = [];
    if (!this.connectivity.online()) parts.push('Offline');
    const pending = this.outbox.pendingCount();
    if (pending) parts.push(`${plural(pending, 'change')} waiting to sync`);
    // Honest about where they go: writes made before the app was set to another API still go
    // to the API they were made for.
    for (const { api, count } of this.outbox.waitingElsewhere()) {
      parts.push(`${plural(count, 'change')} waiting for ${api}, the server ${count === 1 ? 'it was' : 'they were'} made for`);
    }
    const failed = this.outbox.failedCount();
    if (failed) parts.push(`${plural(failed, 'change')} not sent`);
    return parts.join(' · ');
  });

  constructor() {
    const toaster = inject(Toaster);
    void this.showKeptNotices(inject(Database), toaster);
    const inPlace = inject(InPlaceStatus);
    inject(SyncEvents)
      .messages$.pipe(takeUntilDestroyed())
      .subscribe((message) => {
        // Never silent: a wish that lost to a later one on another device says so, naming the place.
        if (message.type === 'favorite-superseded') toaster.show(describeSuperseded(message));
        if (message.type !== 'replayed') return;
        // Where each review shows "Sent" itself, a toast saying so would only cover it.
        const news = inPlace.reviewsShown() ? { ...message, reviewsSent: 0, editsSent: 0 } : message;
        const text = describeReplay(news);
        if (text) toaster.show(text);
      });
  }

  /** What the worker had to say while no tab was open: shown once, by the first tab to read it. */
  private async showKeptNotices(database: Database, toaster: Toaster): Promise<void> {
    const db = await database.get();
    // Usually nothing is kept: a readonly look first, so a start does not take `meta` for
    // writing, which every other transaction on that store (the worker's too) would wait for.
    if ((await db.get('meta', KEPT_NOTICES_META_KEY)) === undefined) return;
    // Read again where it is deleted, so of two tabs starting at once only one shows them, and a
    // notice the worker added since the look is shown too.
    const tx = db.transaction('meta', 'readwrite');
    const kept = (await tx.store.get(KEPT_NOTICES_META_KEY))?.value;
    if (kept !== undefined) await tx.store.delete(KEPT_NOTICES_META_KEY);
    await tx.done;
    for (const notice of Array.isArray(kept) ? kept.filter(isKeptNotice) : []) toaster.show(describeSuperseded(notice));
  }
}
