/**
 * The classic data set (10 restaurants, 30 reviews), written into an empty database on first
 * start. Seed records keep the original's shape: epoch-millisecond timestamps, no edit token
 * (nobody owns them, so nobody may change them), and photograph = the restaurant id.
 */
import type { Database } from 'better-sqlite3';
import type { Weekday } from '../../src/shared/api.ts';
import { SEED_REVIEW_TEXTS } from '../seed/review-texts.ts';
import facts from '../seed/stage3-facts.json' with { type: 'json' };

interface SeedFacts {
  restaurants: {
    id: number;
    name: string;
    neighborhood: string;
    cuisine_type: string;
    address: string;
    latlng: { lat: number; lng: number };
    operating_hours: Partial<Record<Weekday, string>>;
  }[];
  reviews: { id: number; restaurant_id: number; name: string; rating: number }[];
}

const SEED = facts as SeedFacts;

/** Late August 2017, when the classic data set was made; records are a few seconds apart. */
const SEED_EPOCH_MS = 1_504_095_563_444;

export interface SeedRestaurantRow {
  id: number;
  name: string;
  neighborhood: string;
  photograph: string;
  address: string;
  lat: number;
  lng: number;
  cuisine_type: string;
  operating_hours: string;
  created_at: number;
  updated_at: number;
}

export interface SeedReviewRow {
  id: number;
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  created_at: number;
  updated_at: number;
}

/** The rows to insert, the same for both backends (PostgreSQL: postgres/pg-seed.ts). */
export function classicSeedRows(): { restaurants: SeedRestaurantRow[]; reviews: SeedReviewRow[] } {
  const restaurants = SEED.restaurants.map((restaurant) => {
    const createdAt = SEED_EPOCH_MS + restaurant.id * 1_000;
    return {
      id: restaurant.id,
      name: restaurant.name,
      neighborhood: restaurant.neighborhood,
      photograph: String(restaurant.id),
      address: restaurant.address,
      lat: restaurant.latlng.lat,
      lng: restaurant.latlng.lng,
      cuisine_type: restaurant.cuisine_type,
      operating_hours: JSON.stringify(restaurant.operating_hours),
      created_at: createdAt,
      updated_at: createdAt,
    };
  });
  const reviews = SEED.reviews.map((review) => {
    const comments = SEED_REVIEW_TEXTS[review.id];
    if (comments === undefined) throw new Error(`Seed review ${review.id} has no text`);
    const createdAt = SEED_EPOCH_MS + 60_000 + review.id * 1_000;
    return { ...review, comments, created_at: createdAt, updated_at: createdAt };
  });
  return { restaurants, reviews };
}

export function isEmpty(db: Database): boolean {
  return db.prepare('SELECT NOT EXISTS (SELECT 1 FROM restaurants) AS empty').pluck().get() === 1;
}

export function seedClassicData(db: Database): void {
  const insertRestaurant = db.prepare(`
    INSERT INTO restaurants (id, name, neighborhood, photograph, address, lat, lng, cuisine_type,
      operating_hours, is_favorite, created_at, updated_at, created_iso, updated_iso)
    VALUES (@id, @name, @neighborhood, @photograph, @address, @lat, @lng, @cuisine_type,
      @operating_hours, 0, @created_at, @updated_at, 0, 0)`);
  const insertReview = db.prepare(`
    INSERT INTO reviews (id, restaurant_id, name, rating, comments, client_id, edit_token_hash,
      created_at, updated_at, created_iso, updated_iso)
    VALUES (@id, @restaurant_id, @name, @rating, @comments, NULL, NULL,
      @created_at, @updated_at, 0, 0)`);

  const { restaurants, reviews } = classicSeedRows();
  db.transaction(() => {
    for (const restaurant of restaurants) insertRestaurant.run(restaurant);
    for (const review of reviews) insertReview.run(review);
  }).immediate();
}
