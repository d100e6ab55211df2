import { groupDigits } from '../../shared/counts';
import type { ShownRating } from '../../shared/ratings';

// The page's words for the figures; the server only computes them (src/shared/ratings.ts).

/** "4.3" — one decimal, as people read ratings. */
export function ratingText(average: number): string {
  return (Math.round(average * 10) / 10).toFixed(1);
}

/**
 * "12 reviews", "1 review", "No reviews yet", with "(1 pending)" when some are new on this device
 * only and "(1 change pending)" when edits or deletions made here are folded in.
 */
export function reviewCountText({ count, pending, changesPending }: ShownRating): string {
  if (count === 0) return 'No reviews yet';
  const reviews = `${groupDigits(count)} ${count === 1 ? 'review' : 'reviews'}`;
  const notes = [
    ...(pending ? [`${pending} pending`] : []),
    ...(changesPending ? [`${changesPending} ${changesPending === 1 ? 'change' : 'changes'} pending`] : []),
  ];
  return notes.length ? `${reviews} (${notes.join(', ')})` : reviews;
}
