/** Cross-cutting HTTP behaviour: CORS, security headers, compression, logging hygiene. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { redactSecrets } from '../request-log.ts';
import { type TestServer, call, rawRequest, review, startServer } from './helpers.ts';

describe('HTTP behaviour', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  describe('CORS, as the classic server', () => {
    it('echoes the Origin and varies on it', async () => {
      const { headers } = await call(server.url, '/restaurants', { headers: { origin: 'http://localhost:8000' } });
      assert.equal(headers.get('access-control-allow-origin'), 'http://localhost:8000');
      assert.match(headers.get('vary') ?? '', /Origin/);
      assert.equal(headers.get('access-control-allow-credentials'), null);
      // A cross-origin client must be able to read Retry-After and the delta confirmation.
      assert.equal(headers.get('access-control-expose-headers'), 'retry-after, x-delta-sync, x-favorite-wish');
    });

    it('sends no Allow-Origin without an Origin, but still varies on it', async () => {
      const { headers } = await call(server.url, '/reviews/');
      assert.equal(headers.get('access-control-allow-origin'), null);
      assert.match(headers.get('vary') ?? '', /Origin/);
    });

    it('echoes the Origin on writes and on errors too', async () => {
      const created = await call(server.url, '/reviews/', {
        method: 'POST',
        json: review(),
        headers: { origin: 'https://pwa.example' },
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('access-control-allow-origin'), 'https://pwa.example');
      const missing = await call(server.url, '/reviews/424242', { headers: { origin: 'https://pwa.example' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('access-control-allow-origin'), 'https://pwa.example');
    });

    it('answers preflights with 204, the six methods and only the content-type header', async () => {
      for (const path of ['/reviews/', '/reviews', '/restaurants/3/', '/reviews/31']) {
        const { status, headers, text } = await call(server.url, path, {
          method: 'OPTIONS',
          headers: {
            origin: 'http://localhost:8000',
            'access-control-request-method': 'PUT',
            'access-control-request-headers': 'content-type',
          },
        });
        assert.equal(status, 204, path);
        assert.equal(text, '');
        assert.equal(headers.get('access-control-allow-origin'), 'http://localhost:8000');
        assert.equal(headers.get('access-control-allow-methods'), 'GET, POST, PUT, DELETE, OPTIONS, HEAD');
        assert.equal(headers.get('access-control-allow-headers'), 'content-type');
      }
    });
  });

  describe('security headers', () => {
    it('sends nosniff, no referrer, a CSP forbidding framing, and no X-Powered-By', async () => {
      const { headers } = await call(server.url, '/restaurants');
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
      assert.equal(headers.get('referrer-policy'), 'no-referrer');
      assert.equal(headers.get('x-powered-by'), null);
      const csp = headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
    });
  });

  describe('compression', () => {
    it('compresses JSON with brotli or gzip, as the client asks', async () => {
      const plain = await rawRequest(server.url, '/restaurants');
      const expected = JSON.parse(plain.text);

      const br = await rawBytes(server.url, '/restaurants', 'br');
      assert.equal(br.encoding, 'br');
      assert.deepEqual(JSON.parse(brotliDecompressSync(br.body).toString('utf8')), expected);
      assert.ok(br.body.length < plain.text.length / 2);

      const gzip = await rawBytes(server.url, '/restaurants', 'gzip');
      assert.equal(gzip.encoding, 'gzip');
      assert.deepEqual(JSON.parse(gunzipSync(gzip.body).toString('utf8')), expected);
      assert.match(String(gzip.vary), /accept-encoding/i);
      assert.match(String(gzip.vary), /Origin/);
    });

    it('leaves small answers and clients that ask for nothing uncompressed', async () => {
      const plain = await rawRequest(server.url, '/restaurants');
      assert.equal(plain.headers['content-encoding'], undefined);
      const small = await rawBytes(server.url, '/reviews/1', 'gzip');
      assert.equal(small.encoding, undefined);
    });
  });

  describe('logging hygiene', () => {
    it('masks edit tokens in logged URLs', () => {
      assert.equal(
        redactSecrets('/reviews/3?edit_token=s3cr3t&x=1'),
        '/reviews/3?edit_token=[redacted]&x=1',
      );
      assert.equal(redactSecrets('/reviews/?restaurant_id=1'), '/reviews/?restaurant_id=1');
    });
  });
});

/** The bytes as sent: fetch would decode them and hide what the server did. */
function rawBytes(base: string, path: string, encoding: string) {
  const { hostname, port } = new URL(base);
  return new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
    request({ hostname, port, path, headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          encoding: res.headers['content-encoding'],
          vary: res.headers['vary'],
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}
