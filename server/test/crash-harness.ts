/**
 * "An acknowledged write is durable", tested by killing the server (SIGKILL) at a random point
 * of a burst of concurrent writes, over and over, on one SQLite file.
 *
 * Each iteration: (re)start the server on the file; compare what the file holds with what the
 * clients were told; then fire a burst of new reviews (with client_ids, some re-sent), favorite
 * toggles, edits and deletions; SIGKILL the server after a random number of acknowledgements
 * (plus 0-3 ms). The next iteration's restart is the recovery under test.
 *
 * The model keeps, for every review (by client_id) and every restaurant, the states it may be in.
 * A 2xx answer narrows that to exactly what the answer said: same id, same content, same
 * timestamps, and the edit token it handed out still matches. A request cut off by the kill
 * leaves two possibilities: not applied, or applied completely. Anything else (an acknowledged
 * write missing or older, a row half written, a client_id on two rows, a reused id, a row nobody
 * sent) fails the run. SQLite's integrity_check and foreign_key_check must pass at every restart,
 * and the server's own GET answers must match the file.
 *
 * What SIGKILL does not cover: the operating system survives it, so data written but not yet
 * fsynced still reaches the disk. That the fsync happens before the answer is checked
 * separately (server/stress/fsync-order.ts, with strace).
 */
import assert from 'node:assert/strict';
import { hashEditToken } from '../edit-token.ts';
import { checkConsistency, withDatabase } from './db-snapshot.ts';
import type { Launcher, ServerProcess } from './server-process.ts';
import { seededRandom } from '../seeded-random.ts';

export interface CrashRunOptions {
  iterations: number;
  seed: number;
  dbFile: string;
  launcher: Launcher;
  /** One line per iteration. */
  log?: (line: string) => void;
}

export interface CrashRunReport {
  seed: number;
  iterations: number;
  requests: number;
  acknowledged: number;
  /** Requests cut off by a kill (no answer): each may or may not have been applied. */
  cutOff: number;
  /** Of those, the ones found applied after the restart. */
  cutOffButApplied: number;
  /** Reviews in the file at the end, besides the seed. */
  reviewsStored: number;
  /** Acknowledgements received before each kill. */
  killPoints: number[];
  /** Wall time of a restart (launch until listening), median and max. */
  restartMs: { median: number; max: number };
}


// ---- The model --------------------------------------------------------------------------------

interface ReviewContent {
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
}

/** A review as the file holds it (server-written timestamps are epoch ms in the file). */
interface StoredReview extends ReviewContent {
  id: number;
  createdAt: number;
  updatedAt: number;
}

/** One state a record may be in: absent, or present with this content and these timestamps. */
type ReviewState =
  | { present: false }
  | { present: true; content: ReviewContent; id?: number; createdAt?: number; updatedAt?: number; updatedAfter?: number };

interface TrackedReview {
  clientId: string;
  /** What the POST sent; re-sent POSTs send the same. */
  posted: ReviewContent;
  token?: string;
  stored?: StoredReview;
  states: ReviewState[];
  /** A DELETE was sent: never re-send the POST (it would create the review again). */
  deleting: boolean;
  /** What happened to it, for failure messages: "3: POST 201 #744", "5: restart: absent"… */
  history: string[];
}

interface FavoriteState {
  isFavorite: boolean;
  updatedAt?: number;
  updatedAfter?: number;
}

interface TrackedRestaurant {
  id: number;
  isFavorite: boolean;
  updatedAt: number;
  states: FavoriteState[];
}

const exactly = (stored: StoredReview): ReviewState => ({
  present: true,
  content: contentOf(stored),
  id: stored.id,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
});

function contentOf(review: ReviewContent): ReviewContent {
  return { restaurant_id: review.restaurant_id, name: review.name, rating: review.rating, comments: review.comments };
}

interface ReviewRow {
  id: number;
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  client_id: string | null;
  edit_token_hash: Buffer | null;
  created_at: number;
  updated_at: number;
  created_iso: number;
  updated_iso: number;
}

interface RestaurantRow {
  id: number;
  is_favorite: number;
  updated_at: number;
  updated_iso: number;
}

// ---- The run ----------------------------------------------------------------------------------

export async function runCrashIterations(options: CrashRunOptions): Promise<CrashRunReport> {
  const { iterations, seed, dbFile, launcher } = options;
  const random = seededRandom(seed);
  const reviews = new Map<string, TrackedReview>();
  const restaurants = new Map<number, TrackedRestaurant>();
  /** Every id ever acknowledged, with its client_id: an id must never name another review. */
  const acknowledgedIds = new Map<number, string>();
  /** The seed reviews' rows, as first seen: nobody may change them. */
  let seedRows: string | undefined;
  /** The newest timestamp in the file at the last restart: new writes must be later. */
  let newestStored = 0;
  const report: CrashRunReport = {
    seed, iterations, requests: 0, acknowledged: 0, cutOff: 0, cutOffButApplied: 0, reviewsStored: 0, killPoints: [],
    restartMs: { median: 0, max: 0 },
  };
  const restartTimes: number[] = [];
  const fail = (iteration: number, message: string): never =>
    assert.fail(`crash run seed ${seed}, iteration ${iteration}: ${message}`);

  // Ids and names come from the seeded generator, so a seed replays the same run.
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const WORDS = ['crisp', 'smoky', 'slow', 'friendly', 'loud', 'perfect', 'salty', 'über', '美味', '🍜', 'again', 'never'];
  const sentence = () => Array.from({ length: 3 + Math.floor(random() * 12) }, () => pick(WORDS)).join(' ');

  /** Compares the file with the model; afterwards the model holds exactly what the file holds. */
  async function checkAfterRestart(iteration: number, server: ServerProcess): Promise<void> {
    const consistency = checkConsistency(dbFile);
    if (consistency.integrity.join() !== 'ok') fail(iteration, `integrity_check: ${consistency.integrity.join('; ')}`);
    if (consistency.foreignKeyViolations.length > 0) fail(iteration, `foreign keys: ${JSON.stringify(consistency.foreignKeyViolations)}`);

    const { rows, restaurantRows, duplicates, sequence } = withDatabase(dbFile, (db) => ({
      rows: db.prepare('SELECT * FROM reviews ORDER BY id').all() as ReviewRow[],
      restaurantRows: db.prepare('SELECT id, is_favorite, updated_at, updated_iso FROM restaurants ORDER BY id').all() as RestaurantRow[],
      duplicates: db.prepare('SELECT client_id, count(*) AS n FROM reviews WHERE client_id IS NOT NULL GROUP BY client_id HAVING n > 1').all(),
      sequence: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'reviews'").pluck().get() as number | undefined,
    }));
    if (duplicates.length > 0) fail(iteration, `a client_id on two rows: ${JSON.stringify(duplicates)}`);

    const seeds = JSON.stringify(rows.filter((row) => row.client_id === null));
    seedRows ??= seeds;
    if (seeds !== seedRows) fail(iteration, 'the seed reviews changed');

    const byClientId = new Map<string, ReviewRow>();
    for (const row of rows) {
      if (row.client_id === null) continue;
      const clientId = row.client_id.toLowerCase();
      if (!reviews.has(clientId)) fail(iteration, `a review nobody sent: ${JSON.stringify(row)}`);
      // A row is whole: a token hash of the right size, timestamps the server writes, in order.
      if (row.edit_token_hash?.length !== 32) fail(iteration, `review ${row.id} has no valid token hash`);
      if (row.created_iso !== 1 || row.updated_iso !== 1 || row.created_at > row.updated_at) {
        fail(iteration, `review ${row.id} has inconsistent timestamps`);
      }
      const owner = acknowledgedIds.get(row.id);
      if (owner !== undefined && owner !== clientId) fail(iteration, `id ${row.id} was reused for another review`);
      if (sequence === undefined || row.id > sequence) fail(iteration, `id ${row.id} is above the AUTOINCREMENT counter`);
      byClientId.set(clientId, row);
    }

    for (const review of reviews.values()) {
      const row = byClientId.get(review.clientId);
      const stored: StoredReview | undefined = row && {
        id: row.id, restaurant_id: row.restaurant_id, name: row.name, rating: row.rating, comments: row.comments,
        createdAt: row.created_at, updatedAt: row.updated_at,
      };
      if (!review.states.some((state) => matches(state, stored))) {
        fail(
          iteration,
          `review ${review.clientId} is ${JSON.stringify(stored ?? 'absent')}, expected one of ` +
            `${JSON.stringify(review.states)}; its history: ${review.history.slice(-12).join(', ')}`,
        );
      }
      if (stored && review.token !== undefined && !row?.edit_token_hash?.equals(hashEditToken(review.token))) {
        fail(iteration, `review ${review.clientId}: the acknowledged edit token no longer matches`);
      }
      if (stored && review.states.length > 1 && review.states.some((state) => !state.present)) report.cutOffButApplied++;
      const seen = `${iteration}: restart: ${stored ? `#${stored.id}` : 'absent'}`;
      if (review.history.at(-1)?.replace(/^\d+/, '') !== seen.replace(/^\d+/, '')) review.history.push(seen);
      review.stored = stored;
      review.states = [stored ? exactly(stored) : { present: false }];
    }

    for (const row of restaurantRows) {
      const tracked = restaurants.get(row.id);
      const isFavorite = row.is_favorite === 1;
      if (tracked && !tracked.states.some((state) => favoriteMatches(state, isFavorite, row.updated_at))) {
        fail(iteration, `restaurant ${row.id} is ${isFavorite} at ${row.updated_at}, expected one of ${JSON.stringify(tracked.states)}`);
      }
      restaurants.set(row.id, { id: row.id, isFavorite, updatedAt: row.updated_at, states: [{ isFavorite, updatedAt: row.updated_at }] });
    }

    // Server-written timestamps never repeat, even across crashes (delta sync relies on it).
    const written = [...rows, ...restaurantRows].filter((row) => row.updated_iso === 1).map((row) => row.updated_at);
    if (new Set(written).size !== written.length) fail(iteration, 'two writes share an updatedAt');
    newestStored = Math.max(0, ...rows.map((row) => row.updated_at), ...restaurantRows.map((row) => row.updated_at));

    // The restarted server answers from the same file.
    const listed = (await (await fetch(`${server.url}/reviews/`)).json()) as { id: number; comments: string; updatedAt: string | number }[];
    const fromFile = rows.map((row) => `${row.id}:${row.comments}:${row.updated_at}`);
    const fromApi = listed.map((r) => `${r.id}:${r.comments}:${typeof r.updatedAt === 'number' ? r.updatedAt : Date.parse(r.updatedAt)}`);
    assert.deepEqual(fromApi, fromFile, `seed ${seed}, iteration ${iteration}: GET /reviews/ differs from the file`);
    report.reviewsStored = byClientId.size;
  }

  /** Fires the burst; resolves once the server is dead and every request has settled. */
  async function burst(iteration: number, server: ServerProcess): Promise<void> {
    const requests: (() => Promise<void>)[] = [];
    let acknowledged = 0;
    let total = 0;
    const onAck = () => {
      acknowledged++;
      report.acknowledged++;
      if (acknowledged >= killAfter) killNow();
    };
    /** One request; undefined when cut off. A request must not hang while the server lives. */
    const send = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any } | undefined> => {
      report.requests++;
      try {
        const response = await fetch(server.url + path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const json = await response.json();
        if (response.status >= 300) fail(iteration, `${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
        return { status: response.status, json };
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        if (!killed) fail(iteration, `${method} ${path} failed while the server was alive: ${String(error)}`);
        report.cutOff++;
        return undefined;
      }
    };

    /** A write made after a restart is stamped later than everything stored before it. */
    const stampedAfterRestart = (json: { updatedAt: string }): number => {
      const updatedAt = Date.parse(json.updatedAt);
      if (!(updatedAt > newestStored)) fail(iteration, `a new write got updatedAt ${json.updatedAt}, not after ${newestStored}`);
      return updatedAt;
    };

    // New reviews, each with its own client_id.
    const fresh: TrackedReview[] = [];
    for (let i = 0, n = 30 + Math.floor(random() * 90); i < n; i++) {
      const posted = { restaurant_id: 1 + Math.floor(random() * 10), name: `Crash ${iteration}.${i}`, rating: 1 + Math.floor(random() * 5), comments: sentence() };
      const review: TrackedReview = {
        clientId: uuid(), posted, states: [{ present: false }, { present: true, content: posted }], deleting: false, history: [`${iteration}: POST`],
      };
      reviews.set(review.clientId, review);
      fresh.push(review);
    }
    // Re-sent POSTs (an outbox replaying): this burst's, and older ones, some in upper case.
    const resendable = [...reviews.values()].filter((review) => !review.deleting);
    const resent = Array.from({ length: Math.floor(random() * 12) }, () => pick(resendable));
    for (const review of resent) {
      review.history.push(`${iteration}: POST again`);
      // Cut off, a re-sent POST of a review that is not stored may still create it.
      if (!review.states.some((state) => state.present)) review.states.push({ present: true, content: review.posted });
    }
    for (const review of [...fresh, ...resent]) {
      total++;
      const clientId = random() < 0.3 ? review.clientId.toUpperCase() : review.clientId;
      requests.push(async () => {
        const answer = await send('POST', '/reviews/', { ...review.posted, client_id: clientId });
        if (!answer) return;
        const { status, json } = answer;
        review.history.push(`${iteration}: POST ${status} #${json.id}`);
        if (status === 201) {
          if (review.token !== undefined) fail(iteration, `a second 201 for client_id ${review.clientId}`);
          review.token = json.edit_token;
        }
        const createdAt = Date.parse(json.createdAt);
        const updatedAt = status === 201 ? stampedAfterRestart(json) : Date.parse(json.updatedAt);
        if (review.stored && review.stored.id !== json.id) fail(iteration, `client_id ${review.clientId} answered id ${json.id}, stored ${review.stored.id}`);
        const previous = acknowledgedIds.get(json.id);
        if (previous !== undefined && previous !== review.clientId) fail(iteration, `id ${json.id} given to two client_ids`);
        acknowledgedIds.set(json.id, review.clientId);
        // A replay answers with the stored review, possibly already edited: exact only for a 201.
        review.states = status === 201
          ? [{ present: true, content: review.posted, id: json.id, createdAt, updatedAt }]
          : review.states.filter((state) => state.present);
        onAck();
      });
    }

    // Edits and deletions of acknowledged reviews (only their author's token can do that).
    const owned = [...reviews.values()].filter((review) => review.token !== undefined && review.stored && !review.deleting && !resent.includes(review));
    const shuffled = owned.sort(() => random() - 0.5);
    for (const review of shuffled.slice(0, Math.floor(random() * 8))) {
      const stored = review.stored as StoredReview;
      const change = { rating: 1 + Math.floor(random() * 5), comments: `edited in ${iteration}: ${sentence()}` };
      const content = { ...contentOf(stored), ...change };
      review.states = [exactly(stored), { present: true, content, id: stored.id, createdAt: stored.createdAt, updatedAfter: stored.updatedAt }];
      review.history.push(`${iteration}: PUT`);
      total++;
      requests.push(async () => {
        const answer = await send('PUT', `/reviews/${stored.id}`, { ...change, edit_token: review.token });
        if (!answer) return;
        review.history.push(`${iteration}: PUT 200`);
        review.states = [{ present: true, content, id: stored.id, createdAt: stored.createdAt, updatedAt: stampedAfterRestart(answer.json) }];
        onAck();
      });
    }
    for (const review of shuffled.slice(8, 8 + Math.floor(random() * 5))) {
      const stored = review.stored as StoredReview;
      review.deleting = true;
      review.states = [exactly(stored), { present: false }];
      review.history.push(`${iteration}: DELETE`);
      total++;
      requests.push(async () => {
        const answer = await send('DELETE', `/reviews/${stored.id}?edit_token=${review.token}`);
        if (!answer) return;
        review.history.push(`${iteration}: DELETE 200`);
        review.states = [{ present: false }];
        onAck();
      });
    }

    // Favorite toggles: per restaurant a chain, each PUT sent once the previous one was answered.
    for (const restaurant of [...restaurants.values()].filter(() => random() < 0.6)) {
      const chain = 1 + Math.floor(random() * 4);
      const inQuery = random() < 0.5;
      total += chain;
      requests.push(async () => {
        let current: FavoriteState = { isFavorite: restaurant.isFavorite, updatedAt: restaurant.updatedAt };
        for (let i = 0; i < chain; i++) {
          const wish = !current.isFavorite;
          restaurant.states = [current, { isFavorite: wish, updatedAfter: current.updatedAt }];
          const answer = inQuery
            ? await send('PUT', `/restaurants/${restaurant.id}?is_favorite=${wish}`)
            : await send('PUT', `/restaurants/${restaurant.id}/`, { is_favorite: wish });
          if (!answer) return;
          current = { isFavorite: answer.json.is_favorite === 'true', updatedAt: stampedAfterRestart(answer.json) };
          if (current.isFavorite !== wish) fail(iteration, `restaurant ${restaurant.id} answered ${answer.json.is_favorite} to ${wish}`);
          restaurant.states = [current];
          onAck();
        }
      });
    }

    // Kill after a random number of acknowledgements (0: before any answer), plus 0-3 ms.
    const killAfter = Math.floor(random() * (total + 1));
    const extraDelayMs = Math.floor(random() * 4);
    let killed = false;
    let killing: Promise<void> | undefined;
    function killNow(): void {
      killing ??= new Promise<void>((resolve) => setTimeout(resolve, extraDelayMs)).then(async () => {
        killed = true;
        report.killPoints.push(acknowledged);
        await server.kill();
      });
    }
    if (killAfter === 0) killNow();
    const settled = Promise.all(requests.map((request) => request()));
    await settled;
    // Every request was answered before the kill point was reached: kill now.
    killNow();
    await killing;
    options.log?.(
      `iteration ${iteration}: ${total} writes, ${acknowledged} acknowledged before the kill` +
        ` (kill point ${killAfter} + ${extraDelayMs} ms)`,
    );
  }

  for (let iteration = 0; iteration <= iterations; iteration++) {
    const started = performance.now();
    const server = await launcher.launch(dbFile);
    restartTimes.push(performance.now() - started);
    try {
      await checkAfterRestart(iteration, server);
      // The last restart only checks.
      if (iteration < iterations) await burst(iteration, server);
    } finally {
      await server.kill();
    }
  }
  restartTimes.sort((a, b) => a - b);
  report.restartMs = {
    median: Math.round(restartTimes[Math.floor(restartTimes.length / 2)] ?? 0),
    max: Math.round(restartTimes[restartTimes.length - 1] ?? 0),
  };
  return report;
}

function matches(state: ReviewState, stored: StoredReview | undefined): boolean {
  if (!state.present) return stored === undefined;
  if (!stored) return false;
  if (JSON.stringify(contentOf(stored)) !== JSON.stringify(contentOf(state.content))) return false;
  if (state.id !== undefined && state.id !== stored.id) return false;
  if (state.createdAt !== undefined && state.createdAt !== stored.createdAt) return false;
  if (state.updatedAt !== undefined && state.updatedAt !== stored.updatedAt) return false;
  if (state.updatedAfter !== undefined && !(stored.updatedAt > state.updatedAfter)) return false;
  return true;
}

function favoriteMatches(state: FavoriteState, isFavorite: boolean, updatedAt: number): boolean {
  if (state.isFavorite !== isFavorite) return false;
  if (state.updatedAt !== undefined && state.updatedAt !== updatedAt) return false;
  if (state.updatedAfter !== undefined && !(updatedAt > state.updatedAfter)) return false;
  return true;
}
