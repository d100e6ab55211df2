import { ApplicationRef, type Injector } from '@angular/core';
import { Delivery } from '../sync/delivery';
import { LiveUpdates } from '../sync/live-updates';
import { Reconnect } from '../sync/reconnect';
import { AppBadge } from './app-badge';
import { FocusOnNavigation } from './focus-on-navigation';
import { RuntimeConfig } from './runtime-config';

/**
 * What every page starts but no first paint needs: the API address, the outbox delivery (whatever
 * a previous visit left queued goes out again), the reconnect refresh and the browser's one live
 * connection, the installed app's badge, and focus and scroll on a change of page. app.config.ts loads this module with a dynamic import, so the outbox and
 * replay code stay out of the initial chunk.
 */
export function startInBackground(injector: Injector): void {
  // The API address is asked for at once, and waited for by API requests only.
  void injector.get(RuntimeConfig).apiBase();
  void injector.get(Delivery).start();
  // Views refresh when connectivity returns; the live connection waits until the app is stable,
  // i.e. until the first screen's data is in (cacheFirst's `pendingTasks`).
  injector.get(Reconnect);
  const live = injector.get(LiveUpdates);
  void injector
    .get(ApplicationRef)
    .whenStable()
    .then(() => live.start());
  injector.get(AppBadge).start();
  injector.get(FocusOnNavigation).start();
}
