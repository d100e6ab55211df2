/**
 * Security headers (via @fastify/helmet) and the Content-Security-Policy, kept in one place so
 * the app team can adjust it.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The map's tile server: the one outside host the app loads from (images only). It must match
 * `mapTileUrl` in src/environments/environment.ts.
 */
export const MAP_TILE_ORIGIN = 'https://tile.openstreetmap.org';

/**
 * The CSP sent with every response. Scripts only from our origin, no inline script; styles may
 * be inline because Angular injects component styles and Leaflet positions tiles with `style`.
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:', MAP_TILE_ORIGIN],
  'style-src': ["'self'", "'unsafe-inline'"],
  'script-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

/**
 * The build has no inline script (Angular's autoCsp and critical-CSS inlining are off in
 * angular.json), so one header policy fits every response, the app's HTML included.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(
        Object.entries(CONTENT_SECURITY_POLICY).map(([name, sources]) => [name, [...sources]]),
      ),
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // The server speaks plain HTTP. HSTS belongs to whatever terminates TLS in front of it, and
    // pinning a host to HTTPS for a year is that deployment's decision, not the app's.
    strictTransportSecurity: false,
  });
}
