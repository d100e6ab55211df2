/**
 * One API address at run time (API_BASE_URL): the config document the app reads, the CSP that
 * lets the page and the worker reach that API, and the CORP that lets classic clients load it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestServer, call, makeTempDir, removeDir, startServer } from './helpers.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function directive(header: string | null, name: string): string[] | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...sources] = part.trim().split(/\s+/);
    if (key === name) return sources;
  }
  return undefined;
}

function appFolder(): { dir: string; staticDir: string } {
  const dir = makeTempDir('rr-api-address-');
  const staticDir = join(dir, 'app');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(staticDir, 'custom-sw.js'), "importScripts('./ngsw-worker.js');");
  return { dir, staticDir };
}

describe('API address: default (the app\'s own origin)', () => {
  let server: TestServer;
  let folder: ReturnType<typeof appFolder>;
  before(async () => {
    folder = appFolder();
    server = await startServer({ staticDir: folder.staticDir });
  });
  after(async () => {
    await server.stop();
    removeDir(folder.dir);
  });

  it('serves /app-config.json with an empty apiBaseUrl, revalidated every time', async () => {
    const answer = await call(server.url, '/app-config.json');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { apiBaseUrl: '' });
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(answer.headers.get('cache-control'), 'no-cache');
  });

  it("lets pages connect to their own origin only", async () => {
    const page = await call(server.url, '/', { headers: HTML });
    assert.deepEqual(directive(page.headers.get('content-security-policy'), 'connect-src'), ["'self'"]);
  });
});

describe('API address: API_BASE_URL on another origin', () => {
  const API = 'http://127.0.0.1:13370/api';
  let server: TestServer;
  let folder: ReturnType<typeof appFolder>;
  before(async () => {
    folder = appFolder();
    server = await startServer({ staticDir: folder.staticDir, apiBaseUrl: API });
  });
  after(async () => {
    await server.stop();
    removeDir(folder.dir);
  });

  it('tells the app where its API is', async () => {
    assert.deepEqual((await call(server.url, '/app-config.json')).body, { apiBaseUrl: API });
  });

  it("lets the page and every answer connect to our origin and the API's origin, and nowhere else", async () => {
    for (const path of ['/', '/restaurant/3', '/index.html', '/restaurants', '/app-config.json']) {
      const answer = await call(server.url, path, { headers: HTML });
      assert.deepEqual(
        directive(answer.headers.get('content-security-policy'), 'connect-src'),
        ["'self'", 'http://127.0.0.1:13370'],
        path,
      );
    }
  });

  it('gives the worker script a policy that may reach any http(s) API, and is otherwise as strict', async () => {
    const worker = await call(server.url, '/custom-sw.js');
    assert.equal(worker.status, 200);
    const csp = worker.headers.get('content-security-policy');
    assert.deepEqual(directive(csp, 'connect-src'), ["'self'", 'https:', 'http:']);
    assert.deepEqual(directive(csp, 'script-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'default-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'object-src'), ["'none'"]);
    // One header, not two: two policies would both apply and the strictest would win.
    assert.equal(csp?.split(', ').length, 1);
  });

  it('marks API answers cross-origin (the API is CORS-open) and keeps the app same-origin', async () => {
    const api = [
      '/restaurants',
      '/restaurants/',
      '/restaurants/3',
      '/restaurants/99999',
      '/reviews/?restaurant_id=3',
      '/reviews/1',
    ];
    for (const path of api) {
      const answer = await call(server.url, path, { headers: { origin: 'http://classic.example' } });
      assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin', path);
    }
    const write = await call(server.url, '/restaurants/3/?is_favorite=true', { method: 'PUT' });
    assert.equal(write.headers.get('cross-origin-resource-policy'), 'cross-origin');
    for (const path of ['/', '/restaurant/3', '/index.html', '/custom-sw.js', '/app-config.json']) {
      const answer = await call(server.url, path, { headers: HTML });
      assert.equal(answer.headers.get('cross-origin-resource-policy'), 'same-origin', path);
    }
  });
});
