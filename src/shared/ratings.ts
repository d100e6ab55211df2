/**
 * Ratings at a glance: the average and the number of reviews per restaurant.
 *
 * The server computes them from its stored reviews and serves them at `GET /ratings` (our
 * extension), not inside the restaurant records: the classic `GET /restaurants` answer keeps its
 * exact shape, so classic clients never see a field they do not know. A server without the
 * route (the original one) simply gives the app no figures, and the cards show none.
 */
/** One restaurant's figure, as `GET /ratings` sends it. Restaurants without reviews are absent. */
export interface RatingSummary {
  readonly restaurant_id: number;
  /** Mean of the ratings, rounded to two decimals. */
  readonly average: number;
  readonly count: number;
}

/** What a card or the restaurant page shows: the server's figure plus this device's pending changes. */
export interface ShownRating {
  /** 0 when there are no reviews at all. */
  readonly average: number;
  readonly count: number;
  /** How many of `count` are this device's new reviews the server has not confirmed yet. */
  readonly pending: number;
  /** How many edits and deletions of this device's reviews are folded in, not yet on the server. */
  readonly changesPending: number;
}

/**
 * This device's changes to one restaurant's figure that wait to be sent. An edit or deletion
 * carries the rating the server has for that review, so it can be taken out of the server's sum.
 */
export interface PendingRatings {
  readonly added: readonly number[];
  readonly edited: ReadonlyArray<{ readonly from: number; readonly to: number }>;
  readonly deleted: readonly number[];
}

export const NO_PENDING_RATINGS: PendingRatings = { added: [], edited: [], deleted: [] };

export const NO_RATING: ShownRating = { average: 0, count: 0, pending: 0, changesPending: 0 };

/** Accepts only well-formed entries: a figure that cannot be trusted is better not shown. */
export function normalizeRatings(raw: unknown): RatingSummary[] {
  if (!Array.isArray(raw)) return [];
  const summaries: RatingSummary[] = [];
  for (const entry of raw as Array<Partial<Record<keyof RatingSummary, unknown>>>) {
    const id = Number(entry?.restaurant_id);
    const average = Number(entry?.average);
    const count = Number(entry?.count);
    if (Number.isInteger(id) && id > 0 && Number.isFinite(average) && Number.isInteger(count) && count > 0) {
      summaries.push({ restaurant_id: id, average, count });
    }
  }
  return summaries;
}

/**
 * The server's figure with this device's pending changes folded in, honestly marked as pending:
 * new reviews count, an edit replaces the server's rating of that review, a deletion takes it out.
 */
export function withPending(summary: RatingSummary | undefined, pending: PendingRatings): ShownRating {
  const serverCount = summary?.count ?? 0;
  let sum = (summary?.average ?? 0) * serverCount;
  for (const rating of pending.added) sum += rating;
  for (const { from, to } of pending.edited) sum += to - from;
  for (const rating of pending.deleted) sum -= rating;
  // A deletion the server's figure already left out (it arrived meanwhile) cannot make it negative.
  const count = Math.max(0, serverCount + pending.added.length - pending.deleted.length);
  if (count === 0) return NO_RATING;
  return {
    average: Math.round((Math.max(0, sum) / count) * 100) / 100,
    count,
    pending: pending.added.length,
    changesPending: pending.edited.length + pending.deleted.length,
  };
}
