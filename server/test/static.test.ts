import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cacheControlFor, isNonCanonical, isTraversal } from '../static.ts';
import { type TestServer, call, makeTempDir, rawRequest, removeDir, startServer } from './helpers.ts';

const LOADER = "window.__loader = ['main-ABCD1234.js'];";
const INDEX_HTML = `<!doctype html><html><head><title>Restaurant Reviews</title>
<script>${LOADER}</script></head><body><app-root></app-root></body></html>`;
const SECRET = 'top secret outside the static folder';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const IMMUTABLE = 'public, max-age=31536000, immutable';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

describe('static app serving', () => {
  let dir: string;
  let staticDir: string;
  let server: TestServer;

  before(async () => {
    dir = makeTempDir('rr-static-');
    staticDir = join(dir, 'app');
    mkdirSync(join(staticDir, 'icons'), { recursive: true });
    const files: Record<string, string> = {
      'index.html': INDEX_HTML,
      'main-ABCD1234.js': `console.log("main");${' '.repeat(2000)}`,
      'chunk-Q2W3E4R5.js': 'console.log("chunk");',
      'styles-ZXCV5678.css': 'body { margin: 0 }',
      'ngsw.json': '{"configVersion":1}',
      'ngsw-worker.js': 'self.x = 1;',
      'custom-sw.js': 'self.y = 2;',
      'manifest.webmanifest': '{"name":"Restaurant Reviews"}',
      'favicon.ico': 'ico',
      'icons/icon-192x192.png': 'png',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(staticDir, name), content);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    server = await startServer({ staticDir });
  });
  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  it('serves index.html at / with no-cache', async () => {
    const { status, text, headers } = await call(server.url, '/', { headers: HTML });
    assert.equal(status, 200);
    assert.equal(text, INDEX_HTML);
    assert.match(headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(headers.get('cache-control'), 'no-cache');
  });

  it('sends the app page the same strict policy as the API: no inline script is allowed, by hash or otherwise', async () => {
    // The build has no inline script; a page that had one (like this fixture) must not run it.
    const page = await call(server.url, '/index.html');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /sha256/);
    assert.match(csp, /frame-ancestors 'none'/);
    const api = await call(server.url, '/restaurants');
    assert.equal(api.headers.get('content-security-policy'), csp);
  });

  it('caches hashed bundles forever, worker and manifest files never, other assets a day', async () => {
    const expected: Record<string, string> = {
      '/main-ABCD1234.js': IMMUTABLE,
      '/chunk-Q2W3E4R5.js': IMMUTABLE,
      '/styles-ZXCV5678.css': IMMUTABLE,
      '/ngsw.json': 'no-cache',
      '/ngsw-worker.js': 'no-cache',
      '/custom-sw.js': 'no-cache',
      '/manifest.webmanifest': 'no-cache',
      '/index.html': 'no-cache',
      '/favicon.ico': 'public, max-age=86400',
      '/icons/icon-192x192.png': 'public, max-age=86400',
    };
    for (const [path, cacheControl] of Object.entries(expected)) {
      const { status, headers } = await call(server.url, path);
      assert.equal(status, 200, path);
      assert.equal(headers.get('cache-control'), cacheControl, path);
    }
    assert.equal(cacheControlFor('/x/main-abcd1234.js'), 'public, max-age=86400', 'lower case is no Angular hash');
  });

  it('compresses static text', async () => {
    const answer = await rawRequest(server.url, '/main-ABCD1234.js', { 'accept-encoding': 'gzip' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], 'gzip');
  });

  it('answers HEAD for files', async () => {
    const { status, text, headers } = await call(server.url, '/ngsw.json', { method: 'HEAD' });
    assert.equal(status, 200);
    assert.equal(text, '');
    assert.equal(headers.get('cache-control'), 'no-cache');
  });

  it('answers a browser navigation to an app route with index.html', async () => {
    for (const path of ['/restaurant/3', '/restaurant/3/', '/some/deep/link']) {
      const { status, text, headers } = await call(server.url, path, { headers: HTML });
      assert.equal(status, 200, path);
      assert.equal(text, INDEX_HTML);
      assert.equal(headers.get('cache-control'), 'no-cache');
      assert.match(headers.get('vary') ?? '', /Accept/);
    }
  });

  it('answers HEAD for app navigations', async () => {
    const { status, text, headers } = await call(server.url, '/restaurant/3', { method: 'HEAD', headers: HTML });
    assert.equal(status, 200);
    assert.equal(text, '');
    assert.match(headers.get('content-type') ?? '', /^text\/html/);
  });

  it('answers JSON 404 to non-HTML requests and to missing files', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/restaurant/3', { accept: 'application/json' }],
      ['/restaurant/3', {}],
      ['/missing-ABCD1234.js', HTML],
      ['/icons/missing.png', HTML],
    ];
    for (const [path, headers] of cases) {
      const answer = await call(server.url, path, { headers });
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.error, 'Not Found');
    }
  });

  it('keeps API paths JSON, even for a browser navigation', async () => {
    const list = await call(server.url, '/restaurants', { headers: HTML });
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 10);
    const unknown = await call(server.url, '/restaurants/1/photos', { headers: HTML });
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /^application\/json/);
    const reviews = await call(server.url, '/reviews/abc/def', { headers: HTML });
    assert.equal(reviews.status, 404);
  });

  it("answers '//' and '.' spellings of a path as a missing file, never with a bare 403", async () => {
    // @fastify/static 10 refuses non-canonical paths with 403 { message: 'Forbidden' }.
    for (const path of ['//index.html', '/./main-ABCD1234.js', '/icons//icon-192x192.png', '/icons/.', '/%2e/ngsw.json']) {
      for (const headers of [{}, HTML]) {
        const answer = await rawRequest(server.url, path, headers);
        assert.equal(answer.status, 404, path);
        assert.equal(JSON.parse(answer.text).error, 'Not Found', path);
      }
    }
    // …and a navigation so spelled still gets the app, as any deep link does.
    for (const path of ['//restaurant/3', '/./restaurant//3']) {
      const navigation = await rawRequest(server.url, path, HTML);
      assert.equal(navigation.status, 200, path);
      assert.equal(navigation.text, INDEX_HTML, path);
    }
    assert.equal(isNonCanonical('/restaurant/3/'), false, 'a trailing slash is canonical');
    assert.equal(isNonCanonical('/a.b/c.js'), false);
  });

  it('refuses every path that tries to leave the static folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/icons/../../secret.txt',
      '/icons/%2e%2e/%2e%2e/secret.txt',
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/%2e%2e%2f%2e%2e%2fetc/passwd',
    ];
    for (const path of attempts) {
      for (const headers of [{}, HTML]) {
        const answer = await rawRequest(server.url, path, headers);
        assert.ok([400, 404].includes(answer.status), `${path}: ${answer.status}`);
        assert.ok(!answer.text.includes(SECRET), path);
        assert.ok(!answer.text.includes('root:'), path);
        assert.match(String(answer.headers['content-type']), /^application\/json/, path);
      }
    }
    assert.equal(isTraversal('/a..b/c.js'), false, 'dots inside a name are fine');
  });
});

describe('without a built app', () => {
  let dir: string;
  let server: TestServer;
  before(async () => {
    dir = makeTempDir('rr-nostatic-');
    server = await startServer({ staticDir: join(dir, 'does-not-exist') });
  });
  after(async () => {
    await server.stop();
    removeDir(dir);
  });

  it('still serves the API', async () => {
    const { status, body } = await call(server.url, '/restaurants');
    assert.equal(status, 200);
    assert.equal(body.length, 10);
  });

  it('answers / and app navigations with 503 and how to build the app', async () => {
    for (const [path, headers] of [['/', {}], ['/', HTML], ['/restaurant/2', HTML]] as const) {
      const { status, body } = await call(server.url, path, { headers });
      assert.equal(status, 503, path);
      assert.deepEqual(body, { error: 'Service Unavailable', message: 'App not built: run npm run build' });
    }
  });
});
