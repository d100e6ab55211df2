/**
 * The runtime configuration document: one owner for its path, its shape and the rules for the
 * API base URL it carries. The server writes it from API_BASE_URL; the page reads it; the outbox
 * stamps every record with the API it resolves to.
 *
 * It is fetched at run time rather than baked into the build, so one build can be deployed against
 * any API. It lies outside ngsw's asset groups (its content is not in ngsw.json's hash table), and
 * ngsw caches it in a data group for offline visits.
 */

/** Served by the app's own server, next to index.html. */
export const APP_CONFIG_PATH = '/app-config.json';

export interface AppConfig {
  /** Absolute API base URL without a trailing slash, or '' for the app's own origin. */
  apiBaseUrl: string;
}

/** Meta keys in IndexedDB (see db-schema.ts `meta`). */
export const APP_CONFIG_META_KEY = 'appConfig';
/** The API the cached server copies (restaurants, reviews, cursors) came from. */
export const DATA_API_META_KEY = 'dataApiBaseUrl';

/**
 * Checks a configured API base URL and normalizes it: '' (the app's own origin) or an absolute
 * http(s) URL with no trailing slash, no query, no fragment and no credentials. Returns an error
 * message instead of throwing, so the server can name the variable.
 */
export function normalizeApiBaseUrl(raw: string): { value: string } | { error: string } {
  const text = raw.trim();
  if (text === '') return { value: '' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `must be an absolute http(s) URL such as http://127.0.0.1:13370, or empty (got "${raw}")` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `must use http or https (got "${raw}")` };
  }
  if (url.username || url.password) return { error: `must not contain credentials (got "${raw}")` };
  if (url.search || url.hash || text.includes('?') || text.includes('#')) {
    return { error: `must not have a query or a fragment (got "${raw}")` };
  }
  return { value: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}

/** The setting resolved against the page's (or worker's) origin: always absolute. */
export function resolveApiBase(config: AppConfig, origin: string): string {
  return config.apiBaseUrl || origin;
}

/** Reads a config document defensively (it may come from a cache or an older server). */
export function parseAppConfig(raw: unknown): AppConfig | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = (raw as Partial<AppConfig>).apiBaseUrl;
  if (typeof value !== 'string') return undefined;
  const normalized = normalizeApiBaseUrl(value);
  return 'value' in normalized ? { apiBaseUrl: normalized.value } : undefined;
}

/** The origin part of an API base URL, for CSP sources and same-origin checks. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}
