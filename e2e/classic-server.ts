/**
 * A stand-in for the original stage-3 server (Sails), for compatibility tests: written from the
 * contract's facts in TOOLCHAIN.md, with its quirks, and nothing of ours.
 *
 * - It ignores `client_id` (unknown fields are dropped) and hands out no edit tokens; anyone may
 *   change or delete any review.
 * - A query-string favorite PUT stores and returns `is_favorite` as the string "true"/"false";
 *   seeded restaurants have booleans or no field at all.
 * - POST answers 201; a body with no content type (text/plain) holding JSON is read as JSON; there
 *   is no validation at all (an empty POST creates a record).
 * - Seeded timestamps are epoch milliseconds, written ones ISO strings.
 * - CORS echoes the Origin; preflights allow six methods and the `content-type` header only.
 *
 * Run as a child process: `node --import tsx e2e/classic-server.ts` with PORT set. It keeps its
 * data in memory (a restart starts from the seed, as the original did with a fresh database).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { listeningLine } from '../server/listening';

type Row = Record<string, unknown> & { id: number };

const facts = JSON.parse(readFileSync(new URL('../server/seed/stage3-facts.json', import.meta.url), 'utf8')) as {
  restaurants: Row[];
  reviews: Row[];
};
const SEED_EPOCH_MS = 1_504_095_563_444;

const restaurants: Row[] = facts.restaurants.map((r) => ({
  ...r,
  photograph: String(r.id),
  createdAt: SEED_EPOCH_MS + r.id * 1000,
  updatedAt: SEED_EPOCH_MS + r.id * 1000,
  // As in the original seed: a boolean on some records, absent on the others.
  ...(r.id <= 3 ? { is_favorite: false } : {}),
}));
const reviews: Row[] = facts.reviews.map((r) => ({
  ...r,
  comments: `Classic review ${r.id}.`,
  createdAt: SEED_EPOCH_MS + r.id * 1000,
  updatedAt: SEED_EPOCH_MS + r.id * 1000,
}));
const REVIEW_FIELDS = ['restaurant_id', 'name', 'rating', 'comments'];

function send(response: ServerResponse, status: number, body?: unknown): void {
  response.statusCode = status;
  if (body === undefined) return void response.end();
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    // Parsed as JSON whatever the content type says, text/plain included.
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

function pick(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(REVIEW_FIELDS.filter((f) => f in body).map((f) => [f, body[f]]));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const origin = request.headers.origin;
  if (origin) response.setHeader('access-control-allow-origin', origin);
  if (request.method === 'OPTIONS') {
    response.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS, HEAD');
    response.setHeader('access-control-allow-headers', 'content-type');
    return send(response, 200);
  }
  const url = new URL(request.url ?? '/', 'http://classic');
  const path = url.pathname.replace(/\/+$/, '');
  const query = url.searchParams;
  let match: RegExpExecArray | null;

  if (path === '/restaurants' && request.method === 'GET') {
    let list = restaurants;
    for (const field of ['is_favorite', 'neighborhood', 'cuisine_type']) {
      const wanted = query.get(field);
      if (wanted !== null) list = list.filter((r) => String(r[field] ?? false) === wanted);
    }
    const skip = Number(query.get('skip') ?? 0);
    const limit = query.has('limit') ? Number(query.get('limit')) : list.length;
    return send(response, 200, list.slice(skip, skip + limit));
  }
  if ((match = /^\/restaurants\/(\d+)$/.exec(path))) {
    const restaurant = restaurants.find((r) => r.id === Number(match![1]));
    if (!restaurant) return send(response, 404, 'Not Found');
    if (request.method === 'PUT' && query.has('is_favorite')) {
      // The quirk clients depend on: stored and returned as the query string's text.
      restaurant['is_favorite'] = query.get('is_favorite');
      restaurant['updatedAt'] = new Date().toISOString();
    }
    return send(response, 200, restaurant);
  }
  if (path === '/reviews' && request.method === 'GET') {
    const id = query.get('restaurant_id');
    return send(response, 200, id === null ? reviews : reviews.filter((r) => String(r['restaurant_id']) === id));
  }
  if (path === '/reviews' && request.method === 'POST') {
    const now = new Date().toISOString();
    const review: Row = { ...pick(await readBody(request)), id: Math.max(0, ...reviews.map((r) => r.id)) + 1, createdAt: now, updatedAt: now };
    reviews.push(review);
    return send(response, 201, review);
  }
  if ((match = /^\/reviews\/(\d+)$/.exec(path))) {
    const index = reviews.findIndex((r) => r.id === Number(match![1]));
    if (index < 0) return send(response, 404, 'Not Found');
    if (request.method === 'PUT') {
      Object.assign(reviews[index], pick(await readBody(request)), { updatedAt: new Date().toISOString() });
    } else if (request.method === 'DELETE') {
      return send(response, 200, reviews.splice(index, 1)[0]);
    }
    return send(response, 200, reviews[index]);
  }
  return send(response, 404, 'Not Found');
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => send(response, 500, 'Server Error'));
});
// Every interface, IPv4 and IPv6, as Sails did: `localhost` then works whichever one a client picks.
server.listen(Number(process.env['PORT'] ?? 1337), () => {
  const address = server.address();
  process.stdout.write(listeningLine('classic server', `http://localhost:${typeof address === 'object' && address ? address.port : ''}`));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
