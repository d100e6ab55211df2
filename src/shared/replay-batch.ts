/**
 * Replays queued review writes in batches (`POST /reviews/batch`, src/shared/review-batch.ts):
 * per API, new reviews then edits and deletions in the order they were made, packed into batches
 * of at most REVIEW_BATCH_MAX_ITEMS items and REVIEW_BATCH_MAX_BYTES of JSON. Every record goes
 * only to its own API, and every item's result settles its own record: delivered ones are stored
 * and cleared, a refused one is marked "Not sent" alone, the others land.
 *
 * An API without the route (the original server answers 404) gets one classic request per review
 * instead (replay-creates.ts, replay-changes.ts). That is detected once per API and remembered in
 * IndexedDB (`meta`, key `review-batch-unsupported <api>`, the time it was seen), shared by the
 * page and the worker; it is asked again after BATCH_RECHECK_MS, in case that server was upgraded.
 *
 * Exactly once: our server applies a batch in one transaction and answers a create whose
 * client_id it holds with the stored review, so re-sending a batch whose answer was lost (or
 * whose server died mid-batch) writes nothing twice; edits and deletions are idempotent.
 */
import type { CreatedReview, Review } from './api';
import { HttpError, isRetryable } from './api-client';
import { readMany } from './outbox-bulk';
import type { StoredChange, StoredCreate, StoredReview } from './outbox-records';
import { type BatchItem, type BatchItemResult, REVIEW_BATCH_MAX_BYTES, REVIEW_BATCH_MAX_ITEMS } from './review-batch';
import { failReview, settleChange } from './replay-changes';
import { type Delivered, markSending, settle } from './replay-creates';
import { type ReplayRun, messageOf } from './replay-run';

/** How long "this API has no batch route" is trusted before asking again. */
export const BATCH_RECHECK_MS = 24 * 60 * 60 * 1000;
/** Batches of new reviews in flight at once per API (edits and deletions go one batch at a time, in order). */
const CREATE_BATCHES_IN_FLIGHT = 4;

export const batchUnsupportedKey = (api: string) => `review-batch-unsupported ${api}`;

/** What is left for the classic one-request-per-review path: the records of APIs without the route. */
export interface Unbatched {
  creates: StoredCreate[];
  changes: StoredChange[];
}

export async function replayInBatches(run: ReplayRun, creates: StoredCreate[], changes: StoredChange[]): Promise<Unbatched> {
  const left: Unbatched = { creates: [], changes: [] };
  for (const api of new Set([...creates, ...changes].map((r) => r.api))) {
    const mine = <R extends StoredReview>(records: R[]) => records.filter((r) => r.api === api);
    const [apiCreates, apiChanges] = [mine(creates), mine(changes)];
    if (await knownUnbatched(run, api)) {
      left.creates.push(...apiCreates);
      left.changes.push(...apiChanges);
      continue;
    }
    const unsent = await replayApi(run, apiCreates, apiChanges);
    left.creates.push(...unsent.creates);
    left.changes.push(...unsent.changes);
  }
  return left;
}

async function replayApi(run: ReplayRun, creates: StoredCreate[], changes: StoredChange[]): Promise<Unbatched> {
  const left: Unbatched = { creates: [], changes: [] };
  const createBatches = pack(creates);
  let next = 0;
  const sender = async () => {
    while (next < createBatches.length) {
      const chunk = createBatches[next++]!;
      const unsent = await sendBatch(run, chunk);
      if (unsent) left.creates.push(...(unsent as StoredCreate[]));
    }
  };
  await Promise.all(Array.from({ length: CREATE_BATCHES_IN_FLIGHT }, sender));
  // In order, after the creates: an edit may follow a delete of the same review, or the reverse.
  for (const chunk of pack(changes)) {
    const unsent = await sendBatch(run, chunk);
    if (unsent) left.changes.push(...(unsent as StoredChange[]));
  }
  return left;
}

/** Consecutive records, at most REVIEW_BATCH_MAX_ITEMS and about REVIEW_BATCH_MAX_BYTES of JSON each. */
function pack<R extends StoredReview>(records: R[]): R[][] {
  const chunks: R[][] = [];
  let chunk: R[] = [];
  let bytes = 0;
  const utf8 = new TextEncoder();
  for (const record of records) {
    // The item's JSON, in UTF-8 bytes; the record's other fields are about as long as the
    // item's own (op, id, edit token), so its size is a close upper bound.
    const size = utf8.encode(JSON.stringify(record)).length + 2;
    if (chunk.length && (chunk.length >= REVIEW_BATCH_MAX_ITEMS || bytes + size > REVIEW_BATCH_MAX_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * Sends one batch and settles every record by its own result. Returns the records to send the
 * classic way (this API has no batch route), or nothing.
 */
async function sendBatch(run: ReplayRun, chunk: StoredReview[]): Promise<StoredReview[] | undefined> {
  const api = chunk[0]!.api;
  if (run.isHeld({ api })) return undefined;
  const current = await markSending(run, chunk);
  const items: BatchItem[] = [];
  const sent: StoredReview[] = [];
  for (const record of current) {
    const item = await toItem(run, record);
    if (item) {
      items.push(item);
      sent.push(record);
    }
  }
  if (!items.length) return undefined;

  let results: Array<BatchItemResult<Review>> | undefined;
  try {
    results = await run.api({ api }).reviewBatch(items, { timeoutMs: run.timeoutMs });
  } catch (error) {
    if (isRetryable(error)) {
      run.holdOn(error, { api });
      return undefined;
    }
    if (error instanceof HttpError && error.status === 413 && sent.length > 1) {
      // Larger than this server's body limit: halve it until it fits.
      const half = Math.ceil(sent.length / 2);
      const unsent = [...((await sendBatch(run, sent.slice(0, half))) ?? []), ...((await sendBatch(run, sent.slice(half))) ?? [])];
      return unsent.length ? unsent : undefined;
    }
    if (error instanceof HttpError && error.status === 413) {
      await failReview(run, sent[0]!, messageOf(error));
      return undefined;
    }
    // Any other refusal of the whole batch says nothing about its items: send them one by one.
    return asBefore(run, chunk, sent);
  }
  if (!results) {
    await run.db.put('meta', { key: batchUnsupportedKey(api), value: run.now() });
    return asBefore(run, chunk, sent);
  }
  await settleResults(run, sent, results);
  return undefined;
}

async function settleResults(run: ReplayRun, sent: StoredReview[], results: Array<BatchItemResult<Review>>): Promise<void> {
  const delivered: Delivered[] = [];
  for (const [i, record] of sent.entries()) {
    const result = results[i]!;
    if ('review' in result) {
      if (record.kind === 'review-create') delivered.push({ sent: record, review: result.review as CreatedReview });
      else await settleChange(run, record, record.kind === 'review-edit' ? result.review : undefined);
    } else if (record.kind === 'review-delete' && result.status === 404) {
      // Already gone: that is what the deletion wanted (as deleteReview does alone).
      await settleChange(run, record, undefined);
    } else if (result.status >= 500 || result.status === 429 || result.status === 408) {
      run.holdOn(new HttpError(result.status, result.error.message), record);
    } else {
      await failReview(run, record, result.error.message);
    }
  }
  if (delivered.length) await settle(run, delivered);
}

/**
 * The records of a batch that reached no item (no route, or the whole batch refused), with the
 * attempt `markSending` counted taken back: none of them can have arrived, so the classic path
 * must not look them up as "maybe delivered". It counts its own attempt when it sends.
 */
async function asBefore(run: ReplayRun, chunk: StoredReview[], sent: StoredReview[]): Promise<StoredReview[]> {
  const ids = new Set(sent.map((r) => r.local_id));
  const before = chunk.filter((r) => ids.has(r.local_id));
  const creates = before.filter((r) => r.kind === 'review-create');
  if (!creates.length) return before;
  const tx = run.db.transaction('offline-reviews', 'readwrite');
  const { found } = await readMany(tx.store, creates.map((r) => r.local_id), (r) => r.local_id);
  const writes: Promise<unknown>[] = [];
  for (const record of creates) {
    const current = found.get(record.local_id);
    if (current?.kind === 'review-create' && current.attempts === record.attempts + 1) {
      writes.push(tx.store.put({ ...current, attempts: record.attempts }));
    }
  }
  await Promise.all(writes);
  await tx.done;
  return before;
}

async function toItem(run: ReplayRun, record: StoredReview): Promise<BatchItem | undefined> {
  switch (record.kind) {
    case 'review-create': {
      const { restaurant_id, name, rating, comments, client_id } = record;
      return { op: 'create', restaurant_id, name, rating, comments, client_id };
    }
    case 'review-edit':
    case 'review-delete': {
      const own = await run.db.get('own-reviews', record.review_id);
      if (!own) {
        await failReview(run, record, 'This device has no edit token for that review');
        return undefined;
      }
      if (record.kind === 'review-delete') return { op: 'delete', id: record.review_id, edit_token: own.edit_token };
      const { name, rating, comments } = record;
      return { op: 'edit', id: record.review_id, edit_token: own.edit_token, name, rating, comments };
    }
  }
}

async function knownUnbatched(run: ReplayRun, api: string): Promise<boolean> {
  const seen = (await run.db.get('meta', batchUnsupportedKey(api)))?.value;
  return typeof seen === 'number' && run.now() - seen < BATCH_RECHECK_MS;
}
