/**
 * Security headers and the Content-Security-Policy, kept in one place so the app team can adjust
 * them.
 */
import type { FastifyInstance } from 'fastify';
import { originOf } from '../src/shared/app-config.ts';
import { isApiPath } from './static.ts';

/**
 * The map's tile server: the one outside host the app loads from (images only). It must match
 * `mapTileUrl` in src/environments/environment.ts.
 */
export const MAP_TILE_ORIGIN = 'https://tile.openstreetmap.org';

/** The service worker's script: its response's CSP governs every fetch the worker makes. */
export const WORKER_SCRIPT_PATH = '/custom-sw.js';

/**
 * The CSP sent with every response. Scripts only from our origin, no inline script; styles may
 * be inline because Angular injects component styles and Leaflet positions tiles with `style`.
 * `connect-src` names our origin and the configured API (API_BASE_URL), nothing else.
 */
export function contentSecurityPolicy(apiBaseUrl: string): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', MAP_TILE_ORIGIN],
    'style-src': ["'self'", "'unsafe-inline'"],
    'script-src': ["'self'"],
    'connect-src': apiBaseUrl ? ["'self'", originOf(apiBaseUrl)] : ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

/**
 * The service worker's own policy: the page's, except that it may connect to any http(s) API.
 *
 * A worker keeps the CSP its script arrived with for as long as that version lives, and a change
 * of API_BASE_URL alone does not change the script's bytes, so the browser keeps that version.
 * The worker must deliver every queued write to the API it was made for: the one configured
 * now, and one configured before, if writes for it are still waiting. A `connect-src` naming one
 * API would strand those writes (or, after an update, new ones). The worker runs no HTML and no
 * script but ours (`script-src 'self'` still holds), and it only connects to API addresses the
 * app itself recorded, so the wider `connect-src` does not open a door the page's strict policy
 * closes.
 */
export function workerContentSecurityPolicy(apiBaseUrl: string): Record<string, string[]> {
  return { ...contentSecurityPolicy(apiBaseUrl), 'connect-src': ["'self'", 'https:', 'http:'] };
}

export function serializeCsp(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join(';');
}

/**
 * The headers every response carries: what @fastify/helmet sent with the options this server
 * gave it (its defaults, no HSTS, `frame-ancestors 'none'` by CSP and DENY by X-Frame-Options,
 * no referrer), written out once. The plugin derived them on every request, parsing the CSP
 * directives again each time: 8 % of the server's CPU time answering GET /restaurants from the
 * list cache (a --cpu-prof profile under autocannon). They never change while the server runs.
 *
 * The HSTS header is left out on purpose: the server speaks plain HTTP, and pinning a host to
 * HTTPS for a year is the decision of whatever terminates TLS in front of it, not the app's.
 */
export function securityHeaders(apiBaseUrl: string): Record<string, string> {
  return {
    'content-security-policy': serializeCsp(contentSecurityPolicy(apiBaseUrl)),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

/**
 * The build has no inline script (Angular's autoCsp and critical-CSS inlining are off in
 * angular.json), so one header policy fits every response, the app's HTML included; the worker
 * script gets its own (below), and the API's answers may be read by other origins.
 */
export function registerSecurityHeaders(app: FastifyInstance, apiBaseUrl = ''): void {
  const appFiles = securityHeaders(apiBaseUrl);
  // The API is CORS-open by contract: a client on another origin may load it in no-cors mode
  // too (a classic client's worker caching it, for one). The app's own files stay same-origin.
  const api = { ...appFiles, 'cross-origin-resource-policy': 'cross-origin' };
  const worker = { ...appFiles, 'content-security-policy': serializeCsp(workerContentSecurityPolicy(apiBaseUrl)) };
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    reply.headers(isApiPath(path) ? api : path === WORKER_SCRIPT_PATH ? worker : appFiles);
    done();
  });
}
