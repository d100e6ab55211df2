/**
 * Property-based fuzzing of every route over real HTTP, against a real SQLite file.
 *
 * More than a thousand generated requests, each invalid by construction (hostile-requests.ts
 * says how), must each be answered with a 4xx in the one error shape: never a 5xx, never
 * silence (5 s per request). Since none of them may write anything, the database file must be
 * exactly what it was before, every row of every table, and still pass SQLite's own checks.
 * The server runs in this process, so a request that polluted a prototype would show here too.
 *
 * fast-check runs with a fixed seed: a failure prints the seed, the path to the smallest
 * counterexample found, and that request. FUZZ_SEED=<n> tries other requests.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { checkConsistency, snapshotDatabase } from './db-snapshot.ts';
import { type TestServer, call, review, startServer } from './helpers.ts';
import {
  type Targets,
  anyWriteRequests,
  hostileBodyRequests,
  hostileByteRequests,
  noiseOnlyQueries,
  oddIdRequests,
  oddQueryRequests,
} from './hostile-requests.ts';
import { type RawAnswer, type RawRequest, errorShapeProblem, sendRaw } from './raw-http.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_611);
/** Runs per property; the refused ones add up to more than 1,000 requests. */
const RUNS = { ids: 400, queries: 350, bodies: 400, bytes: 400, overLimit: 100, noiseOnly: 80 };
const MIN_REFUSED = 1_000;

function describeRequest(req: RawRequest): string {
  const body = req.body === undefined ? '' : ` body(${req.body.length}) ${req.body.toString('latin1').slice(0, 300)}`;
  return `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers ?? {})}${body}`;
}

/** A 4xx in the error shape; HEAD answers have no body, so only their type is checked. */
function assertRefused(req: RawRequest, answer: RawAnswer): void {
  const context = `${describeRequest(req)}\n→ ${answer.status} ${answer.text.slice(0, 300)}`;
  assert.ok(answer.status >= 400 && answer.status < 500, `expected a 4xx: ${context}`);
  if (req.method === 'HEAD') {
    assert.match(String(answer.headers['content-type']), /^application\/json/, context);
    return;
  }
  const problem = errorShapeProblem(answer);
  assert.equal(problem, undefined, `${problem}: ${context}`);
}

function prototypeKeys(): string {
  return JSON.stringify(
    [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) =>
      Object.getOwnPropertyNames(proto).sort(),
    ),
  );
}

describe('generated hostile requests on every route', () => {
  const prototypesBefore = prototypeKeys();
  let server: TestServer;
  let targets: Targets;
  let databaseBefore: string;
  /** How many of the refused requests got each status: shows the generators reach every kind of refusal. */
  const statuses = new Map<number, number>();

  before(async () => {
    // A write allowance no test run can use up: a 429 must never hide a validation answer.
    server = await startServer({ rateLimitMax: 1_000_000_000 });
    const owned = [];
    for (const comments of ['First own review', 'Second own review', 'Third own review']) {
      const created = await call(server.url, '/reviews/', { method: 'POST', json: review({ comments, client_id: randomUUID() }) });
      assert.equal(created.status, 201);
      owned.push({ id: created.body.id as number, token: created.body.edit_token as string });
    }
    const reviews = await call(server.url, '/reviews/');
    targets = {
      restaurantCount: (await call(server.url, '/restaurants')).body.length,
      reviewIds: reviews.body.map((r: { id: number }) => r.id),
      owned,
    };
    databaseBefore = snapshotDatabase(server.dbFile);
  });
  after(() => server.stop());

  async function expectRefused(req: RawRequest): Promise<void> {
    const answer = await sendRaw(server.url, req);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    assertRefused(req, answer);
  }
  const check = (arbitrary: fc.Arbitrary<RawRequest>, numRuns: number) =>
    fc.assert(fc.asyncProperty(arbitrary, expectRefused), { seed: SEED, numRuns });

  it(`refuses odd ids and methods on every route (${RUNS.ids} requests)`, async () => {
    await check(oddIdRequests(targets), RUNS.ids);
  });

  it(`refuses odd query strings, with prototype-pollution keys and arrays around the fault (${RUNS.queries} requests)`, async () => {
    await check(oddQueryRequests(targets), RUNS.queries);
  });

  it(`refuses hostile JSON bodies, wrong content types and wrong edit tokens (${RUNS.bodies} requests)`, async () => {
    await check(hostileBodyRequests(targets), RUNS.bodies);
  });

  it(`refuses bodies that are not JSON or not UTF-8, and hostile forms (${RUNS.bytes} requests)`, async () => {
    await check(hostileByteRequests(targets), RUNS.bytes);
  });

  it(`ignores unknown query parameters, whatever their shape (${RUNS.noiseOnly} requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(noiseOnlyQueries(), async ({ path, noise }) => {
        const plain = await sendRaw(server.url, { method: 'GET', path });
        const noisy = await sendRaw(server.url, { method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}${noise}` });
        assert.equal(plain.status, 200);
        assert.equal(noisy.status, 200, `${noise} → ${noisy.text.slice(0, 300)}`);
        assert.equal(noisy.text, plain.text);
      }),
      { seed: SEED, numRuns: RUNS.noiseOnly },
    );
  });

  it(`sent at least ${MIN_REFUSED} refused requests, and none of them changed anything`, (t) => {
    const refused = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    t.diagnostic(`${refused} requests refused; by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    assert.ok(refused >= MIN_REFUSED, `only ${refused} requests`);
    assert.equal(snapshotDatabase(server.dbFile), databaseBefore, 'every table is exactly as before');
    assert.deepEqual(checkConsistency(server.dbFile), { integrity: ['ok'], foreignKeyViolations: [] });
    assert.equal(prototypeKeys(), prototypesBefore, 'no prototype gained a property');
  });
});

describe('generated writes from a client over its write allowance', () => {
  let server: TestServer;
  let targets: Targets;
  let databaseBefore: string;
  const statuses = new Map<number, number>();

  before(async () => {
    server = await startServer({ rateLimitMax: 1, rateLimitWindowMs: 60_000 });
    const created = await call(server.url, '/reviews/', { method: 'POST', json: review() });
    assert.equal(created.status, 201, 'the one allowed write');
    const reviews = await call(server.url, '/reviews/');
    targets = {
      restaurantCount: 10,
      reviewIds: reviews.body.map((r: { id: number }) => r.id),
      owned: [{ id: created.body.id, token: created.body.edit_token }],
    };
    databaseBefore = snapshotDatabase(server.dbFile);
  });
  after(() => server.stop());

  it(`answers 429 in the error shape with Retry-After, or refuses earlier (${RUNS.overLimit} requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(anyWriteRequests(targets), async (req) => {
        const answer = await sendRaw(server.url, req);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        assertRefused(req, answer);
        if (answer.status === 429) {
          assert.match(String(answer.headers['retry-after']), /^[1-9][0-9]*$/, 'whole seconds, at least 1');
        }
      }),
      { seed: SEED, numRuns: RUNS.overLimit },
    );
    // Bodies that cannot be parsed are refused before the limiter (400, 413, 415); the rest get 429.
    assert.ok((statuses.get(429) ?? 0) > RUNS.overLimit / 4, `statuses: ${JSON.stringify([...statuses])}`);
    assert.equal(snapshotDatabase(server.dbFile), databaseBefore);
  });
});
