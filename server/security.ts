/**
 * Security headers (via @fastify/helmet) and the Content-Security-Policy, kept in one place so
 * the app team can adjust it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
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

export function formatCsp(
  policy: Readonly<Record<string, readonly string[]>>,
  extraScriptSources: readonly string[] = [],
): string {
  return Object.entries(policy)
    .map(([directive, sources]) => {
      const all = directive === 'script-src' ? [...sources, ...extraScriptSources] : sources;
      return `${directive} ${all.join(' ')}`;
    })
    .join('; ');
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/** CSP source expressions ('sha256-…') for every inline <script> of an HTML document. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)]
    .map((match) => match[1] ?? '')
    .filter((code) => code.length > 0)
    .map((code) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`);
}

/**
 * The policy for the app's index.html. Angular's `autoCsp` (on in angular.json) puts a small
 * loader in an inline <script>, allowed by a hash in the page's own <meta> CSP. A browser
 * enforces every policy it receives, so the header must allow that hash too, or the app would
 * never start. The hashes are read from the built file and re-read when it changes (a rebuild
 * while the server runs), so nobody has to keep them in sync by hand.
 */
export class IndexPagePolicy {
  private cachedMtimeMs = Number.NaN;
  private cachedPolicy = formatCsp(CONTENT_SECURITY_POLICY);

  constructor(private readonly indexFile: string) {}

  current(): string {
    try {
      const { mtimeMs } = statSync(this.indexFile);
      if (mtimeMs !== this.cachedMtimeMs) {
        const hashes = inlineScriptHashes(readFileSync(this.indexFile, 'utf8'));
        this.cachedPolicy = formatCsp(CONTENT_SECURITY_POLICY, hashes);
        this.cachedMtimeMs = mtimeMs;
      }
    } catch {
      // The file vanished mid-rebuild: keep the last known policy; the next request re-reads.
    }
    return this.cachedPolicy;
  }
}

export async function registerSecurityHeaders(
  app: FastifyInstance,
  indexFile: string | undefined,
): Promise<void> {
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

  if (!indexFile) return;
  const indexPolicy = new IndexPagePolicy(indexFile);
  app.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', indexPolicy.current());
    }
    done(null, payload);
  });
}
