/**
 * Rows as stored, records as the classic API prints them, and the mapping between the two.
 *
 * The printed shapes keep the original server's quirks on purpose (clients normalize them with
 * `normalizeRestaurant` / `normalizeReview` from src/shared/api.ts): `is_favorite` is the string
 * "true"/"false", and a timestamp is epoch milliseconds if it comes from the seed data or an ISO
 * string if this server wrote it.
 */
import type { LatLng, Restaurant, Review } from '../../src/shared/api.ts';

/** Epoch milliseconds (seed data) or ISO 8601 (written by the server). */
export type ClassicTimestamp = number | string;

// Type aliases, not interfaces: the routes' reply types are inferred from response schemas
// without `additionalProperties` (an open object), which only an alias is assignable to.
export type ClassicRestaurant = Omit<Restaurant, 'createdAt' | 'updatedAt' | 'is_favorite'> & {
  createdAt: ClassicTimestamp;
  updatedAt: ClassicTimestamp;
  is_favorite: 'true' | 'false';
};

export type ClassicReview = Omit<Review, 'createdAt' | 'updatedAt'> & {
  createdAt: ClassicTimestamp;
  updatedAt: ClassicTimestamp;
};

/**
 * Rows are read in better-sqlite3's raw mode, as arrays in the order of the column lists below:
 * building an object per row costs more than the query itself on the hottest endpoint
 * (GET /restaurants). The labelled tuple types keep the positions readable and checked.
 */
export type RestaurantRow = [
  id: number,
  name: string,
  neighborhood: string,
  photograph: string,
  address: string,
  lat: number,
  lng: number,
  cuisine_type: string,
  operating_hours: string,
  is_favorite: 0 | 1,
  created_at: number,
  updated_at: number,
  created_iso: 0 | 1,
  updated_iso: 0 | 1,
];

export type ReviewRow = [
  id: number,
  restaurant_id: number,
  name: string,
  rating: number,
  comments: string,
  client_id: string | null,
  created_at: number,
  updated_at: number,
  created_iso: 0 | 1,
  updated_iso: 0 | 1,
];

/** Column lists in the order of the row tuples, shared by every SELECT and RETURNING clause. */
export const RESTAURANT_COLUMNS =
  'id, name, neighborhood, photograph, address, lat, lng, cuisine_type, operating_hours, ' +
  'is_favorite, created_at, updated_at, created_iso, updated_iso';
export const REVIEW_COLUMNS =
  'id, restaurant_id, name, rating, comments, client_id, ' +
  'created_at, updated_at, created_iso, updated_iso';

function timestamp(epochMs: number, iso: 0 | 1): ClassicTimestamp {
  return iso ? new Date(epochMs).toISOString() : epochMs;
}

export function toClassicRestaurant(row: RestaurantRow): ClassicRestaurant {
  const [
    id,
    name,
    neighborhood,
    photograph,
    address,
    lat,
    lng,
    cuisine_type,
    operating_hours,
    is_favorite,
    created_at,
    updated_at,
    created_iso,
    updated_iso,
  ] = row;
  const latlng: LatLng = { lat, lng };
  return {
    id,
    name,
    neighborhood,
    photograph,
    address,
    latlng,
    cuisine_type,
    operating_hours: JSON.parse(operating_hours) as ClassicRestaurant['operating_hours'],
    createdAt: timestamp(created_at, created_iso),
    updatedAt: timestamp(updated_at, updated_iso),
    is_favorite: is_favorite ? 'true' : 'false',
  };
}

export function toClassicReview(row: ReviewRow): ClassicReview {
  const [
    id,
    restaurant_id,
    name,
    rating,
    comments,
    client_id,
    created_at,
    updated_at,
    created_iso,
    updated_iso,
  ] = row;
  const review: ClassicReview = {
    id,
    restaurant_id,
    name,
    rating,
    comments,
    createdAt: timestamp(created_at, created_iso),
    updatedAt: timestamp(updated_at, updated_iso),
  };
  if (client_id !== null) review.client_id = client_id;
  return review;
}
