/**
 * Average rating and review count per restaurant, computed by SQLite from the stored reviews on
 * every request: there is no second copy to keep in step with writes. At 100,000 reviews the
 * grouped scan over the `reviews_restaurant_id` index takes a few tens of milliseconds.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RatingSummary } from '../../src/shared/ratings.ts';
import type { RatingStorage } from './storage.ts';

export class RatingSummaries implements RatingStorage {
  private readonly selectAll: Statement<[], RatingSummary>;
  private readonly selectOne: Statement<[number], RatingSummary>;

  constructor(db: Database) {
    const columns = 'restaurant_id, round(avg(rating), 2) AS average, count(*) AS count';
    this.selectAll = db.prepare(`SELECT ${columns} FROM reviews GROUP BY restaurant_id ORDER BY restaurant_id`);
    this.selectOne = db.prepare(`SELECT ${columns} FROM reviews WHERE restaurant_id = ? GROUP BY restaurant_id`);
  }

  async list(restaurantId?: number): Promise<RatingSummary[]> {
    if (restaurantId === undefined) return this.selectAll.all();
    return this.selectOne.all(restaurantId);
  }
}
