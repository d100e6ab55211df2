import { Injectable, Injector, effect, inject } from '@angular/core';
import { OutboxStatus } from '../sync/outbox-status';

interface BadgingNavigator {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

/** What the installed app's icon shows: changes still waiting plus changes the server refused. */
export function badgeCount(pending: number, failed: number): number {
  return Math.max(0, pending) + Math.max(0, failed);
}

/**
 * The installed app's badge (Badging API) follows the outbox: the number of changes waiting or
 * not sent, cleared at zero. Where the API is missing, or refuses (not installed, no permission),
 * nothing happens: the badge is a convenience, the header's status says the same.
 */
@Injectable({ providedIn: 'root' })
export class AppBadge {
  private readonly outbox = inject(OutboxStatus);
  private readonly injector = inject(Injector);

  start(): void {
    const badging = navigator as Navigator & BadgingNavigator;
    if (typeof badging.setAppBadge !== 'function') return;
    effect(
      () => {
        const count = badgeCount(this.outbox.pendingCount(), this.outbox.failedCount());
        const done = count > 0 ? badging.setAppBadge!(count) : (badging.clearAppBadge?.() ?? badging.setAppBadge!(0));
        done.catch(() => undefined);
      },
      { injector: this.injector },
    );
  }
}
