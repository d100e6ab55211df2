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

/** What a card or the restaurant page shows: the server's figure plus this device's pending reviews. */
export interface ShownRating {
  /** 0 when there are no reviews at all. */
  readonly average: number;
  readonly count: number;
  /** How many of `count` are this device's reviews the server has not confirmed yet. */
  readonly pending: number;
}

export const NO_RATING: ShownRating = { average: 0, count: 0, pending: 0 };

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
 * The server's figure with this device's pending new reviews folded in: they count, honestly
 * marked as pending. Edits and deletions are left to the server's figure, which will follow once
 * they are delivered (the old rating of an edited review is not known here).
 */
export function withPending(summary: RatingSummary | undefined, pendingRatings: readonly number[]): ShownRating {
  const serverCount = summary?.count ?? 0;
  const serverSum = (summary?.average ?? 0) * serverCount;
  const count = serverCount + pendingRatings.length;
  if (count === 0) return NO_RATING;
  const sum = pendingRatings.reduce((total, rating) => total + rating, serverSum);
  return { average: Math.round((sum / count) * 100) / 100, count, pending: pendingRatings.length };
}
