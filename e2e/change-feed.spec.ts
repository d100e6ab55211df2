/**
 * The server half of two-way sync as our client meets it: the shared ApiClient's feed and
 * favorite-wish methods against the real built server, and a real Chromium EventSource on
 * another origin that gets notices, survives a server restart and resumes with Last-Event-ID.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from '../src/shared/api-client';
import { LIVE_EVENT, changeFeedPaths } from '../src/shared/change-feed';
import { expect, test } from './fixtures';

async function postReview(base: string, comments: string): Promise<{ id: number; edit_token: string }> {
  const response = await fetch(`${base}/reviews/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ restaurant_id: 2, name: 'Feed', rating: 4, comments, client_id: randomUUID() }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; edit_token: string };
}

test('ApiClient pulls the feed normalized, pages it, and sees deletions', async ({ server }) => {
  const api = new ApiClient(server.url);
  const all = await api.changesAfter(0);
  expect(all?.restaurants).toHaveLength(10);
  expect(all?.reviews).toHaveLength(30);
  expect(all?.more).toBe(false);
  // Normalized like the classic reads: booleans and ISO dates.
  expect(all?.restaurants[0]?.is_favorite).toBe(false);
  expect(all?.restaurants[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

  const firstPage = await api.changesAfter(0, { limit: 3 });
  expect(firstPage?.more).toBe(true);
  expect(firstPage?.cursor).toBe(3);

  const created = await postReview(server.url, 'Seen through the feed');
  const afterCreate = await api.changesAfter(all!.cursor);
  expect(afterCreate?.reviews.map((review) => review.id)).toEqual([created.id]);
  await fetch(`${server.url}/reviews/${created.id}?edit_token=${created.edit_token}`, { method: 'DELETE' });
  const afterDelete = await api.changesAfter(afterCreate!.cursor);
  expect(afterDelete?.deletedReviews).toEqual([created.id]);
  expect(afterDelete?.resync).toBeUndefined();
  expect((await api.changesAfter(afterDelete!.cursor + 10))?.resync).toBe(true);
});

test('ApiClient reports a favorite wish that lost to a later one, with the server state', async ({ server }) => {
  const api = new ApiClient(server.url);
  const now = Date.now();
  const later = await api.setFavoriteWish(3, true, now);
  expect(later).toEqual({ restaurant: expect.objectContaining({ id: 3, is_favorite: true }), applied: true });
  const older = await api.setFavoriteWish(3, false, now - 60_000);
  expect(older.applied).toBe(false);
  expect(older.restaurant.is_favorite).toBe(true);
});

test('ApiClient says "no feed" on a server without one', async ({ server }) => {
  // The original server answers 404 to unknown routes; a path under ours that is not the feed
  // stands in for it here.
  const api = new ApiClient(`${server.url}/no-such-api`);
  expect(await api.changesAfter(0)).toBeUndefined();
});

test('an EventSource on another origin gets notices and resumes with Last-Event-ID after a restart', async ({ page, server }) => {
  test.setTimeout(60_000);
  // The page lives on another origin, served by a plain server of its own with no CSP: this is
  // the API's CORS at work. A real loopback server, not page.route: Chromium treats a routed
  // page as public, and a public page may not reach localhost at all (local network access).
  const pageServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other origin</title>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const { port } = pageServer.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(
    ({ url, eventType }) => {
      const state = { events: [] as { id: string; data: string }[], opens: 0, errors: 0 };
      (window as unknown as { live: typeof state }).live = state;
      const source = new EventSource(url);
      source.addEventListener('open', () => state.opens++);
      source.addEventListener('error', () => state.errors++);
      source.addEventListener(eventType, (event) => {
        const message = event as MessageEvent<string>;
        state.events.push({ id: message.lastEventId, data: message.data });
      });
    },
    { url: server.url + changeFeedPaths.live(0), eventType: LIVE_EVENT },
  );
  const live = () =>
    page.evaluate(() => (window as unknown as { live: { events: { id: string }[]; opens: number; errors: number } }).live);
  const ids = async () => (await live()).events.map((event) => Number(event.id));

  // Behind (after=0): a notice at once with the current cursor.
  await expect.poll(ids).toEqual([40]);
  await postReview(server.url, 'Live one');
  await expect.poll(ids).toEqual([40, 41]);

  // The server goes away and comes back on the same port: EventSource reconnects by itself,
  // sending Last-Event-ID: 41 across origins. Up to date, it gets no notice at once…
  await server.stop();
  await expect.poll(async () => (await live()).errors).toBeGreaterThan(0);
  await server.start();
  await expect.poll(async () => (await live()).opens, { timeout: 20_000 }).toBe(2);
  await page.waitForTimeout(1_000);
  // …whereas a reconnect that had fallen back to the URL's after=0 would have been told 41 again.
  expect(await ids()).toEqual([40, 41]);
  await postReview(server.url, 'Live two');
  await expect.poll(ids).toEqual([40, 41, 42]);
  pageServer.close();
});
