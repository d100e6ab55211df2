import { groupDigits } from '../../shared/counts';
import type { ShownRating } from '../../shared/ratings';

// The page's words for the figures; the server only computes them (src/shared/ratings.ts).

/** "4.3" — one decimal, as people read ratings. */
export function ratingText(average: number): string {
  return (Math.round(average * 10) / 10).toFixed(1);
}

/** "12 reviews", "1 review", "No reviews yet", with "(1 pending)" when some are on this device only. */
export function reviewCountText({ count, pending }: ShownRating): string {
  if (count === 0) return 'No reviews yet';
  const reviews = `${groupDigits(count)} ${count === 1 ? 'review' : 'reviews'}`;
  return pending ? `${reviews} (${pending} pending)` : reviews;
}
