/**
 * Serves the built PWA from STATIC_DIR on the API's own port, and answers everything that is
 * neither an API route nor a file:
 * - a browser navigation (GET/HEAD, Accept: text/html, no file extension) gets index.html, so
 *   deep links such as /restaurant/3 load the app, which then routes on the client; with status
 *   404 when the page does not exist (/restaurant/999, /nothing), so the status tells the truth;
 * - anything else gets a JSON 404.
 * API paths (/restaurants…, /reviews…, /changes…) always answer JSON, as the classic server did,
 * even to a browser navigation.
 *
 * Without a build, the API still works and navigations get a 503 saying how to build the app.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, join, posix, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from './errors.ts';
import { CHANGES_PATH } from '../src/shared/change-feed.ts';

/**
 * Files whose name never changes while their content does: the browser must revalidate them
 * every time, or a new release (and above all a new service worker) would never be seen.
 */
const ALWAYS_REVALIDATE = new Set([
  'index.html',
  'ngsw.json',
  'ngsw-worker.js',
  'custom-sw.js',
  'safety-worker.js',
  'worker-basic.min.js',
  'manifest.webmanifest',
]);
/** Angular's output hashing: `main-ABCD1234.js`, `chunk-….js`, `styles-….css`. */
const CONTENT_HASHED = /-[A-Z0-9]{8}\.(?:js|css)$/;

export function cacheControlFor(filePath: string): string {
  const name = basename(filePath);
  if (ALWAYS_REVALIDATE.has(name)) return 'no-cache';
  // The name changes whenever the content does, so a cached copy can never be stale.
  if (CONTENT_HASHED.test(name)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=86400';
}

const API_PREFIXES = ['/restaurants', '/reviews', '/ratings', CHANGES_PATH];

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function isAppNavigation(request: FastifyRequest, path: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  if (isApiPath(path)) return false;
  // A missing /logo.png is a missing file, not a page (ngsw's navigationUrls agree: !/**/*.*).
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}

const TRAVERSAL_MESSAGE = "The path must not contain '..' segments, backslashes or NUL bytes";

/** Cheap pre-check on the raw URL; only suspicious ones are decoded and inspected. */
const MAYBE_TRAVERSAL = /\.\.|%2e|%5c|%00|\\/i;

/**
 * True for paths that try to leave the served folder: `..` segments (also percent-encoded),
 * backslashes (a separator on Windows) and NUL bytes. @fastify/send refuses these too; refusing
 * them here first gives one clear 400 and keeps them away from the file system entirely.
 */
export function isTraversal(rawPath: string): boolean {
  if (!MAYBE_TRAVERSAL.test(rawPath)) return false;
  const path = decoded(rawPath);
  return path === undefined || path.includes('\0') || path.includes('\\') || path.split('/').includes('..');
}

/** Cheap pre-check: empty or `.` segments, possibly percent-encoded. */
const MAYBE_NON_CANONICAL = /\/\/|\/\.(?:\/|$)|%2e|%2f/i;

/**
 * True for paths that name a file only once normalized: `//`, `/./`, a trailing `/.`.
 * @fastify/static 10 refuses them with a bare 403 (a route guard on `/a/b` does not match
 * `/a//b`, yet the file system would serve it). No file is spelled that way, so they get the
 * answer of any missing file instead, as they did before.
 */
export function isNonCanonical(rawPath: string): boolean {
  if (!MAYBE_NON_CANONICAL.test(rawPath)) return false;
  const path = decoded(rawPath);
  return path === undefined || posix.normalize(path) !== path;
}

/** The path with every escape decoded, or undefined when its percent-encoding is broken. */
function decoded(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
}

/**
 * True when the file a request names really lies inside the static folder. @fastify/send
 * refuses `..`, but it follows symbolic links: a link inside STATIC_DIR pointing at /etc/passwd
 * (or at a folder outside) would be served. A path that cannot be resolved (missing, a loop) is
 * refused too; it then gets the same answer as any missing file.
 */
export function insideFolder(root: string): (pathname: string) => boolean {
  const realRoot = realpathSync(root);
  return (pathname) => {
    try {
      const real = realpathSync(join(realRoot, pathname));
      return real === realRoot || real.startsWith(realRoot + sep);
    } catch {
      return false;
    }
  };
}

export async function registerStaticApp(
  app: FastifyInstance,
  staticDir: string | undefined,
  /** False for navigations to a page that does not exist (app-pages.ts): index.html, status 404. */
  pageExists: (path: string) => Promise<boolean> = async () => true,
): Promise<void> {
  const built = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));

  app.addHook('onRequest', (request, reply, done) => {
    // Every request passes here: test the whole URL first, split it only when it looks odd.
    if (MAYBE_TRAVERSAL.test(request.url) && isTraversal(request.url.split('?', 1)[0] ?? '')) {
      reply.code(400).send(apiError(400, TRAVERSAL_MESSAGE));
      return;
    }
    if (MAYBE_NON_CANONICAL.test(request.url) && isMissingFile(request)) {
      // The page lookup may wait for the database; a failure gets the error handler's answer.
      answerMissing(request, reply).catch((error: unknown) => reply.send(error));
      return;
    }
    done();
  });

  if (built) {
    const allowed = insideFolder(staticDir);
    await app.register(fastifyStatic, {
      root: staticDir,
      allowedPath: (pathname) => allowed(pathname),
      // Our own Cache-Control per file (below) instead of one max-age for everything.
      cacheControl: false,
      // Since @fastify/static 10 this gets the Fastify reply, after the plugin's own headers.
      setHeaders: (reply, filePath) => reply.header('cache-control', cacheControlFor(filePath)),
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
    });
  } else {
    app.get('/', (_request, reply) => {
      sendNotBuilt(reply);
    });
  }

  /** A GET of a non-API path spelled so that it cannot name a file (see isNonCanonical). */
  function isMissingFile(request: FastifyRequest): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?', 1)[0] ?? '/';
    return !isApiPath(path) && isNonCanonical(path);
  }

  async function answerMissing(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const path = request.url.split('?', 1)[0] ?? '/';
    // The same URL answers HTML or JSON depending on Accept.
    reply.header('vary', 'Origin, Accept');
    if (isAppNavigation(request, path)) {
      if (!built) return sendNotBuilt(reply);
      return reply.code((await pageExists(path)) ? 200 : 404).sendFile('index.html');
    }
    const shownPath = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    return reply.code(404).send(apiError(404, `Nothing here: ${request.method} ${shownPath}`));
  }

  app.setNotFoundHandler(answerMissing);
}

function sendNotBuilt(reply: FastifyReply): FastifyReply {
  return reply.code(503).send(apiError(503, 'App not built: run npm run build'));
}
