/**
 * JSON schemas of every route's params, query, body and responses, and the wording of the
 * validation errors they produce.
 *
 * Validation runs with Ajv's type coercion switched off (see app.ts): Ajv would otherwise turn
 * `true` into 1 and `[5]` into 5 and accept them as ratings. The quirks the classic API must
 * accept are spelled out instead: numeric strings for ids and ratings (form posts), and
 * "true"/"false" strings for is_favorite. Query and path values are always strings, so their
 * schemas are patterns, converted to numbers by the routes.
 *
 * Unknown body fields are dropped, not refused (`additionalProperties: false` together with
 * Ajv's `removeAdditional`): classic clients send whole records back, with `id` or `createdAt`.
 *
 * These schemas are also the one source of the routes' request and reply types: Fastify's
 * json-schema-to-ts type provider (routes/restaurants.ts, `RoutePlugin`) infers them, so every
 * schema stays a literal `as const`, and `pattern`/`format` narrow nothing at compile time.
 */
import type { FastifyServerOptions } from 'fastify';
import { REVIEW_LIMITS, WEEKDAYS } from '../src/shared/api.ts';
import { REVIEW_BATCH_MAX_ITEMS } from '../src/shared/review-batch.ts';
import { parseTimestamp } from './timestamps.ts';

// ---- Formats ---------------------------------------------------------------------------------

/** C0 controls except tab, line feed and carriage return; plus DEL. NUL is the one that matters. */
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL = /[\u0000-\u001F\u007F]/;
/** A UTF-16 surrogate without its partner: JSON allows "\ud800", UTF-8 (SQLite) cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type AjvInstance = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];

/** Registers the custom formats used below; passed to Fastify as `ajv.onCreate`. */
export function addFormats(ajv: AjvInstance): void {
  // One line of human text: a name.
  ajv.addFormat('line', {
    type: 'string',
    validate: (text: string) => !CONTROL.test(text) && !LONE_SURROGATE.test(text),
  });
  // Free text that may span lines: comments.
  ajv.addFormat('text', {
    type: 'string',
    validate: (text: string) => !CONTROL_EXCEPT_WHITESPACE.test(text) && !LONE_SURROGATE.test(text),
  });
  ajv.addFormat('timestamp', {
    type: 'string',
    validate: (text: string) => parseTimestamp(text) !== undefined,
  });
}

// ---- Building blocks -------------------------------------------------------------------------

/** Positive, and small enough to stay an exact JavaScript number (15 digits). */
const ID_PATTERN = '^[1-9][0-9]{0,14}$';
const MAX_ID = 999_999_999_999_999;
const COUNT_PATTERN = '^[0-9]{1,9}$';
const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const idInPath = { type: 'string', pattern: ID_PATTERN } as const;
/** A number in JSON, or its digits as a string (form posts, old clients). */
const idInBody = {
  type: ['integer', 'string'],
  minimum: 1,
  maximum: MAX_ID,
  pattern: ID_PATTERN,
} as const;
const count = { type: 'string', pattern: COUNT_PATTERN } as const;
/** Epoch milliseconds, up to 15 digits (year 33658): exact as a JavaScript number. */
const EPOCH_MS_PATTERN = '^[0-9]{1,15}$';
/** A change-feed cursor: 0 or a change number. */
export const CURSOR_PATTERN = '^(0|[1-9][0-9]{0,14})$';
const cursor = { type: 'string', pattern: CURSOR_PATTERN } as const;
const name = {
  type: 'string',
  maxLength: REVIEW_LIMITS.nameMaxLength,
  pattern: '\\S',
  format: 'line',
} as const;
const rating = {
  type: ['integer', 'string'],
  minimum: REVIEW_LIMITS.ratingMin,
  maximum: REVIEW_LIMITS.ratingMax,
  pattern: `^[${REVIEW_LIMITS.ratingMin}-${REVIEW_LIMITS.ratingMax}]$`,
} as const;
const comments = {
  type: 'string',
  maxLength: REVIEW_LIMITS.commentsMaxLength,
  pattern: '\\S',
  format: 'text',
} as const;
const clientId = { type: 'string', maxLength: 64, pattern: UUID_PATTERN } as const;
const editToken = { type: 'string', maxLength: 128 } as const;
const booleanText = { type: 'string', enum: ['true', 'false'] } as const;
const filterText = { type: 'string', maxLength: 200 } as const;

// ---- Requests --------------------------------------------------------------------------------

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: idInPath },
} as const;

export const restaurantsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    is_favorite: booleanText,
    neighborhood: filterText,
    cuisine_type: filterText,
    limit: count,
    skip: count,
    /** Our extension for delta sync: restaurants updated strictly after this instant. */
    updated_since: { type: 'string', maxLength: 40, format: 'timestamp' },
  },
} as const;

export const favoriteQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    is_favorite: booleanText,
    /** Our client's extension: when the wish was made (epoch ms); see restaurant-store.ts. */
    wished_at: { type: 'string', pattern: EPOCH_MS_PATTERN },
  },
} as const;

/** GET /changes: the cursor is required, so that a full read is never an accident. */
export const changesQuery = {
  type: 'object',
  required: ['after'],
  additionalProperties: false,
  properties: { after: cursor, limit: count },
} as const;

/** GET /changes/live: the cursor may also come as Last-Event-ID (a reconnect). */
export const liveQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: cursor },
} as const;

export const favoriteBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    is_favorite: { type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] },
  },
} as const;

export const reviewsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { restaurant_id: idInPath, limit: count, skip: count },
} as const;

export const newReviewBody = {
  type: 'object',
  required: ['restaurant_id', 'name', 'rating', 'comments'],
  additionalProperties: false,
  properties: { restaurant_id: idInBody, name, rating, comments, client_id: clientId },
} as const;

export const reviewUpdateBody = {
  type: 'object',
  additionalProperties: false,
  properties: { name, rating, comments, edit_token: editToken },
} as const;

export const editTokenQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { edit_token: editToken },
} as const;

export const editTokenBody = editTokenQuery;

/**
 * POST /reviews/batch (src/shared/review-batch.ts). The envelope is validated here; each item is
 * validated on its own by the route (batchItemSchemas), so that one bad item is refused alone
 * while the others are applied.
 */
export const reviewBatchBody = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: { type: 'array', minItems: 1, maxItems: REVIEW_BATCH_MAX_ITEMS, items: { type: 'object' } },
  },
} as const;

/** One schema per `op`. A create must carry its client_id here: it is what makes it exactly once. */
export const batchItemSchemas = {
  create: {
    type: 'object',
    required: ['op', 'restaurant_id', 'name', 'rating', 'comments', 'client_id'],
    additionalProperties: false,
    properties: { op: { const: 'create' }, restaurant_id: idInBody, name, rating, comments, client_id: clientId },
  },
  edit: {
    type: 'object',
    required: ['op', 'id', 'edit_token'],
    additionalProperties: false,
    properties: { op: { const: 'edit' }, id: idInBody, name, rating, comments, edit_token: editToken },
  },
  delete: {
    type: 'object',
    required: ['op', 'id', 'edit_token'],
    additionalProperties: false,
    properties: { op: { const: 'delete' }, id: idInBody, edit_token: editToken },
  },
} as const;

// ---- Responses -------------------------------------------------------------------------------
// Response schemas make Fastify serialize with fast-json-stringify, and guarantee that nothing
// outside them (an edit token hash, a stray column) can ever reach a client.

const classicTimestamp = { type: ['integer', 'string'] } as const;

export const apiErrorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
} as const;

export const restaurantSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'neighborhood',
    'photograph',
    'address',
    'latlng',
    'cuisine_type',
    'operating_hours',
    'createdAt',
    'updatedAt',
    'is_favorite',
  ],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    neighborhood: { type: 'string' },
    photograph: { type: 'string' },
    address: { type: 'string' },
    latlng: {
      type: 'object',
      required: ['lat', 'lng'],
      properties: { lat: { type: 'number' }, lng: { type: 'number' } },
    },
    cuisine_type: { type: 'string' },
    operating_hours: {
      type: 'object',
      properties: Object.fromEntries(WEEKDAYS.map((day) => [day, { type: 'string' }])),
    },
    createdAt: classicTimestamp,
    updatedAt: classicTimestamp,
    is_favorite: { type: 'string', enum: ['true', 'false'] },
  },
} as const;

const reviewProperties = {
  id: { type: 'integer' },
  restaurant_id: { type: 'integer' },
  name: { type: 'string' },
  rating: { type: 'integer' },
  comments: { type: 'string' },
  createdAt: classicTimestamp,
  updatedAt: classicTimestamp,
  client_id: { type: 'string' },
} as const;
const reviewRequired = [
  'id',
  'restaurant_id',
  'name',
  'rating',
  'comments',
  'createdAt',
  'updatedAt',
] as const;

export const reviewSchema = {
  type: 'object',
  required: reviewRequired,
  properties: reviewProperties,
} as const;

/** Only the answer to the POST that created a review carries its edit token. */
export const createdReviewSchema = {
  type: 'object',
  required: reviewRequired,
  properties: { ...reviewProperties, edit_token: { type: 'string' } },
} as const;

export const errorResponses = { '4xx': apiErrorSchema, '5xx': apiErrorSchema } as const;

/** POST /reviews/batch: one result per item, at its index (BatchAnswer in review-batch.ts). */
export const reviewBatchAnswerSchema = {
  type: 'object',
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'integer' }, review: createdReviewSchema, error: apiErrorSchema },
      },
    },
  },
} as const;

/** GET /changes (ChangePage in src/shared/change-feed.ts), records in the classic shapes. */
export const changePageSchema = {
  type: 'object',
  required: ['cursor', 'restaurants', 'reviews', 'deletedReviews', 'more'],
  properties: {
    cursor: { type: 'integer' },
    restaurants: { type: 'array', items: restaurantSchema },
    reviews: { type: 'array', items: reviewSchema },
    deletedReviews: { type: 'array', items: { type: 'integer' } },
    more: { type: 'boolean' },
    resync: { type: 'boolean' },
  },
} as const;

// ---- Error wording ---------------------------------------------------------------------------

/** What each field must be: the message of a 400 naming that field. */
const { nameMaxLength, commentsMaxLength, ratingMin, ratingMax } = REVIEW_LIMITS;

export const FIELD_RULES: Readonly<Record<string, string>> = {
  id: 'id must be a positive integer',
  restaurant_id: 'restaurant_id must be a positive integer',
  name: `name must be text of 1 to ${nameMaxLength} characters, on one line, not only spaces`,
  rating: `rating must be an integer from ${ratingMin} to ${ratingMax}`,
  comments: `comments must be text of 1 to ${commentsMaxLength} characters, not only spaces`,
  client_id: 'client_id must be a UUID such as 0b4a2c7e-8f1d-4e6b-9a3c-5d2e1f0a9b8c',
  edit_token: 'edit_token must be a string',
  is_favorite: 'is_favorite must be true or false',
  neighborhood: 'neighborhood must be text of at most 200 characters',
  cuisine_type: 'cuisine_type must be text of at most 200 characters',
  limit: 'limit must be a non-negative integer',
  skip: 'skip must be a non-negative integer',
  wished_at: 'wished_at must be the time of the wish in epoch milliseconds, such as 1714564800000',
  items:
    `items must be a list of 1 to ${REVIEW_BATCH_MAX_ITEMS} review changes (objects): ` +
    `send a longer queue in several batches`,
  op: 'op must be "create", "edit" or "delete"',
  after:
    'after must be the cursor of your last pull (a non-negative integer), or 0 for everything',
  updated_since:
    'updated_since must be epoch milliseconds or an ISO 8601 date-time with a time zone, ' +
    'such as 2024-05-01T12:00:00.000Z',
};

// ---- Ratings (our extension, routes/ratings.ts) ----------------------------------------------

export const ratingsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { restaurant_id: idInPath },
} as const;

export interface RatingsQuery {
  restaurant_id?: string;
}

export const ratingSummarySchema = {
  type: 'object',
  required: ['restaurant_id', 'average', 'count'],
  properties: {
    restaurant_id: { type: 'integer' },
    average: { type: 'number' },
    count: { type: 'integer' },
  },
} as const;
