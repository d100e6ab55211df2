import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { ListCache, negotiate } from '../list-cache.ts';
import { type TestServer, call, makeTempDir, removeDir, review, startServer } from './helpers.ts';

interface Bytes {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Bytes> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(answer: Bytes): Buffer {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.body);
  if (encoding === 'gzip') return gunzipSync(answer.body);
  return answer.body;
}

/** Every variant of the list routes the app and classic clients use, and some they should not. */
const VARIANTS = [
  '/restaurants',
  '/restaurants/',
  '/restaurants?is_favorite=true',
  '/restaurants?is_favorite=false',
  '/restaurants?neighborhood=Queens',
  '/restaurants?neighborhood=queens',
  '/restaurants?cuisine_type=Asian',
  '/restaurants?neighborhood=Manhattan&cuisine_type=Pizza',
  '/restaurants?limit=3&skip=2',
  '/restaurants?limit=0',
  '/restaurants?updated_since=0',
  '/restaurants?updated_since=2017-01-01T00:00:00.000Z',
  '/restaurants?is_favorite=maybe',
  '/reviews/',
  '/reviews',
  '/reviews/?restaurant_id=3',
  '/reviews/?restaurant_id=1&limit=2&skip=1',
  '/reviews/?restaurant_id=999',
  '/reviews/?restaurant_id=abc',
  '/ratings',
  '/ratings/',
  '/ratings?restaurant_id=3',
  '/ratings/?restaurant_id=999',
  '/ratings?restaurant_id=abc',
];

describe('cached list answers', () => {
  let dir: string;
  let cached: TestServer;
  let uncached: TestServer;

  before(async () => {
    dir = makeTempDir('rr-list-cache-');
    const dbFile = join(dir, 'db.sqlite');
    cached = await startServer({ dbFile, rateLimitMax: 1_000_000 });
    // The quirks: favorites written by PUT print as strings, written timestamps as ISO, seed ones as epoch ms.
    await call(cached.url, '/restaurants/3/?is_favorite=true', { method: 'PUT' });
    await call(cached.url, '/restaurants/5/?is_favorite=false', { method: 'PUT' });
    await call(cached.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: 3, client_id: randomUUID() }) });
    uncached = await startServer({ dbFile, cacheListAnswers: false });
  });
  after(async () => {
    await cached.stop();
    await uncached.stop();
    removeDir(dir);
  });

  it('answers every variant byte for byte as the uncached route does, in every encoding, from the cache too', async () => {
    for (const path of VARIANTS) {
      const reference = await get(uncached.url, path);
      for (const encoding of ['', 'gzip', 'br', 'gzip, deflate, br']) {
        for (const round of ['made', 'from the cache']) {
          const answer = await get(cached.url, path, encoding ? { 'accept-encoding': encoding } : {});
          const what = `${path} (${encoding || 'identity'}, ${round})`;
          assert.equal(answer.status, reference.status, what);
          assert.equal(answer.headers['content-type'], reference.headers['content-type'], what);
          assert.equal(answer.headers['x-delta-sync'], reference.headers['x-delta-sync'], what);
          assert.ok(decoded(answer).equals(reference.body), `${what}: same bytes`);
          if (answer.status === 200 && reference.body.length > 1024 && encoding) {
            assert.ok(answer.headers['content-encoding'], `${what} is compressed`);
          }
        }
      }
    }
  });

  it('sends a strong ETag per variant and encoding, and answers If-None-Match with 304 until the data changes', async () => {
    const first = await get(cached.url, '/restaurants');
    const etag = String(first.headers['etag']);
    assert.match(etag, /^"\d+-[\w-]+"$/);
    const br = await get(cached.url, '/restaurants', { 'accept-encoding': 'br' });
    assert.equal(br.headers['etag'], etag.replace(/"$/, '-br"'));
    assert.notEqual((await get(cached.url, '/restaurants?is_favorite=true')).headers['etag'], etag);

    for (const tag of [etag, String(br.headers['etag']), `W/${etag}`, `"nope", ${etag}`]) {
      const again = await get(cached.url, '/restaurants', { 'if-none-match': tag });
      assert.equal(again.status, 304, tag);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers['etag'], etag);
    }

    await call(cached.url, '/restaurants/2/?is_favorite=true', { method: 'PUT' });
    const changed = await get(cached.url, '/restaurants', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers['etag'], etag);
    const two = (JSON.parse(changed.body.toString()) as Array<{ id: number; is_favorite: string }>).find((r) => r.id === 2);
    assert.equal(two?.is_favorite, 'true');
  });

  it('never answers stale after a write: 1,000 writes, 250 at a time, each followed at its acknowledgement by reads that see it', async () => {
    // Warm every entry, and keep their ETags: a conditional read after a write must not get 304.
    const before = new Map<string, string>();
    for (let id = 1; id <= 10; id++) before.set(`/reviews/?restaurant_id=${id}`, String((await get(cached.url, `/reviews/?restaurant_id=${id}`)).headers['etag']));
    before.set('/restaurants', String((await get(cached.url, '/restaurants')).headers['etag']));
    const ratingsAnswer = await get(cached.url, '/ratings');
    before.set('/ratings', String(ratingsAnswer.headers['etag']));
    // Reviews are only added here, so a restaurant's count can only grow: by at least the
    // creations acknowledged before a read.
    const counted = new Map((JSON.parse(ratingsAnswer.body.toString()) as Array<{ restaurant_id: number; count: number }>).map((r) => [r.restaurant_id, r.count]));
    const acknowledged = new Map<number, number>();

    const stale: string[] = [];
    const task = async (i: number) => {
      const restaurantId = 1 + (i % 10);
      if (i % 2 === 0) {
        const created = await call(cached.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: restaurantId, client_id: randomUUID(), name: `W${i}` }) });
        assert.equal(created.status, 201);
        const path = `/reviews/?restaurant_id=${restaurantId}`;
        const read = await get(cached.url, path, i % 4 === 0 ? { 'if-none-match': before.get(path)! } : {});
        if (read.status !== 200) stale.push(`${path} after review ${created.body.id}: ${read.status}`);
        else if (!(JSON.parse(read.body.toString()) as Array<{ id: number }>).some((r) => r.id === created.body.id)) stale.push(`${path} lacks review ${created.body.id}`);
        acknowledged.set(restaurantId, (acknowledged.get(restaurantId) ?? 0) + 1);
        const atLeast = (counted.get(restaurantId) ?? 0) + acknowledged.get(restaurantId)!;
        const ratings = await get(cached.url, '/ratings', i % 4 === 0 ? { 'if-none-match': before.get('/ratings')!, 'accept-encoding': 'br' } : {});
        if (ratings.status !== 200) stale.push(`/ratings after review ${created.body.id}: ${ratings.status}`);
        else {
          const count = (JSON.parse(decoded(ratings).toString()) as Array<{ restaurant_id: number; count: number }>).find((r) => r.restaurant_id === restaurantId)?.count ?? 0;
          if (count < atLeast) stale.push(`/ratings counts ${count} reviews of ${restaurantId} after ${atLeast} were acknowledged`);
        }
      } else {
        const wish = i % 3 === 0;
        const put = await call(cached.url, `/restaurants/${restaurantId}/?is_favorite=${wish}`, { method: 'PUT' });
        assert.equal(put.status, 200);
        const read = await get(cached.url, '/restaurants', i % 4 === 1 ? { 'if-none-match': before.get('/restaurants')!, 'accept-encoding': 'br' } : {});
        if (read.status !== 200) {
          stale.push(`/restaurants after PUT ${restaurantId}: ${read.status}`);
          return;
        }
        const listed = (JSON.parse(decoded(read).toString()) as Array<{ id: number; updatedAt: string }>).find((r) => r.id === restaurantId);
        // Write timestamps never go backwards (storage/clock.ts): the read is this write or a later one.
        if (!listed || Date.parse(listed.updatedAt) < Date.parse(put.body.updatedAt)) {
          stale.push(`/restaurants shows ${restaurantId} at ${listed?.updatedAt}, written at ${put.body.updatedAt}`);
        }
      }
    };
    // 250 pairs in flight at any time: more connections at once than that only overflow the
    // test machine's listen backlog (connection resets), which is not what is tested here.
    let next = 0;
    const lane = async () => {
      while (next < 1000) await task(next++);
    };
    await Promise.all(Array.from({ length: 250 }, lane));
    assert.equal(next, 1000);
    assert.deepEqual(stale, []);
  });

  it('is keyed on the database, not the process: a write through another server is seen at once', async () => {
    const other = await startServer({ dbFile: cached.dbFile });
    try {
      const etag = String((await get(cached.url, '/reviews/?restaurant_id=4')).headers['etag']);
      const created = await call(other.url, '/reviews/', { method: 'POST', json: review({ restaurant_id: 4, client_id: randomUUID() }) });
      const read = await get(cached.url, '/reviews/?restaurant_id=4', { 'if-none-match': etag });
      assert.equal(read.status, 200);
      assert.ok((JSON.parse(read.body.toString()) as Array<{ id: number }>).some((r) => r.id === created.body.id));
    } finally {
      await other.stop();
    }
  });
});

describe('ListCache', () => {
  it('serializes once per change of the sequence, and compresses once per encoding', async () => {
    let sequence = 1;
    let serialized = 0;
    const lists = new ListCache({ currentSequence: async () => sequence });
    const app = Fastify();
    app.get('/list', (request, reply) =>
      lists.send(request, reply, 'list', async () => {
        serialized++;
        return JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i, sequence })));
      }),
    );
    try {
      for (let i = 0; i < 10; i++) await app.inject({ url: '/list', headers: { 'accept-encoding': i % 2 ? 'br' : 'gzip' } });
      assert.equal(serialized, 1);
      sequence = 2;
      const answer = await app.inject({ url: '/list' });
      assert.equal(serialized, 2);
      assert.equal((JSON.parse(answer.body) as Array<{ sequence: number }>)[0]?.sequence, 2);
    } finally {
      await app.close();
    }
  });

  it('keeps its memory bounded, the least recently used out first', async () => {
    let serialized = 0;
    const lists = new ListCache({ currentSequence: async () => 1, maxBytes: 3000 });
    const app = Fastify();
    app.get('/list/:n', (request, reply) =>
      lists.send(request, reply, (request.params as { n: string }).n, async () => {
        serialized++;
        return 'x'.repeat(1000);
      }),
    );
    try {
      for (const n of ['a', 'b', 'c', 'a', 'd', 'a']) await app.inject({ url: `/list/${n}` });
      // a, b, c made; a reused; d pushes out b (the least recently used); a still there.
      assert.equal(serialized, 4);
      await app.inject({ url: '/list/b' });
      assert.equal(serialized, 5);
    } finally {
      await app.close();
    }
  });

  it('negotiates as the compression plugin does', () => {
    assert.equal(negotiate(undefined), 'identity');
    assert.equal(negotiate('gzip, deflate, br'), 'br');
    assert.equal(negotiate('gzip'), 'gzip');
    assert.equal(negotiate('br;q=0, gzip'), 'gzip');
    assert.equal(negotiate('br;q=0.5, gzip;q=0.8'), 'gzip');
    assert.equal(negotiate('deflate'), 'identity');
    assert.equal(negotiate('*'), 'br');
    assert.equal(negotiate('identity'), 'identity');
  });
});
