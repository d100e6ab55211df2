/**
 * The feed's guarantee under load: several clients create, edit and delete reviews and toggle
 * favorites in parallel over real HTTP, while a reader pulls by cursor (small, varied pages) and
 * a live stream listens. Every acknowledged write must reach the reader exactly once, in order,
 * none missed: each record version at most once and only ever newer, every write either seen or
 * superseded by a newer version of its record, every deletion seen, one change number per write,
 * and the reader's copy equal to the server's data at the end.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { changeFeedPaths } from '../../src/shared/change-feed.ts';
import { seededRandom } from '../seeded-random.ts';
import type { ClassicRestaurant, ClassicReview, ClassicTimestamp } from '../storage/records.ts';
import { type TestServer, call, pull, review, startServer } from './helpers.ts';
import { type SseStream, openSse } from './sse-client.ts';

const WRITERS = 6;
const OPS_PER_WRITER = 45;

const version = (stamp: ClassicTimestamp) => new Date(stamp).getTime();

interface Ack {
  key: string;
  version: number;
}

describe('change feed under concurrent writers', () => {
  let server: TestServer;
  let live: SseStream;
  before(async () => {
    server = await startServer({ logLevel: 'silent' });
  });
  after(async () => {
    live?.close();
    await server.stop();
  });

  it('delivers every write exactly once, in order, none missed', async () => {
    const start = (await pull(server.url, 0)).cursor;
    live = await openSse(server.url + changeFeedPaths.live(start));
    const acks: Ack[] = [];
    const deleted = new Set<number>();
    let numberedWrites = 0;

    async function writer(seed: number): Promise<void> {
      const random = seededRandom(seed);
      const own: { id: number; token: string }[] = [];
      for (let op = 0; op < OPS_PER_WRITER; op++) {
        const roll = random();
        const mine = own.length ? own[Math.floor(random() * own.length)] : undefined;
        if (roll < 0.35 || !mine) {
          const answer = await call(server.url, '/reviews/', {
            method: 'POST',
            json: review({ restaurant_id: 1 + Math.floor(random() * 10), comments: `writer ${seed} op ${op}`, client_id: randomUUID() }),
          });
          assert.equal(answer.status, 201, answer.text);
          own.push({ id: answer.body.id, token: answer.body.edit_token });
          acks.push({ key: `v${answer.body.id}`, version: version(answer.body.updatedAt) });
          numberedWrites++;
        } else if (roll < 0.6) {
          const answer = await call(server.url, `/reviews/${mine.id}`, {
            method: 'PUT',
            json: { comments: `edited by ${seed} at op ${op}`, rating: 1 + Math.floor(random() * 5), edit_token: mine.token },
          });
          assert.equal(answer.status, 200, answer.text);
          acks.push({ key: `v${mine.id}`, version: version(answer.body.updatedAt) });
          numberedWrites++;
        } else if (roll < 0.72) {
          const answer = await call(server.url, `/reviews/${mine.id}?edit_token=${mine.token}`, { method: 'DELETE' });
          assert.equal(answer.status, 200, answer.text);
          own.splice(own.indexOf(mine), 1);
          deleted.add(mine.id);
          numberedWrites++;
        } else {
          const id = 1 + Math.floor(random() * 10);
          const wish = random() < 0.5;
          // Half carry a wish time, some of them a little in the past, so some are superseded.
          const path =
            random() < 0.5
              ? `/restaurants/${id}/?is_favorite=${wish}`
              : changeFeedPaths.favoriteWish(id, wish, Date.now() - Math.floor(random() * 50));
          const answer = await call(server.url, path, { method: 'PUT' });
          assert.equal(answer.status, 200, answer.text);
          if (answer.headers.get('x-favorite-wish') !== 'superseded') {
            acks.push({ key: `r${id}`, version: version(answer.body.updatedAt) });
            numberedWrites++;
          }
        }
      }
    }

    // The reader's copy of the server, and what it saw of each record.
    const restaurants = new Map<number, ClassicRestaurant>();
    const reviews = new Map<number, ClassicReview>();
    const newestSeen = new Map<string, number>();
    const tombstonesSeen = new Set<number>();
    let cursor = 0;
    let pulls = 0;
    const readerRandom = seededRandom(7);

    async function pullOnce(): Promise<boolean> {
      const page = await pull(server.url, cursor, 1 + Math.floor(readerRandom() * 8));
      pulls++;
      assert.equal(page.resync, undefined);
      const size = page.restaurants.length + page.reviews.length + page.deletedReviews.length;
      if (size > 0) assert.ok(page.cursor > cursor, `the cursor moves on with the records (${cursor} → ${page.cursor})`);
      else assert.ok(page.cursor >= cursor);
      const keys = new Set<string>();
      const see = (key: string, stamp: ClassicTimestamp) => {
        assert.ok(!keys.has(key), `${key} twice in one page`);
        keys.add(key);
        const seen = newestSeen.get(key);
        assert.ok(seen === undefined || version(stamp) > seen, `${key}: a version at or before one already seen`);
        newestSeen.set(key, version(stamp));
      };
      for (const restaurant of page.restaurants) {
        see(`r${restaurant.id}`, restaurant.updatedAt);
        restaurants.set(restaurant.id, restaurant);
      }
      for (const record of page.reviews) {
        assert.ok(!tombstonesSeen.has(record.id), `review ${record.id} came back after its deletion`);
        see(`v${record.id}`, record.updatedAt);
        reviews.set(record.id, record);
      }
      for (const id of page.deletedReviews) {
        assert.ok(!tombstonesSeen.has(id), `tombstone ${id} twice`);
        tombstonesSeen.add(id);
        reviews.delete(id);
      }
      cursor = page.cursor;
      return page.more;
    }

    let writing = true;
    const reader = (async () => {
      while (writing) await pullOnce();
      while (await pullOnce());
    })();
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(1000 + index)));
    writing = false;
    await reader;

    // Exactly one number per write, and nothing else numbered.
    assert.equal(cursor - start, numberedWrites, 'one change number per applied write');
    // None missed: every write was seen, or a newer version of its record was, or its deletion.
    for (const ack of acks) {
      const id = Number(ack.key.slice(1));
      if (ack.key.startsWith('v') && deleted.has(id)) continue;
      const seen = newestSeen.get(ack.key);
      assert.ok(seen !== undefined && seen >= ack.version, `${ack.key} version ${ack.version} never reached the reader`);
    }
    for (const id of deleted) assert.ok(tombstonesSeen.has(id), `deletion of ${id} missed`);
    for (const id of deleted) assert.ok(!reviews.has(id));
    // The reader's copy is the server's data.
    const serverRestaurants = (await call(server.url, '/restaurants')).body as ClassicRestaurant[];
    const serverReviews = (await call(server.url, '/reviews/')).body as ClassicReview[];
    assert.deepEqual([...restaurants.values()].sort((a, b) => a.id - b.id), serverRestaurants);
    assert.deepEqual([...reviews.values()].sort((a, b) => a.id - b.id), serverReviews);
    assert.ok(pulls > 20, `the reader pulled while writers wrote (${pulls} pulls)`);

    // The live stream heard of the end, and its notices only ever moved forward.
    await live.nextEvent((event) => Number(event.id) === cursor, 5_000, 0);
    const noticeIds = live.events.map((event) => Number(event.id));
    assert.deepEqual(noticeIds, [...new Set(noticeIds)].sort((a, b) => a - b));
  });
});
