/**
 * POST /reviews/batch: many queued review writes in one request, each with its own result
 * (the wire contract and why it is exactly once: src/shared/review-batch.ts).
 *
 *   { "items": [ { "op": "create", "restaurant_id": 3, "name": …, "rating": …, "comments": …, "client_id": … },
 *                { "op": "edit", "id": 31, "edit_token": …, "rating": 4 },
 *                { "op": "delete", "id": 32, "edit_token": … } ] }
 *   → 200 { "results": [ { "status": 201, "review": { …, "edit_token": … } },
 *                        { "status": 200, "review": { … } },
 *                        { "status": 403, "error": { "error": "Forbidden", "message": … } } ] }
 *
 * The envelope is validated by its schema (1 to REVIEW_BATCH_MAX_ITEMS objects; otherwise 400
 * naming `items`). Each item is validated on its own, with the same rules and messages as the
 * single routes, so one bad item (the "poison" one) gets its own 400 and the others are applied.
 * The valid items are applied in order in one transaction (ReviewStore.applyBatch): the answer
 * comes once all of them are durable.
 */
import type { FastifyRequest } from 'fastify';
import { apiError, describeValidation } from '../errors.ts';
import { batchItemSchemas, errorResponses, reviewBatchAnswerSchema, reviewBatchBody } from '../schemas.ts';
import type { BatchOutcome, BatchWrite } from '../storage/review-store.ts';
import type { ClassicReview } from '../storage/records.ts';
import type { Storage } from '../storage/storage.ts';
import { REVIEW_BATCH_MAX_ITEMS, REVIEW_BATCH_PATH, type BatchItemResult } from '../../src/shared/review-batch.ts';
import type { RoutePlugin } from './restaurants.ts';
import { FORBIDDEN_MESSAGE } from './reviews.ts';

type Result = BatchItemResult<ClassicReview>;

/** An item as it may arrive; `batchItemSchemas` decide what it may be. */
interface RawItem {
  op?: unknown;
  restaurant_id?: number | string;
  id?: number | string;
  name?: string;
  rating?: number | string;
  comments?: string;
  client_id?: string;
  edit_token?: string;
}

export const reviewBatchRoutes: RoutePlugin = async (app, { storage, writeLimit }) => {
  app.post(
    REVIEW_BATCH_PATH,
    {
      preValidation: [writeLimit],
      schema: { body: reviewBatchBody, response: { 200: reviewBatchAnswerSchema, ...errorResponses } },
    },
    async (request) => {
      const parsed = request.body.items.map((item) => parseItem(request, item as RawItem));
      const writes = parsed.filter((p): p is BatchWrite => !('status' in p));
      const outcomes = await storage.reviews.applyBatch(writes);
      let next = 0;
      const results = parsed.map((p): Result => ('status' in p ? p : toResult(p, outcomes[next++]!)));
      return { results };
    },
  );
};

function parseItem(request: FastifyRequest, item: RawItem): BatchWrite | Result {
  const op = item.op;
  if (op !== 'create' && op !== 'edit' && op !== 'delete') return refused(400, 'op must be "create", "edit" or "delete"', 'op');
  // Compiled once per schema by the route's own validator (same Ajv options and formats).
  const validate = request.compileValidationSchema(batchItemSchemas[op]);
  if (!validate(item)) {
    const { message, field } = describeValidation(validate.errors ?? [], 'body');
    return refused(400, message, field);
  }
  switch (op) {
    case 'create':
      return {
        op,
        input: {
          restaurant_id: Number(item.restaurant_id),
          name: item.name!.trim(),
          rating: Number(item.rating),
          comments: item.comments!.trim(),
          client_id: item.client_id,
        },
      };
    case 'edit':
      return {
        op,
        id: Number(item.id),
        editToken: item.edit_token,
        changes: {
          name: item.name?.trim(),
          rating: item.rating === undefined ? undefined : Number(item.rating),
          comments: item.comments?.trim(),
        },
      };
    case 'delete':
      return { op, id: Number(item.id), editToken: item.edit_token };
  }
}

/** What the single route would have answered for this item alone. */
function toResult(write: BatchWrite, outcome: BatchOutcome): Result {
  switch (outcome.outcome) {
    case 'created':
      return { status: 201, review: { ...outcome.review, edit_token: outcome.editToken } };
    case 'replayed':
    case 'done':
      return { status: 200, review: outcome.review };
    case 'unknown-restaurant': {
      const id = write.op === 'create' ? write.input.restaurant_id : undefined;
      return refused(400, `Restaurant ${id} does not exist`, 'restaurant_id');
    }
    case 'forbidden':
      return refused(403, FORBIDDEN_MESSAGE);
    case 'not-found':
      return refused(404, `Review ${write.op === 'create' ? '' : write.id} does not exist`);
  }
}

function refused(status: number, message: string, field?: string): Result {
  return { status, error: apiError(status, message, field) };
}

/**
 * Used by the rate limiter: a batch is a replay when every item is a create whose client_id is
 * stored already (a batch re-sent after a lost answer). It writes nothing, so it is not counted.
 */
export function isBatchReplay(storage: Storage) {
  return async (request: FastifyRequest): Promise<boolean> => {
    if (request.method !== 'POST' || request.routeOptions.url !== REVIEW_BATCH_PATH) return false;
    // Runs before validation, so the body may be anything.
    const items = (request.body as { items?: unknown } | null | undefined)?.items;
    if (!Array.isArray(items) || items.length === 0 || items.length > REVIEW_BATCH_MAX_ITEMS) return false;
    for (const item of items as Array<{ op?: unknown; client_id?: unknown } | null>) {
      const clientId = item?.client_id;
      if (item?.op !== 'create' || typeof clientId !== 'string' || clientId.length > 64) return false;
      // One indexed read each, stopping at the first item that is new.
      if (!(await storage.reviews.hasClientId(clientId))) return false;
    }
    return true;
  };
}
