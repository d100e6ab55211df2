/// <reference lib="webworker" />

/**
 * How long a navigation waits for the network before the app opens from the worker's cache.
 * A page's HTML is a few KB: a working connection, even a slow mobile one, answers well within
 * this; the app's runtime config (ngsw-config.json's data group) waits as long.
 */
export const NAVIGATION_WAIT_MS = 3_000;

/**
 * ngsw fetches navigations from the network first (`navigationRequestStrategy: freshness`, so a
 * changed API address reaches the page's CSP) and opens its cached index.html only when that
 * fetch fails. A network that takes the request and never answers (a captive portal, a dead café
 * Wi-Fi, a stalled server) would leave a blank tab until the browser gives up, minutes later.
 * So a navigation the network has not answered within `waitMs` fails for ngsw, which then opens
 * the app from its cache, as when offline. ngsw looks up `scope.fetch` at each call
 * (`this.scope.fetch(req)`), so wrapping it here is enough; requests of any other mode (the
 * outbox's API calls, ngsw's own update checks) pass through untouched.
 */
export function limitNavigationWait(scope: ServiceWorkerGlobalScope, waitMs = NAVIGATION_WAIT_MS): void {
  const fetchFromNetwork = scope.fetch.bind(scope);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const answer = fetchFromNetwork(input, init);
    if (!(input instanceof Request) || input.mode !== 'navigate') return answer;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The network did not answer this navigation within ${waitMs} ms`)), waitMs);
      answer.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  };
}
