/**
 * fast-check arbitraries of hostile requests for every API route, each one INVALID BY
 * CONSTRUCTION: whatever else is generated, every request carries at least one "poison" that the
 * contract says must be refused, so the only correct answer is a 4xx and the database must not
 * change at all. This is what lets fuzz.test.ts compare the whole database before and after.
 *
 * The poisons, per route:
 * - GET    /restaurants[/]        a known query parameter with a bad value, or given twice
 * - GET    /reviews[/]            same (restaurant_id, limit, skip)
 * - GET    /restaurants|reviews/{id}  a malformed id, or one that does not exist
 * - PUT    /restaurants/{id}      a malformed or unknown id; or a bad `is_favorite` in the query;
 *                                 or no query value and a body without a valid `is_favorite`
 * - POST   /reviews[/]            a body missing a field, with a bad field, not an object, for an
 *                                 unknown restaurant, not JSON, not UTF-8, or of a wrong type
 * - PUT    /reviews/{id}          a review nobody may change (seed), or one of the test's own
 * - DELETE /reviews/{id}          reviews WITHOUT its token in the body or query (missing, wrong,
 *                                 another review's, a near miss); the right token may appear only
 *                                 where it does not count (headers, cookies)
 * Raw-byte poisons (invalid JSON, invalid UTF-8, unsupported content types) make any request
 * invalid, so those may be combined with an otherwise valid query or body.
 *
 * Two rules keep the poisons from being undone by the rest of the request:
 * - generated "noise" keys (query or body) are never names the API knows, so they cannot add a
 *   valid value for a poisoned field (a repeated query key would only turn it into an array,
 *   which is invalid too);
 * - no request carries a valid client_id: a POST with a stored client_id is a replay (200).
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';

export interface Targets {
  /** Restaurants 1..restaurantCount exist. */
  restaurantCount: number;
  /** Every review id that exists (GET of these answers 200, so only writes aim at them). */
  reviewIds: readonly number[];
  /** Reviews created by the test, with their real edit tokens. */
  owned: readonly { id: number; token: string }[];
}

/** The names of every query and body field the API reads. Noise never uses them. */
const KNOWN_NAMES = new Set([
  'is_favorite', 'neighborhood', 'cuisine_type', 'limit', 'skip', 'updated_since',
  'restaurant_id', 'name', 'rating', 'comments', 'client_id', 'edit_token',
]);
const MAX_ID = 999_999_999_999_999;
const ID_RULE = /^[1-9][0-9]{0,14}$/;
const COUNT_RULE = /^[0-9]{1,9}$/;
const UUID_RULE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const json = (value: unknown): string => JSON.stringify(value);
/** A JSON object's text from already-serialized values: allows raw fragments such as 1e400. */
const objectText = (entries: readonly (readonly [string, string])[]): string =>
  `{${entries.map(([key, raw]) => `${json(key)}:${raw}`).join(',')}}`;
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** What fast-querystring does to a key or value; undefined when it cannot be decoded. */
function queryDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
/** Any text, percent-encoded for a URL; `binary` code points include NUL, controls, emoji. */
const encodedText = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).map(encodeURIComponent);

// ---- Pieces of hostile input --------------------------------------------------------------

const hugeNumbers = ['1e400', '-1e400', '123456789012345678901234567890', '9007199254740993', '-0', '1e-400', '0.1e1'];
const sqlish = ["1; DROP TABLE reviews", "1 OR 1=1", "' OR '1'='1", '" UNION SELECT * FROM sqlite_master --'];
const markup = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '{{constructor.constructor("alert(1)")()}}'];

/** Values of any JSON type for noise fields, from the ordinary to the enormous. */
const noiseValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
  fc.constantFrom(...hugeNumbers),
  fc.constantFrom(...sqlish, ...markup).map(json),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1, max: 8_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.integer({ min: 1, max: 12_000 }).map((length) => `[${Array(length).fill('0').join(',')}]`),
  fc.integer({ min: 1_000, max: 70_000 }).map((length) => json('x'.repeat(length))),
);

const noiseKey: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty',
      'id', 'createdAt', 'updatedAt', 'is_admin', 'edit_token_hash', '', 'a'.repeat(1_000), '\u202e', '😀',
    ),
    fc.string({ unit: 'binary', maxLength: 12 }),
  )
  .filter((key) => !KNOWN_NAMES.has(key));

const bodyNoise = fc.array(fc.tuple(noiseKey, noiseValue), { maxLength: 4 });

/** Query noise: prototype-pollution shapes, arrays, odd encodings. Keys never decode to a known name. */
const queryNoise: fc.Arbitrary<string[]> = fc.array(
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          '__proto__', '__proto__[polluted]', 'constructor', 'constructor[prototype][polluted]',
          'constructor.prototype.polluted', 'prototype', 'toString', 'hasOwnProperty', 'a[]', 'a[0]',
          'a[b][c]', '', '%00', '%FF', '%E2%80%AE', 'x%5B%5D',
        ),
        encodedText(12),
      ),
      fc.oneof(
        fc.constantFrom('', '%', '%%', '%ZZ', '%FF', '%00', '%C0%AE', 'true', '1', '-1', 'x'.repeat(3_000)),
        fc.constantFrom(...sqlish, ...markup).map(encodeURIComponent),
        encodedText(40),
      ),
      fc.boolean(),
    )
    .filter(([key]) => !KNOWN_NAMES.has(queryDecode(key) ?? key))
    .map(([key, value, withValue]) => (withValue ? `${key}=${value}` : key)),
  { maxLength: 5 },
);

/** Path segments that can never name a record. */
const malformedId: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '-1', '0', '00', '01', '1e3', '0x10', '1.0', '1.5', '+1', '%201', '1%20', '%00', '1%00', '..%2f',
      '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%5c', '%5c', '%2F', '.%2e', '%252e%252e%252f',
      '1;DROP%20TABLE%20reviews', '1%20OR%201=1', "1'%20OR%20'1'='1", '%F0%9F%98%80', '%C3%A9', '%FF',
      '%E0%A4%A', '%', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '%7B%7D', '__proto__',
      'constructor', '1000000000000000', '9'.repeat(100), '9'.repeat(101), '9'.repeat(20_000),
      '1%0d%0aSet-Cookie:%20x=1', '\u00e9', '1\u00ff', '%D9%A1', '%EF%BC%91',
    ),
  },
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 40 })
    .filter((id) => !ID_RULE.test(id))
    .map(encodeURIComponent),
  fc.bigInt({ min: 10n ** 15n, max: 10n ** 40n }).map(String),
  fc.integer({ min: -1e9, max: 0 }).map(String),
);

const unknownId = (existing: readonly number[]) =>
  fc
    .oneof(fc.integer({ min: 1, max: 2 ** 31 }), fc.constant(MAX_ID))
    .filter((id) => !existing.includes(id))
    .map(String);

const slash = fc.constantFrom('', '/');

// ---- Query strings ------------------------------------------------------------------------

/** A value that is not the given text once decoded, or the key twice (an array). */
const repeated = (key: string) =>
  fc.tuple(encodedText(10), encodedText(10)).map(([a, b]) => `${key}=${a}&${key}=${b}`);

const badBoolean = (key: string) =>
  fc.oneof(
    fc
      .oneof(
        fc.constantFrom('', 'TRUE', 'True', 'FALSE', '1', '0', 'yes', 'on', 'null', 'true%20', '%20true', 'true%00', 'truefalse', '%74rue%21'),
        encodedText(20),
      )
      .filter((value) => !['true', 'false'].includes(queryDecode(value) ?? ''))
      .map((value) => `${key}=${value}`),
    repeated(key),
    fc.constant(`${key}[]=true`).map((text) => `${text}&${key}=maybe`),
  );

const badCount = (key: string) =>
  fc.oneof(
    fc
      .oneof(fc.constantFrom('', '-1', '1.5', '1e3', '0x10', '%201', '1234567890', 'abc', 'Infinity'), encodedText(12))
      .filter((value) => !COUNT_RULE.test(queryDecode(value) ?? ''))
      .map((value) => `${key}=${value}`),
    repeated(key),
  );

const badQueryId = (key: string) =>
  fc.oneof(
    malformedId.filter((id) => !ID_RULE.test(queryDecode(id) ?? '')).map((id) => `${key}=${id}`),
    repeated(key),
  );

/** Too long (over 200 characters), or given twice. Any other text is a valid (empty) filter. */
const badFilterText = (key: string) =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength: 201, maxLength: 600 }).map((text) => `${key}=${encodeURIComponent(text)}`),
    repeated(key),
  );

/** Letters other than T and Z can appear in neither epoch milliseconds nor ISO 8601. */
const badTimestamp = fc.oneof(
  fc
    .constantFrom('yesterday', '2024-05-01T12:00:00', '2024-13-01T00:00:00Z', '-1', '1.5', '1e12', '9'.repeat(16), 'x'.repeat(41), 'NaN', '', '%201', '0x10')
    .map((value) => `updated_since=${value}`),
  fc
    .tuple(encodedText(10), fc.constantFrom('a', 'q', 'Y', 'é', '%FF'), encodedText(10))
    .map(([a, letter, b]) => `updated_since=${a}${letter}${b}`),
  repeated('updated_since'),
);

/** A query string (without `?`): the poison, valid parameters and noise, in any order. */
function poisonedQuery(poison: fc.Arbitrary<string>, valid: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc
    .tuple(poison, valid, queryNoise)
    .chain(([bad, good, noise]) => {
      const parts = [bad, ...good, ...noise];
      return fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length });
    })
    .map((parts) => parts.join('&'));
}

const validRestaurantFilters = fc.subarray(['is_favorite=false', 'neighborhood=Manhattan', 'cuisine_type=Pizza', 'limit=5', 'skip=1', 'updated_since=0']);
const validReviewFilters = fc.subarray(['restaurant_id=1', 'limit=5', 'skip=0']);

// ---- Bodies -------------------------------------------------------------------------------

const REVIEW_FIELDS = ['restaurant_id', 'name', 'rating', 'comments'] as const;

const validReview = fc.record({
  restaurant_id: fc.constantFrom('1', '"2"', '10'),
  name: fc.constantFrom('Tess', "Ann-Marie O'Neil", 'Zoë', '李小龙').map(json),
  rating: fc.constantFrom('1', '3', '"5"'),
  comments: fc.constantFrom('Lovely dumplings.', 'Line one\nline two', '<b>bold</b> & "quoted"').map(json),
});

/** A string that holds at least one character the field refuses, wherever it sits. */
const withForbiddenChar = (forbidden: fc.Arbitrary<string>) =>
  fc.tuple(fc.string({ maxLength: 20 }), forbidden, fc.string({ maxLength: 20 })).map(([a, bad, b]) => json(a + bad + b));
const control = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
const nonStrings = fc.constantFrom('42', '0', 'true', 'false', 'null', '[]', '{}', '["a"]', '{"a":1}', ...hugeNumbers);
const BLANKS = [' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '\u2028', '\ufeff'];
const blank = fc.array(fc.constantFrom(...BLANKS), { maxLength: 30 }).map((chars) => json(chars.join('')));

const badFieldValue: Record<(typeof REVIEW_FIELDS)[number] | 'client_id', fc.Arbitrary<string>> = {
  restaurant_id: fc.oneof(
    fc.constantFrom('0', '-1', '1.5', '"abc"', '"1e3"', '"0x10"', '" 1"', '"01"', '"1 "', '""', '"١"', '"１"', '[1]', '{"id":1}'),
    nonStrings,
    fc.constantFrom(...sqlish).map(json),
    fc.string({ maxLength: 30 }).filter((text) => !ID_RULE.test(text)).map(json),
    fc.bigInt({ min: BigInt(MAX_ID) + 1n, max: 10n ** 30n }).map(String),
    fc.double({ noNaN: true }).filter((n) => !Number.isSafeInteger(n) || n < 1).map(json),
  ),
  name: fc.oneof(
    blank,
    fc.string({ unit: 'binary', minLength: 81, maxLength: 5_000 }).map(json),
    withForbiddenChar(fc.oneof(control, fc.constant('\u007f'), loneSurrogate)),
    nonStrings,
  ),
  rating: fc.oneof(
    fc.constantFrom('"2.5"', '"abc"', '""', '[5]', '{}', '"05"', '" 3"', '"3 "', '"٣"', '1e308', '-0'),
    nonStrings,
    fc.integer().filter((n) => n < 1 || n > 5).map(String),
    fc.double({ min: 1, max: 5, noNaN: true }).filter((n) => !Number.isInteger(n)).map(json),
    fc.string({ maxLength: 10 }).filter((text) => !/^[1-5]$/.test(text)).map(json),
  ),
  comments: fc.oneof(
    blank,
    fc.string({ unit: 'binary', minLength: 4_001, maxLength: 6_000 }).map(json),
    withForbiddenChar(fc.oneof(control.filter((c) => !'\t\n\r'.includes(c)), fc.constant('\u007f'), loneSurrogate)),
    nonStrings,
  ),
  client_id: fc.oneof(
    fc.constantFrom('"not-a-uuid"', '12345', '""', `"${'a'.repeat(65)}"`, '["0b4a2c7e-8f1d-4e6b-9a3c-5d2e1f0a9b8c"]'),
    fc.uuid().chain((uuid) =>
      fc.constantFrom(`${uuid}x`, ` ${uuid}`, `${uuid}\n`, `{${uuid}}`, uuid.replaceAll('-', ''), uuid.slice(1)).map(json),
    ),
    fc.string({ maxLength: 40 }).filter((text) => !UUID_RULE.test(text)).map(json),
  ),
};

/** The JSON text of a POST /reviews body that is an object, and must be refused. */
const poisonedReviewObject: fc.Arbitrary<string> = fc
  .tuple(
    validReview,
    bodyNoise,
    fc.oneof(
      fc.constantFrom(...REVIEW_FIELDS).map((field) => ({ field: field as string, raw: undefined as string | undefined })),
      ...(['restaurant_id', 'name', 'rating', 'comments', 'client_id'] as const).map((field) =>
        badFieldValue[field].map((raw) => ({ field: field as string, raw: raw as string | undefined })),
      ),
      // Valid in form, but no such restaurant: refused by the route, not by the schema.
      fc.integer({ min: 11, max: 2 ** 31 }).map((id) => ({ field: 'restaurant_id', raw: String(id) as string | undefined })),
    ),
  )
  .map(([base, noise, poison]) => {
    const fields = new Map<string, string>(Object.entries(base));
    if (poison.raw === undefined) fields.delete(poison.field);
    else fields.set(poison.field, poison.raw);
    return objectText([...fields, ...noise]);
  });

/** The JSON text of a POST /reviews body that must be refused: a poisoned object, or no object at all. */
const poisonedReviewText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: poisonedReviewObject },
  fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map(json),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
);

/** A PUT /restaurants/{id} body without a valid is_favorite (for requests without one in the query). */
const bodyWithoutFavorite: fc.Arbitrary<string> = fc.tuple(
  bodyNoise,
  fc.option(
    fc.oneof(
      fc.constantFrom('1', '0', '"TRUE"', '"True"', '"yes"', '"1"', 'null', '[]', '{}', '[true]', '"true "', '" false"', '{"value":true}'),
      fc.string({ maxLength: 10 }).filter((text) => !['true', 'false'].includes(text)).map(json),
    ),
  ),
).map(([noise, favorite]) => objectText(favorite === null ? noise : [...noise, ['is_favorite', favorite]]));

// ---- Edit tokens --------------------------------------------------------------------------

/** Tokens that are not `right`: absent, random, another review's, or a near miss of the right one. */
function wrongToken(targets: Targets, right: string | undefined): fc.Arbitrary<string> {
  const others = targets.owned.map((review) => review.token).filter((token) => token !== right);
  const nearMisses = right === undefined ? [] : [right.slice(0, -1), `${right}x`, ` ${right}`, `${right} `, right.toUpperCase(), right.toLowerCase(), right.repeat(2), `${right.slice(0, -1)}${right.endsWith('A') ? 'B' : 'A'}`];
  return fc
    .oneof(
      fc.constantFrom('', 'x', 'null', 'undefined', '0', ...others, ...nearMisses),
      fc.string({ minLength: 43, maxLength: 43, unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') }),
      fc.string({ unit: 'binary', maxLength: 200 }),
    )
    .filter((token) => token !== right);
}

interface ReviewTarget {
  id: string;
  /** The token that would work, to be kept out of the body and the query. */
  right?: string;
}

function reviewTarget(targets: Targets): fc.Arbitrary<ReviewTarget> {
  const owned = targets.owned.map((review) => ({ id: String(review.id), right: review.token }));
  const ownedIds = new Set(targets.owned.map((review) => review.id));
  const seeds = targets.reviewIds.filter((id) => !ownedIds.has(id)).map((id) => ({ id: String(id) }));
  return fc.oneof(
    fc.constantFrom(...owned),
    fc.constantFrom(...seeds),
    unknownId(targets.reviewIds).map((id) => ({ id })),
    malformedId.map((id) => ({ id })),
  );
}

/** A token in the body, the query, both, or only where it does not count. */
function tokenPlacement(targets: Targets, target: ReviewTarget) {
  const wrong = wrongToken(targets, target.right);
  const sideChannel = target.right ?? 'x';
  return fc.record({
    body: fc.option(fc.oneof(wrong.map(json), fc.constantFrom('7', 'null', '[]', '{}', `${json(sideChannel).slice(0, -1)}\\u0000"`))),
    query: fc.option(fc.oneof(wrong.map((token) => `edit_token=${encodeURIComponent(token)}`), repeated('edit_token'))),
    headers: fc.subarray([
      ['x-edit-token', sideChannel],
      ['authorization', `Bearer ${sideChannel}`],
      ['cookie', `edit_token=${sideChannel}`],
      ['x-http-method-override', 'GET'],
    ] as [string, string][]),
  });
}

/** Body of PUT /reviews/{id}: valid or invalid fields, any noise; the token decides. */
const reviewChanges = fc.tuple(
  fc.subarray(['rating', 'name', 'comments'] as const),
  fc.boolean(),
  bodyNoise,
).chain(([fields, broken, noise]) =>
  fc.tuple(
    ...fields.map((field) =>
      (broken ? badFieldValue[field] : validReview.map((review) => review[field])).map((raw) => [field, raw] as [string, string]),
    ),
  ).map((entries) => [...entries, ...noise]),
);

// ---- Content types and raw bytes -----------------------------------------------------------

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain;charset=UTF-8', 'APPLICATION/JSON'];
const WRONG_TYPES = [
  'text/xml', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/html',
  'application/javascript', 'image/png', 'application/json-patch+json', 'application/vnd.api+json',
  'application/jsonx', 'text/plainx', '*/*', 'application/*', 'application/json, text/xml', 'json',
];
const FORM = 'application/x-www-form-urlencoded';

/** Byte sequences that are not UTF-8: stray continuation bytes, overlong forms, surrogates, > U+10FFFF, cut-off sequences. */
const invalidUtf8: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(
    [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3, 0x28], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe], [0xff],
    [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xe9], [0xff, 0xfe],
  ).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => Buffer.from(bytes)).filter((bytes) => !isUtf8(bytes)),
);

/** Changes that always turn the text of a JSON object into something that is not JSON. */
const breakJson: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }).map((at) => (text: string) => text.slice(0, 1 + Math.floor(at * (text.length - 1)))),
  fc.constantFrom(',', '}', ']', 'x', '{}', ' 1', "'", ')').map((tail) => (text: string) => text + tail),
  fc.constantFrom('x', ',', ']', ")]}'\n", '\ufeff\ufeff', '/*c*/', '//\n').map((head) => (text: string) => head + text),
  fc.constant((text: string) => text.replaceAll('"', "'")),
  fc.constant((text: string) => `${text.slice(0, -1)},}`),
  fc.constant((text: string) => `${text.slice(0, -1)},"x":NaN}`),
  fc.constant((text: string) => `${text.slice(0, -1)},"x":undefined}`),
  fc.constantFrom('01', '1.', '.5', '+1', '0x10', '"\\x"', '"\\u12"', '"a\u0001b"', '"unterminated', "'single'").map(
    (value) => (text: string) => `${text.slice(0, -1)},"x":${value}}`,
  ),
);

// ---- Requests -----------------------------------------------------------------------------

const noBody = fc.constant<Pick<RawRequest, 'headers' | 'body'>>({});
const jsonBody = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.constantFrom(...JSON_TYPES)).map(([body, type]) => ({ headers: { 'content-type': type }, body: utf8(body) }));

/** Any body, for requests whose path or query already makes them invalid (GETs ignore bodies). */
const anyBody = fc.oneof(
  { weight: 3, arbitrary: noBody },
  jsonBody(fc.oneof(poisonedReviewText, validReview.map((review) => objectText(Object.entries(review))))),
  fc.constantFrom(...WRONG_TYPES).map((type) => ({ headers: { 'content-type': type }, body: utf8('<x/>') })),
);

/**
 * Requests whose PATH is the poison: a malformed id or an unknown one, on every route, with and
 * without a trailing slash, with noise in the query and any body.
 */
export function oddIdRequests(targets: Targets): fc.Arbitrary<RawRequest> {
  const restaurants = Array.from({ length: targets.restaurantCount }, (_, i) => i + 1);
  const route = fc.oneof(
    fc.tuple(fc.constantFrom('GET', 'HEAD', 'PUT'), fc.constant('/restaurants/'), fc.oneof(malformedId, unknownId(restaurants))),
    fc.tuple(fc.constantFrom('GET', 'HEAD'), fc.constant('/reviews/'), fc.oneof(malformedId, unknownId(targets.reviewIds))),
    fc.tuple(fc.constantFrom('PUT', 'DELETE'), fc.constant('/reviews/'), fc.oneof(malformedId, unknownId(targets.reviewIds))),
    // Methods the route does not have, and methods nobody has.
    fc.tuple(fc.constantFrom('POST', 'PATCH', 'DELETE', 'PROPFIND', 'FOO'), fc.constant('/restaurants/'), fc.constantFrom('1', '2', '10')),
    fc.tuple(fc.constantFrom('POST', 'PATCH', 'SEARCH'), fc.constant('/reviews/'), fc.constantFrom(...targets.reviewIds.map(String))),
  );
  return fc.tuple(route, slash, queryNoise, anyBody).map(([[method, prefix, id], trail, noise, body]) => ({
    method,
    path: `${prefix}${id}${trail}${noise.length > 0 ? `?${noise.join('&')}` : ''}`,
    ...body,
  }));
}

/** Requests whose QUERY is the poison (or whose token is wrong), with noise around it. */
export function oddQueryRequests(targets: Targets): fc.Arbitrary<RawRequest> {
  const restaurantListPoison = fc.oneof(
    badBoolean('is_favorite'), badFilterText('neighborhood'), badFilterText('cuisine_type'),
    badCount('limit'), badCount('skip'), badTimestamp,
  );
  const reviewListPoison = fc.oneof(badQueryId('restaurant_id'), badCount('limit'), badCount('skip'));
  const restaurantId = fc.integer({ min: 1, max: targets.restaurantCount });
  return fc.oneof(
    fc.tuple(fc.constantFrom('GET', 'HEAD'), fc.constantFrom('/restaurants', '/restaurants/'), poisonedQuery(restaurantListPoison, validRestaurantFilters), anyBody)
      .map(([method, path, query, body]) => ({ method, path: `${path}?${query}`, ...body })),
    fc.tuple(fc.constantFrom('GET', 'HEAD'), fc.constantFrom('/reviews', '/reviews/'), poisonedQuery(reviewListPoison, validReviewFilters), anyBody)
      .map(([method, path, query, body]) => ({ method, path: `${path}?${query}`, ...body })),
    // A bad is_favorite in the query refuses the request whatever the body says.
    fc.tuple(restaurantId, slash, poisonedQuery(badBoolean('is_favorite'), fc.constant([])), fc.oneof(noBody, jsonBody(fc.constantFrom('{"is_favorite":true}', '{}'))))
      .map(([id, trail, query, body]) => ({ method: 'PUT', path: `/restaurants/${id}${trail}?${query}`, ...body })),
    reviewTarget(targets).chain((target) =>
      fc.tuple(fc.constantFrom('PUT', 'DELETE'), slash, wrongToken(targets, target.right), queryNoise).map(([method, trail, token, noise]) => ({
        method,
        path: `/reviews/${target.id}${trail}?${[`edit_token=${encodeURIComponent(token)}`, ...noise].join('&')}`,
      })),
    ),
  );
}

/** Requests whose JSON BODY (or its content type) is the poison. */
export function hostileBodyRequests(targets: Targets): fc.Arbitrary<RawRequest> {
  const restaurantId = fc.integer({ min: 1, max: targets.restaurantCount });
  const wrongType = fc.tuple(fc.option(fc.constantFrom(...WRONG_TYPES), { nil: undefined }), fc.oneof(poisonedReviewText, fc.constant('{"is_favorite":true}')))
    .map(([type, body]): Pick<RawRequest, 'headers' | 'body'> => ({ headers: type === undefined ? {} : { 'content-type': type }, body: utf8(body) }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('/reviews', '/reviews/'), jsonBody(poisonedReviewText)).map(([path, body]) => ({ method: 'POST', path, ...body })) },
    fc.tuple(fc.constantFrom('/reviews', '/reviews/'), wrongType).map(([path, body]) => ({ method: 'POST', path, ...body })),
    // No is_favorite in the query, none that is valid in the body.
    fc.tuple(restaurantId, slash, queryNoise, fc.oneof(noBody, jsonBody(bodyWithoutFavorite), jsonBody(poisonedReviewText)))
      .map(([id, trail, noise, body]) => ({ method: 'PUT', path: `/restaurants/${id}${trail}${noise.length > 0 ? `?${noise.join('&')}` : ''}`, ...body })),
    // A valid favorite in the query, but a body of a type nobody parses.
    fc.tuple(restaurantId, wrongType).map(([id, body]) => ({ method: 'PUT', path: `/restaurants/${id}?is_favorite=true`, ...body })),
    reviewTarget(targets).chain((target) =>
      fc.tuple(fc.constantFrom('PUT', 'DELETE'), slash, tokenPlacement(targets, target), reviewChanges, fc.constantFrom(...JSON_TYPES)).map(
        ([method, trail, token, changes, type]) => {
          const entries: [string, string][] = token.body === null ? changes : [...changes, ['edit_token', token.body]];
          return {
            method,
            path: `/reviews/${target.id}${trail}${token.query === null ? '' : `?${token.query}`}`,
            headers: { ...Object.fromEntries(token.headers), 'content-type': type },
            body: utf8(objectText(entries)),
          };
        },
      ),
    ),
  );
}

/** Requests whose BYTES are the poison: not JSON, not UTF-8; and hostile HTML forms. */
export function hostileByteRequests(targets: Targets): fc.Arbitrary<RawRequest> {
  const restaurantId = fc.integer({ min: 1, max: targets.restaurantCount });
  // Any write route, with an otherwise VALID query: the body alone must refuse the request.
  const writeRoute = fc.oneof(
    fc.constantFrom('/reviews', '/reviews/').map((path) => ({ method: 'POST', path })),
    restaurantId.map((id) => ({ method: 'PUT', path: `/restaurants/${id}?is_favorite=true` })),
    fc.tuple(fc.constantFrom(...targets.owned), fc.constantFrom('PUT', 'DELETE')).map(([review, method]) => ({ method, path: `/reviews/${review.id}` })),
  );
  const validReviewText = validReview.map((review) => objectText(Object.entries(review)));

  // A valid review (or favorite) with bytes that are not UTF-8 in the middle of one of its strings.
  const notUtf8 = fc.tuple(writeRoute, invalidUtf8, fc.constantFrom('name', 'comments', 'note'), fc.constantFrom(...JSON_TYPES)).map(
    ([route, bytes, field, type]) => {
      const fields = route.method === 'POST'
        ? { note: 'abcd', restaurant_id: 1, name: 'Tess', rating: 3, comments: 'Fine.' }
        : { note: 'abcd', is_favorite: true, name: 'Tess', comments: 'Fine.' };
      const text = json(fields);
      const marker = `"${field}":"`;
      const at = text.indexOf(marker) + marker.length + 2;
      return { ...route, headers: { 'content-type': type }, body: Buffer.concat([utf8(text.slice(0, at)), bytes, utf8(text.slice(at))]) };
    },
  );

  // breakJson is only sure to break the text of an object (a prefix of "42" is still JSON).
  const notJson = fc.tuple(writeRoute, fc.oneof(validReviewText, poisonedReviewObject), breakJson, fc.constantFrom(...JSON_TYPES)).map(
    ([route, text, breaker, type]) => ({ ...route, headers: { 'content-type': type }, body: utf8(breaker(text)) }),
  );

  // HTML forms: every value is a string; the poison is a missing or bad field, or bad encoding.
  const formPoison = fc.oneof(
    fc.constantFrom(...REVIEW_FIELDS).map((field) => ({ field, value: undefined as string | undefined })),
    fc.constantFrom(
      ['restaurant_id', '0'], ['restaurant_id', '-1'], ['restaurant_id', 'x'], ['restaurant_id', ''], ['restaurant_id', '1.5'],
      ['restaurant_id', '99999'], ['restaurant_id', '1; DROP TABLE reviews'], ['name', ''], ['name', ' '], ['name', 'a\nb'],
      ['name', 'a\u0000'], ['name', 'n'.repeat(81)], ['rating', '0'], ['rating', '6'], ['rating', '2.5'], ['rating', ''],
      ['rating', 'x'], ['rating', '05'], ['comments', ''], ['comments', '  '], ['comments', 'c'.repeat(4_001)],
      ['comments', '\u0001'], ['client_id', 'x'], ['client_id', '0b4a2c7e-8f1d-4e6b-9a3c-5d2e1f0a9b8cx'],
    ).map(([field, value]) => ({ field: field as string, value: value as string | undefined })),
  );
  const form = fc.oneof(
    fc.tuple(fc.constantFrom('/reviews', '/reviews/'), formPoison, fc.array(fc.tuple(noiseKey, fc.string({ maxLength: 20 })), { maxLength: 3 })).map(
      ([path, poison, noise]) => {
        const fields = new Map<string, string>([['restaurant_id', '1'], ['name', 'Tess'], ['rating', '4'], ['comments', 'Form post']]);
        if (poison.value === undefined) fields.delete(poison.field);
        else fields.set(poison.field, poison.value);
        return { method: 'POST', path, headers: { 'content-type': FORM }, body: utf8(new URLSearchParams([...fields, ...noise]).toString()) };
      },
    ),
    // A valid form whose percent-encoding decodes to bytes that are not UTF-8.
    fc.tuple(writeRoute, invalidUtf8).map(([route, bytes]) => {
      const encoded = [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
      const text = route.method === 'POST' ? `restaurant_id=1&name=Te${encoded}ss&rating=4&comments=Form` : `note=${encoded}&is_favorite=true`;
      return { ...route, headers: { 'content-type': FORM }, body: utf8(text) };
    }),
    // Junk that can never spell all four required field names.
    fc.tuple(fc.constantFrom('/reviews', '/reviews/'), fc.array(fc.constantFrom('%', '&', '=', '+', 'a', '1', '%FF', '%ZZ', '%00', '__proto__', 'constructor', '[]'), { maxLength: 30 }))
      .map(([path, parts]) => ({ method: 'POST', path, headers: { 'content-type': FORM }, body: utf8(parts.join('')) })),
    // Forms for the other writes: no valid favorite; a wrong token.
    fc.tuple(restaurantId, fc.constantFrom('', 'is_favorite=1', 'is_favorite=TRUE', 'is_favorite=yes', 'is_favorite=', 'x=true'))
      .map(([id, text]) => ({ method: 'PUT', path: `/restaurants/${id}`, headers: { 'content-type': FORM }, body: utf8(text) })),
    reviewTarget(targets).chain((target) =>
      fc.tuple(fc.constantFrom('PUT', 'DELETE'), wrongToken(targets, target.right)).map(([method, token]) => ({
        method,
        path: `/reviews/${target.id}`,
        headers: { 'content-type': FORM },
        body: utf8(new URLSearchParams({ edit_token: token, rating: '5' }).toString()),
      })),
    ),
  );

  return fc.oneof(notUtf8, notJson, form);
}

/** Writes of every kind, valid or not, for a server whose write allowance is used up. */
export function anyWriteRequests(targets: Targets): fc.Arbitrary<RawRequest> {
  return fc.oneof(hostileBodyRequests(targets), hostileByteRequests(targets)).filter((req) => req.method !== 'GET' && req.method !== 'HEAD');
}

/** GET /restaurants and /reviews with noise only: must be ignored (no poison here). */
export function noiseOnlyQueries(): fc.Arbitrary<{ path: string; noise: string }> {
  return fc.tuple(fc.constantFrom('/restaurants', '/restaurants/', '/reviews', '/reviews/', '/reviews/?restaurant_id=2', '/restaurants?is_favorite=false'), queryNoise.filter((noise) => noise.length > 0))
    .map(([path, noise]) => ({ path, noise: noise.join('&') }));
}
