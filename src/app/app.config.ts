import {
  ApplicationRef,
  type ApplicationConfig,
  inject,
  isDevMode,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { routes } from './app.routes';
import { RuntimeConfig } from './core/runtime-config';
import { Delivery } from './sync/delivery';
import { LiveUpdates } from './sync/live-updates';
import { Reconnect } from './sync/reconnect';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'enabled' })),
    // custom-sw.js runs Angular's ngsw and adds Background Sync (src/worker/custom-sw.ts).
    provideServiceWorker('custom-sw.js', {
      enabled: !isDevMode(),
      registrationStrategy: 'registerWhenStable:3000',
    }),
    // Whatever a previous visit left in the outbox goes out again; never blocks the first paint.
    provideAppInitializer(() => {
      // The API address is asked for at once, and waited for by API requests only.
      void inject(RuntimeConfig).apiBase();
      void inject(Delivery).start();
      // Views refresh when connectivity returns; the live connection waits for the first paint.
      inject(Reconnect);
      const live = inject(LiveUpdates);
      void inject(ApplicationRef)
        .whenStable()
        .then(() => live.start());
    }),
  ],
};
