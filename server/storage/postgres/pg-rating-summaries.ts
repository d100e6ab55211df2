/**
 * Average rating and review count per restaurant on PostgreSQL, computed from the stored reviews
 * on every request, as on SQLite (../rating-summaries.ts). round() of a numeric, then float8:
 * the same two-decimal numbers SQLite prints.
 */
import type { Pool } from 'pg';
import type { RatingSummary } from '../../../src/shared/ratings.ts';
import type { RatingStorage } from '../storage.ts';
import { statement } from './pg-sql.ts';

const ratingColumns = 'restaurant_id, round(avg(rating), 2)::float8 AS average, count(*)::integer AS count';
const selectAllRatings = statement(
  'ratings-all',
  `SELECT ${ratingColumns} FROM reviews GROUP BY restaurant_id ORDER BY restaurant_id`,
);
const selectOneRating = statement(
  'ratings-one',
  `SELECT ${ratingColumns} FROM reviews WHERE restaurant_id = $1 GROUP BY restaurant_id`,
);

export class PgRatingSummaries implements RatingStorage {
  constructor(private readonly pool: Pool) {}

  async list(restaurantId?: number): Promise<RatingSummary[]> {
    const query = restaurantId === undefined ? selectAllRatings() : selectOneRating(restaurantId);
    const { rows } = await this.pool.query<[number, number, number]>(query);
    return rows.map(([restaurant_id, average, count]) => ({ restaurant_id, average, count }));
  }
}
