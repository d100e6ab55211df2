/**
 * The classic data set on PostgreSQL: the rows of ../seed.ts, numbered as the SQLite backend
 * numbers them (numberUnsequencedRows: by updated_at, restaurants before reviews, then id), so a
 * fresh database answers GET /changes exactly as a fresh SQLite file does.
 */
import type { PoolClient } from 'pg';
import { type SeedRestaurantRow, type SeedReviewRow, classicSeedRows } from '../seed.ts';

type SeedEntry = { kind: 0; row: SeedRestaurantRow } | { kind: 1; row: SeedReviewRow };

export async function seedClassicData(client: PoolClient): Promise<void> {
  const { restaurants, reviews } = classicSeedRows();
  const ordered: SeedEntry[] = [
    ...restaurants.map((row): SeedEntry => ({ kind: 0, row })),
    ...reviews.map((row): SeedEntry => ({ kind: 1, row })),
  ].sort((a, b) => a.row.updated_at - b.row.updated_at || a.kind - b.kind || a.row.id - b.row.id);

  for (const [index, entry] of ordered.entries()) {
    const seq = index + 1;
    if (entry.kind === 0) {
      const r = entry.row;
      await client.query(
        `INSERT INTO restaurants (id, name, neighborhood, photograph, address, lat, lng, cuisine_type,
           operating_hours, is_favorite, created_at, updated_at, created_iso, updated_iso, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, 0, 0, $12)`,
        [r.id, r.name, r.neighborhood, r.photograph, r.address, r.lat, r.lng, r.cuisine_type,
          r.operating_hours, r.created_at, r.updated_at, seq],
      );
    } else {
      const v = entry.row;
      await client.query(
        `INSERT INTO reviews (id, restaurant_id, name, rating, comments, client_id, edit_token_hash,
           created_at, updated_at, created_iso, updated_iso, seq)
         VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7, 0, 0, $8)`,
        [v.id, v.restaurant_id, v.name, v.rating, v.comments, v.created_at, v.updated_at, seq],
      );
    }
  }
  const newest = Math.max(...ordered.map((entry) => entry.row.updated_at));
  await client.query('UPDATE change_sequence SET value = $1, clock = $2 WHERE id = 1', [ordered.length, newest]);
  // Seed rows carry their own ids; new reviews continue after them, as AUTOINCREMENT does.
  await client.query(`SELECT setval(pg_get_serial_sequence('reviews', 'id'), (SELECT max(id) FROM reviews))`);
}
