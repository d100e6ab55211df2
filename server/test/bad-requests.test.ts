/**
 * Every refused request gets a clear 4xx in the one error shape, names the field at fault, and
 * changes nothing: the whole API is compared before and after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REVIEW_LIMITS } from '../../src/shared/api.ts';
import { FORBIDDEN_MESSAGE } from '../routes/reviews.ts';
import { type TestServer, call, review, snapshot, startServer } from './helpers.ts';

interface BadRequest {
  name: string;
  method?: string;
  path: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is. */
  body?: string;
  headers?: Record<string, string>;
  status: number;
  field?: string;
  /** Part of the message that explains the problem. */
  message: string | RegExp;
}

const RATING_RULE = 'rating must be an integer from 1 to 5';
const NOT_AN_OBJECT = 'Request body must be a JSON object';

const badReviewBodies: BadRequest[] = [
  { name: 'restaurant_id missing', json: { name: 'A', rating: 3, comments: 'c' }, field: 'restaurant_id', message: 'restaurant_id is required' },
  { name: 'name missing', json: { restaurant_id: 1, rating: 3, comments: 'c' }, field: 'name', message: 'name is required' },
  { name: 'rating missing', json: { restaurant_id: 1, name: 'A', comments: 'c' }, field: 'rating', message: 'rating is required' },
  { name: 'comments missing', json: { restaurant_id: 1, name: 'A', rating: 3 }, field: 'comments', message: 'comments is required' },
  { name: 'rating 0', json: review({ rating: 0 }), field: 'rating', message: RATING_RULE },
  { name: 'rating 6', json: review({ rating: 6 }), field: 'rating', message: RATING_RULE },
  { name: 'rating 2.5', json: review({ rating: 2.5 }), field: 'rating', message: RATING_RULE },
  { name: 'rating "2.5"', json: review({ rating: '2.5' }), field: 'rating', message: RATING_RULE },
  { name: 'rating "abc"', json: review({ rating: 'abc' }), field: 'rating', message: RATING_RULE },
  { name: 'rating true', json: review({ rating: true }), field: 'rating', message: RATING_RULE },
  { name: 'rating [5]', json: review({ rating: [5] }), field: 'rating', message: RATING_RULE },
  { name: 'rating null', json: review({ rating: null }), field: 'rating', message: RATING_RULE },
  { name: 'name only spaces', json: review({ name: '   ' }), field: 'name', message: /^name must be text/ },
  { name: 'name empty', json: review({ name: '' }), field: 'name', message: /^name must be text/ },
  { name: 'name too long', json: review({ name: 'x'.repeat(REVIEW_LIMITS.nameMaxLength + 1) }), field: 'name', message: `name must be text of 1 to ${REVIEW_LIMITS.nameMaxLength} characters, on one line, not only spaces` },
  { name: 'name an object', json: review({ name: { first: 'A' } }), field: 'name', message: /^name must be text/ },
  { name: 'name a number', json: review({ name: 42 }), field: 'name', message: /^name must be text/ },
  { name: 'name with a NUL byte', json: review({ name: 'Ann\u0000' }), field: 'name', message: /^name must be text/ },
  { name: 'name on two lines', json: review({ name: 'Ann\nBob' }), field: 'name', message: /^name must be text/ },
  { name: 'comments empty', json: review({ comments: '' }), field: 'comments', message: /^comments must be text/ },
  { name: 'comments only whitespace', json: review({ comments: ' \n\t ' }), field: 'comments', message: /^comments must be text/ },
  { name: 'comments too long', json: review({ comments: 'y'.repeat(REVIEW_LIMITS.commentsMaxLength + 1) }), field: 'comments', message: /^comments must be text of 1 to 4000/ },
  { name: 'comments with a lone surrogate', json: review({ comments: 'broken \ud800 text' }), field: 'comments', message: /^comments must be text/ },
  { name: 'comments an array', json: review({ comments: ['a', 'b'] }), field: 'comments', message: /^comments must be text/ },
  { name: 'restaurant_id that does not exist', json: review({ restaurant_id: 99 }), field: 'restaurant_id', message: 'Restaurant 99 does not exist' },
  { name: 'restaurant_id negative', json: review({ restaurant_id: -1 }), field: 'restaurant_id', message: 'restaurant_id must be a positive integer' },
  { name: 'restaurant_id "abc"', json: review({ restaurant_id: 'abc' }), field: 'restaurant_id', message: 'restaurant_id must be a positive integer' },
  { name: 'restaurant_id 1.5', json: review({ restaurant_id: 1.5 }), field: 'restaurant_id', message: 'restaurant_id must be a positive integer' },
  { name: 'restaurant_id SQL', json: review({ restaurant_id: '1; DROP TABLE reviews' }), field: 'restaurant_id', message: 'restaurant_id must be a positive integer' },
  { name: 'client_id not a UUID', json: review({ client_id: 'not-a-uuid' }), field: 'client_id', message: /^client_id must be a UUID/ },
  { name: 'client_id a number', json: review({ client_id: 12345 }), field: 'client_id', message: /^client_id must be a UUID/ },
  { name: 'client_id too long', json: review({ client_id: `${'a'.repeat(60)}-0000-0000-0000-000000000000` }), field: 'client_id', message: /^client_id must be a UUID/ },
].map((test) => ({ ...test, method: 'POST', path: '/reviews/', status: 400 }));

const badBodies: BadRequest[] = [
  { name: 'body is an array', method: 'POST', path: '/reviews/', json: [review()], status: 400, message: NOT_AN_OBJECT },
  { name: 'body is a JSON string', method: 'POST', path: '/reviews/', json: 'hello', status: 400, message: NOT_AN_OBJECT },
  { name: 'body is JSON null', method: 'POST', path: '/reviews/', body: 'null', headers: { 'content-type': 'application/json' }, status: 400, message: NOT_AN_OBJECT },
  { name: 'no body at all', method: 'POST', path: '/reviews/', status: 400, message: NOT_AN_OBJECT },
  { name: 'invalid JSON', method: 'POST', path: '/reviews/', body: '{"restaurant_id": 1,', headers: { 'content-type': 'application/json' }, status: 400, message: /not valid JSON/ },
  { name: 'invalid JSON as text/plain', method: 'POST', path: '/reviews/', body: "{name: 'single quotes'}", headers: { 'content-type': 'text/plain' }, status: 400, message: /not valid JSON/ },
  { name: '__proto__ poisoning', method: 'POST', path: '/reviews/', body: '{"__proto__": {"admin": true}, "restaurant_id": 1}', headers: { 'content-type': 'application/json' }, status: 400, message: /not valid JSON/ },
  { name: 'body over 64 KiB', method: 'POST', path: '/reviews/', json: review({ comments: 'z'.repeat(70_000) }), status: 413, message: 'Request body is larger than 65536 bytes' },
  { name: 'XML content type', method: 'POST', path: '/reviews/', body: '<review/>', headers: { 'content-type': 'application/xml' }, status: 415, message: /^Unsupported content type/ },
  { name: 'multipart content type', method: 'POST', path: '/reviews/', body: '--x\r\n\r\n--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, message: /^Unsupported content type/ },
];

const badPaths: BadRequest[] = [
  { name: 'restaurant id abc', path: '/restaurants/abc', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'restaurant id -1', path: '/restaurants/-1/', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'restaurant id 0', path: '/restaurants/0', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'restaurant id too large', path: '/restaurants/12345678901234567890', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'unknown restaurant', path: '/restaurants/99', status: 404, message: 'Restaurant 99 does not exist' },
  { name: 'review id abc', path: '/reviews/abc', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'unknown review', path: '/reviews/99999', status: 404, message: 'Review 99999 does not exist' },
  { name: 'limit negative', path: '/restaurants?limit=-1', status: 400, field: 'limit', message: 'limit must be a non-negative integer' },
  { name: 'skip not a number', path: '/restaurants?skip=abc', status: 400, field: 'skip', message: 'skip must be a non-negative integer' },
  { name: 'limit given twice', path: '/reviews/?limit=1&limit=2', status: 400, field: 'limit', message: 'limit must be a non-negative integer' },
  { name: 'is_favorite yes', path: '/restaurants?is_favorite=yes', status: 400, field: 'is_favorite', message: 'is_favorite must be true or false' },
  { name: 'updated_since not a date', path: '/restaurants?updated_since=yesterday', status: 400, field: 'updated_since', message: /^updated_since must be epoch milliseconds/ },
  { name: 'updated_since without a zone', path: '/restaurants?updated_since=2024-05-01T12:00:00', status: 400, field: 'updated_since', message: /^updated_since must be/ },
  { name: 'reviews of restaurant abc', path: '/reviews/?restaurant_id=abc', status: 400, field: 'restaurant_id', message: 'restaurant_id must be a positive integer' },
  { name: 'malformed percent-encoding', path: '/restaurants/%E0%A4%A', status: 400, message: /malformed/ },
  { name: 'unknown route', path: '/menus', status: 404, message: 'Nothing here: GET /menus' },
  { name: 'unknown API sub-route', path: '/restaurants/1/menu', status: 404, message: 'Nothing here: GET /restaurants/1/menu' },
];

const badWrites: BadRequest[] = [
  { name: 'favorite maybe', method: 'PUT', path: '/restaurants/1?is_favorite=maybe', status: 400, field: 'is_favorite', message: 'is_favorite must be true or false' },
  { name: 'favorite as a number in the body', method: 'PUT', path: '/restaurants/1', json: { is_favorite: 1 }, status: 400, field: 'is_favorite', message: 'is_favorite must be true or false' },
  { name: 'favorite missing', method: 'PUT', path: '/restaurants/1/', status: 400, field: 'is_favorite', message: /^is_favorite is required/ },
  { name: 'favorite of an unknown restaurant', method: 'PUT', path: '/restaurants/99/?is_favorite=true', status: 404, message: 'Restaurant 99 does not exist' },
  { name: 'favorite of restaurant abc', method: 'PUT', path: '/restaurants/abc?is_favorite=true', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'update of an unknown review', method: 'PUT', path: '/reviews/99999', json: { rating: 3, edit_token: 'x' }, status: 404, message: 'Review 99999 does not exist' },
  { name: 'update of a seed review', method: 'PUT', path: '/reviews/1', json: { rating: 1, edit_token: 'guess' }, status: 403, message: FORBIDDEN_MESSAGE },
  { name: 'delete of a seed review', method: 'DELETE', path: '/reviews/2', status: 403, message: FORBIDDEN_MESSAGE },
  { name: 'delete of review abc', method: 'DELETE', path: '/reviews/abc', status: 400, field: 'id', message: 'id must be a positive integer' },
  { name: 'delete of an unknown review', method: 'DELETE', path: '/reviews/99999?edit_token=x', status: 404, message: 'Review 99999 does not exist' },
  { name: 'edit_token a number', method: 'DELETE', path: '/reviews/3', json: { edit_token: 7 }, status: 400, field: 'edit_token', message: 'edit_token must be a string' },
  { name: 'POST to a review id', method: 'POST', path: '/reviews/3', json: review(), status: 404, message: 'Nothing here: POST /reviews/3' },
];

describe('bad requests', () => {
  let server: TestServer;
  let before_: string;
  /** A review this suite owns, to try bad updates on. */
  let owned: { id: number; edit_token: string };

  before(async () => {
    server = await startServer();
    owned = (await call(server.url, '/reviews/', { method: 'POST', json: review() })).body;
    badWrites.push(
      { name: 'update with rating 9', method: 'PUT', path: `/reviews/${owned.id}`, json: { rating: 9, edit_token: owned.edit_token }, status: 400, field: 'rating', message: RATING_RULE },
      { name: 'update with blank comments', method: 'PUT', path: `/reviews/${owned.id}`, json: { comments: '  ', edit_token: owned.edit_token }, status: 400, field: 'comments', message: /^comments must be text/ },
      { name: 'update with a wrong token', method: 'PUT', path: `/reviews/${owned.id}?edit_token=wrong`, json: { rating: 1 }, status: 403, message: FORBIDDEN_MESSAGE },
      { name: 'delete without a token', method: 'DELETE', path: `/reviews/${owned.id}`, status: 403, message: FORBIDDEN_MESSAGE },
    );
    before_ = await snapshot(server.url);
  });
  after(() => server.stop());

  const all = [...badReviewBodies, ...badBodies, ...badPaths];
  it('has at least 30 distinct bad requests', () => {
    assert.ok(all.length + badWrites.length >= 30);
    assert.equal(new Set(all.map((t) => t.name)).size, all.length);
  });

  // badWrites is completed in before(), so its cases run inside one test that reads it then.
  for (const test of all) {
    it(`${test.status} for ${test.name}`, () => expectRefused(server.url, test));
  }
  it('refuses bad writes (updates, deletes, favorites)', async (t) => {
    for (const test of badWrites) {
      await t.test(`${test.status} for ${test.name}`, () => expectRefused(server.url, test));
    }
  });

  it('left every restaurant and review unchanged', async () => {
    assert.equal(await snapshot(server.url), before_);
  });
});

async function expectRefused(base: string, test: BadRequest): Promise<void> {
  const answer = await call(base, test.path, {
    method: test.method ?? 'GET',
    json: test.json,
    body: test.body,
    headers: test.headers,
  });
  assert.equal(answer.status, test.status, `status of ${test.name}: ${answer.text.slice(0, 200)}`);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  const body = answer.body as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(body).filter((key) => !['error', 'message', 'field'].includes(key)),
    [],
    'only the error shape',
  );
  assert.equal(typeof body['error'], 'string');
  if (typeof test.message === 'string') assert.equal(body['message'], test.message);
  else assert.match(String(body['message']), test.message);
  assert.equal(body['field'], test.field);
}
