import {
  type ApplicationConfig,
  Injector,
  inject,
  isDevMode,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { provideWorkerRegistration } from './core/worker-registration';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // Scrolling to the top of a new page: FocusOnNavigation (the router's in-memory scrolling costs 1.2 KB).
    provideRouter(routes, withComponentInputBinding()),
    // custom-sw.js runs Angular's ngsw and adds Background Sync (src/worker/custom-sw.ts).
    provideWorkerRegistration('custom-sw.js', { enabled: !isDevMode(), latestMs: 3000 }),
    // Whatever a previous visit left in the outbox goes out again; never blocks the first paint.
    // A dynamic import, started at once: the sync code loads beside the page's own chunk.
    provideAppInitializer(() => {
      const injector = inject(Injector);
      void import('./core/background-start').then(({ startInBackground }) => startInBackground(injector));
    }),
  ],
};
