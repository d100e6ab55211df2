import { ApplicationRef, type EnvironmentProviders, inject, provideAppInitializer } from '@angular/core';

/** ngsw's messages to its pages that the app acts on (the rest: version checks, push). */
export type WorkerNotice = 'VERSION_READY' | 'UNRECOVERABLE_STATE';

/**
 * Registers the service worker once the app is stable (or after `latestMs`), as Angular's
 * `provideServiceWorker('…', { registrationStrategy: 'registerWhenStable:…' })` does, and tells a
 * newly controlling ngsw to initialize. Stable includes the first screen's data (cacheFirst counts
 * its first refresh as a pending task), so ngsw's install, which fetches every app file, does not
 * compete with it. Written out here because @angular/service-worker would
 * add 5.7 KB to the initial chunk for these few lines and a message filter (`workerNotices`).
 */
export function provideWorkerRegistration(script: string, { enabled, latestMs }: { enabled: boolean; latestMs: number }): EnvironmentProviders {
  return provideAppInitializer(() => {
    if (!enabled || !('serviceWorker' in navigator)) return;
    const appRef = inject(ApplicationRef);
    const sw = navigator.serviceWorker;
    const onControllerChange = () => sw.controller?.postMessage({ action: 'INITIALIZE' });
    sw.addEventListener('controllerchange', onControllerChange);
    appRef.onDestroy(() => sw.removeEventListener('controllerchange', onControllerChange));
    const latest = new Promise((resolve) => setTimeout(resolve, latestMs));
    void Promise.race([appRef.whenStable(), latest]).then(() => {
      if (appRef.destroyed) return;
      sw.register(script).catch((error: unknown) => console.error('Service worker registration failed with:', error));
    });
  });
}

/** Calls `listener` for each notice ngsw posts to this page; returns the unsubscribe. */
export function workerNotices(listener: (notice: WorkerNotice) => void): () => void {
  const sw = 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
  const onMessage = (event: MessageEvent<{ type?: unknown } | null>) => {
    const type = event.data?.type;
    if (type === 'VERSION_READY' || type === 'UNRECOVERABLE_STATE') listener(type);
  };
  sw?.addEventListener('message', onMessage);
  return () => sw?.removeEventListener('message', onMessage);
}
