/**
 * Regressions for what fuzz.test.ts found, as plain examples:
 * - bodies that are not UTF-8 were decoded with U+FFFD in place of the bad bytes, then stored
 *   and acknowledged (201) as text the client never sent; they are now refused with 400;
 * - requests Node's HTTP parser refuses (a URL over 16 KiB, an unknown method, ambiguous body
 *   framing) got Fastify's default answer, with an extra `statusCode` field (and a body even to
 *   HEAD); they now get the one error shape.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { percentDecoded } from '../content-types.ts';
import { snapshotDatabase } from './db-snapshot.ts';
import { type TestServer, startServer } from './helpers.ts';
import { type RawRequest, errorShapeProblem, sendRaw } from './raw-http.ts';

const NOT_UTF8 = { error: 'Bad Request', message: 'Request body is not valid UTF-8' };
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

describe('bodies must be UTF-8', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const refused: [string, RawRequest][] = [
    ['a JSON review with a Latin-1 é', { method: 'POST', path: '/reviews/', headers: JSON_TYPE, body: bytes('{"restaurant_id":1,"name":"Ren', [0xe9], '","rating":4,"comments":"ok"}') }],
    ['text/plain JSON with a UTF-16 surrogate in UTF-8 form', { method: 'POST', path: '/reviews/', headers: { 'content-type': 'text/plain' }, body: bytes('{"restaurant_id":1,"name":"A","rating":4,"comments":"x', [0xed, 0xa0, 0x80], '"}') }],
    ['an overlong encoding of "/"', { method: 'POST', path: '/reviews/', headers: JSON_TYPE, body: bytes('{"restaurant_id":1,"name":"A', [0xc0, 0xaf], '","rating":4,"comments":"x"}') }],
    ['a cut-off character at the end of a string', { method: 'POST', path: '/reviews/', headers: JSON_TYPE, body: bytes('{"restaurant_id":1,"name":"A","rating":4,"comments":"x', [0xe2, 0x82], '"}') }],
    ['a form with %FF', { method: 'POST', path: '/reviews/', headers: FORM_TYPE, body: bytes('restaurant_id=1&name=Ren%E9&rating=4&comments=ok') }],
    ['a form with raw Latin-1 bytes', { method: 'POST', path: '/reviews/', headers: FORM_TYPE, body: bytes('restaurant_id=1&name=Ren', [0xe9], '&rating=4&comments=ok') }],
    ['a favorite whose ignored field is not UTF-8', { method: 'PUT', path: '/restaurants/1?is_favorite=true', headers: JSON_TYPE, body: bytes('{"note":"', [0xff], '"}') }],
  ];

  it('refuses them with 400 and writes nothing', async () => {
    const before_ = snapshotDatabase(server.dbFile);
    for (const [name, req] of refused) {
      const answer = await sendRaw(server.url, req);
      assert.equal(answer.status, 400, `${name}: ${answer.text}`);
      assert.deepEqual(JSON.parse(answer.text), NOT_UTF8, name);
    }
    assert.equal(snapshotDatabase(server.dbFile), before_);
  });

  it('keeps accepting every valid UTF-8 body, byte for byte', async () => {
    const name = 'Zoë 李 😀';
    const accepted: [string, RawRequest][] = [
      ['JSON', { method: 'POST', path: '/reviews/', headers: JSON_TYPE, body: bytes(JSON.stringify({ restaurant_id: 1, name, rating: 4, comments: '100% good' })) }],
      ['JSON with a byte order mark', { method: 'POST', path: '/reviews/', headers: JSON_TYPE, body: bytes('\ufeff', JSON.stringify({ restaurant_id: 1, name, rating: 4, comments: '100% good' })) }],
      ['text/plain', { method: 'POST', path: '/reviews/', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: bytes(JSON.stringify({ restaurant_id: 1, name, rating: 4, comments: '100% good' })) }],
      ['a form, percent-encoded', { method: 'POST', path: '/reviews/', headers: FORM_TYPE, body: bytes(new URLSearchParams({ restaurant_id: '1', name, rating: '4', comments: '100% good' }).toString()) }],
      // A "%" without two hex digits is kept as it is, as URLSearchParams always did.
      ['a form, with raw UTF-8 and a bare %', { method: 'POST', path: '/reviews/', headers: FORM_TYPE, body: bytes(`restaurant_id=1&name=${name}&rating=4&comments=100% good`) }],
    ];
    for (const [kind, req] of accepted) {
      const answer = await sendRaw(server.url, req);
      assert.equal(answer.status, 201, `${kind}: ${answer.text}`);
      const stored = JSON.parse(answer.text);
      assert.equal(stored.name, name, kind);
      assert.equal(stored.comments, '100% good', kind);
    }
  });

  it('decodes %XX escapes the way URLSearchParams does', () => {
    assert.deepEqual(percentDecoded(Buffer.from('a%41%e2%82%AC+%')), Buffer.from('aA€+%'));
    assert.deepEqual(percentDecoded(Buffer.from('%4')), Buffer.from('%4'));
    assert.deepEqual(percentDecoded(Buffer.from('%zz%%41')), Buffer.from('%zz%A'));
    assert.deepEqual(percentDecoded(Buffer.from('%FF')), Buffer.from([0xff]));
  });
});

describe('requests that are not valid HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  const cases: [string, RawRequest, number][] = [
    ['a URL over 16 KiB', { method: 'GET', path: `/restaurants/${'9'.repeat(20_000)}` }, 431],
    ['headers over 16 KiB', { method: 'GET', path: '/restaurants', headers: { 'x-padding': 'p'.repeat(20_000) } }, 431],
    ['an unknown method', { method: 'FOO', path: '/restaurants' }, 400],
    ['a raw non-ASCII byte in the URL', { method: 'GET', path: '/reviews/\u00e9' }, 400],
    // Two framings at once is how requests get smuggled past proxies.
    ['Content-Length and Transfer-Encoding together', { method: 'POST', path: '/reviews/', headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked', 'content-length': '2' }, body: Buffer.from('{}') }, 400],
    ['a Content-Length that is not a number', { method: 'POST', path: '/reviews/', headers: { ...JSON_TYPE, 'content-length': 'abc' }, body: Buffer.from('{}') }, 400],
  ];

  for (const [name, req, status] of cases) {
    it(`answers ${name} with ${status} in the error shape`, async () => {
      const answer = await sendRaw(server.url, req);
      assert.equal(answer.status, status, answer.text);
      assert.equal(errorShapeProblem(answer), undefined);
      assert.equal(answer.headers['connection'], 'close');
    });
  }

  it('answers HEAD without a body', async () => {
    const answer = await sendRaw(server.url, { method: 'HEAD', path: `/restaurants/${'9'.repeat(20_000)}` });
    assert.equal(answer.status, 431);
    assert.equal(answer.body.length, 0);
  });
});
