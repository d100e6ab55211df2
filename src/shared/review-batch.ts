/**
 * The wire contract of batch replay, `POST /reviews/batch`, shared by the server and our client:
 * many queued review writes (creates, edits, deletions) in one request, each with its own result.
 *
 * Only our client uses it. The original stage-3 server has no such route (it answers 404), and
 * the client then sends one classic request per review (src/shared/replay-batch.ts).
 *
 * Exactly once, per item:
 * - a create carries its `client_id` (required here): a create whose client_id is stored already
 *   is answered 200 with the stored review and writes nothing, so a batch re-sent after a lost
 *   answer, or after the server was killed mid-batch, creates nothing twice;
 * - edits set fields to values and deletions of a review already gone answer 404: both are
 *   harmless when repeated;
 * - the server applies a whole batch in one transaction (one fsync, all or nothing): an answer
 *   means every item's result is durable, a kill before it means none is.
 *
 * Like change-feed.ts, the module imports nothing (the server and the app resolve modules
 * differently): the review type is a parameter, and the error has the shape of ApiError (api.ts).
 */
export const REVIEW_BATCH_PATH = '/reviews/batch';

/**
 * The most items one batch may hold. Why a bound, and why 100:
 * - the body limit (BODY_LIMIT, 64 KiB by default): 100 typical reviews are about 20 KiB, and the
 *   client also packs by size (REVIEW_BATCH_MAX_BYTES);
 * - the transaction: a batch is applied in one transaction, which holds the database's write lock
 *   while it runs. 100 items take a few milliseconds, so writers from other clients (and the
 *   other requests of the same group commit) never wait long behind one device's drain;
 * - fairness of the answer: results come back together, so a smaller batch lets the client mark
 *   progress (and a closed tab lose less work in flight) more often.
 */
export const REVIEW_BATCH_MAX_ITEMS = 100;

/**
 * The client packs a batch to at most this many bytes of JSON, well under the server's default
 * body limit (64 KiB), so that a batch of long reviews is split rather than refused with 413.
 */
export const REVIEW_BATCH_MAX_BYTES = 48 * 1024;

export interface BatchCreate {
  op: 'create';
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  client_id: string;
}

export interface BatchEdit {
  op: 'edit';
  id: number;
  edit_token: string;
  name?: string;
  rating?: number;
  comments?: string;
}

export interface BatchDelete {
  op: 'delete';
  id: number;
  edit_token: string;
}

export type BatchItem = BatchCreate | BatchEdit | BatchDelete;

export interface BatchRequest {
  items: BatchItem[];
}

/**
 * The result of one item, at the item's index. `status` is what the classic route would have
 * answered for it alone: 201 (created, with `edit_token`), 200 (replayed create, edit, delete),
 * or 4xx with the error (400 naming the field, 403 edit token, 404 unknown review).
 */
export type BatchItemResult<R> = { status: 200 | 201; review: R & { edit_token?: string } } | { status: number; error: { error: string; message: string; field?: string } };

export interface BatchAnswer<R> {
  results: Array<BatchItemResult<R>>;
}
