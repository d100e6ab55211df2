/**
 * Restaurants on PostgreSQL: the same reads and the same "later wish wins" favorite rule as
 * ../restaurant-store.ts (which documents the rule), in parameterized SQL.
 */
import type { Pool } from 'pg';
import {
  type ClassicRestaurant,
  RESTAURANT_COLUMNS,
  type RestaurantRow,
  toClassicRestaurant,
} from '../records.ts';
import { type FavoriteResult, type RestaurantFilter, wishTime } from '../restaurant-store.ts';
import type { RestaurantStorage } from '../storage.ts';
import { statement } from './pg-sql.ts';
import type { PgWrites } from './pg-writes.ts';

// One statement for every combination of filters, as on SQLite: a NULL parameter switches its
// filter off, and a NULL LIMIT is "no limit". lower() is the case-insensitive comparison.
const selectFiltered = statement(
  'restaurants-filtered',
  `SELECT ${RESTAURANT_COLUMNS} FROM restaurants
   WHERE ($1::smallint IS NULL OR is_favorite = $1)
     AND ($2::text IS NULL OR lower(neighborhood) = lower($2))
     AND ($3::text IS NULL OR lower(cuisine_type) = lower($3))
     AND ($4::bigint IS NULL OR updated_at > $4)
   ORDER BY id
   LIMIT $5 OFFSET $6`,
);
const selectById = statement('restaurant-by-id', `SELECT ${RESTAURANT_COLUMNS} FROM restaurants WHERE id = $1`);
const selectExists = statement('restaurant-exists', 'SELECT EXISTS (SELECT 1 FROM restaurants WHERE id = $1)');
const selectFavoriteChangedAt = statement(
  'restaurant-favorite-changed-at',
  'SELECT favorite_changed_at FROM restaurants WHERE id = $1',
);
const updateFavorite = statement(
  'restaurant-set-favorite',
  `UPDATE restaurants
   SET is_favorite = $2, updated_at = $3, updated_iso = 1, favorite_changed_at = $4, seq = $5
   WHERE id = $1
   RETURNING ${RESTAURANT_COLUMNS}`,
);

export class PgRestaurantStore implements RestaurantStorage {
  constructor(
    private readonly pool: Pool,
    private readonly writes: PgWrites,
  ) {}

  async list(filter: RestaurantFilter = {}): Promise<ClassicRestaurant[]> {
    const { rows } = await this.pool.query<RestaurantRow>(
      selectFiltered(
        filter.isFavorite === undefined ? null : filter.isFavorite ? 1 : 0,
        filter.neighborhood ?? null,
        filter.cuisineType ?? null,
        filter.updatedSince ?? null,
        filter.limit ?? null,
        filter.skip ?? 0,
      ),
    );
    return rows.map(toClassicRestaurant);
  }

  async get(id: number): Promise<ClassicRestaurant | undefined> {
    const { rows } = await this.pool.query<RestaurantRow>(selectById(id));
    return rows[0] && toClassicRestaurant(rows[0]);
  }

  async exists(id: number): Promise<boolean> {
    const { rows } = await this.pool.query<[boolean]>(selectExists(id));
    return rows[0]?.[0] === true;
  }

  setFavorite(id: number, isFavorite: boolean, wishedAt?: number): Promise<FavoriteResult> {
    return this.writes.run(async (tx): Promise<FavoriteResult> => {
      const now = tx.now();
      const effective = wishTime(wishedAt, Date.now());
      const changed = await tx.client.query<[number]>(selectFavoriteChangedAt(id));
      const changedAt = changed.rows[0]?.[0];
      if (changedAt === undefined) return { outcome: 'not-found' };
      // A classic PUT is always applied, as the classic server did.
      if (wishedAt !== undefined && effective < changedAt) {
        const current = await tx.client.query<RestaurantRow>(selectById(id));
        if (!current.rows[0]) throw new Error(`restaurant ${id} vanished inside a write`);
        return { outcome: 'superseded', restaurant: toClassicRestaurant(current.rows[0]) };
      }
      const updated = await tx.client.query<RestaurantRow>(
        updateFavorite(id, isFavorite ? 1 : 0, now, effective, tx.nextSeq()),
      );
      if (!updated.rows[0]) throw new Error(`restaurant ${id} vanished inside a write`);
      return { outcome: 'applied', restaurant: toClassicRestaurant(updated.rows[0]) };
    });
  }
}
