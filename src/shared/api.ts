/**
 * The one owner of the REST contract's types, shared by the app, the service worker and the server.
 *
 * The classic stage-3 API is quirky on the wire (booleans as strings, epoch or ISO timestamps,
 * numeric strings). `Wire*` types describe what may arrive; the plain types are what the rest of
 * the code sees after `normalize*`.
 */

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LatLng {
  lat: number;
  lng: number;
}

export interface Restaurant {
  id: number;
  name: string;
  neighborhood: string;
  photograph: string;
  address: string;
  latlng: LatLng;
  cuisine_type: string;
  operating_hours: Partial<Record<Weekday, string>>;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  is_favorite: boolean;
}

export interface Review {
  id: number;
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  /** Client-generated UUID that makes a re-sent POST harmless. Absent on classic records. */
  client_id?: string;
}

/** Body of `POST /reviews/`. `client_id` is our extension; the original server ignores it. */
export interface NewReview {
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  client_id?: string;
}

/** Answer to `POST /reviews/` on our server: the review plus the secret that allows editing it. */
export interface CreatedReview extends Review {
  edit_token?: string;
}

/** Body of `PUT /reviews/{id}`. */
export interface ReviewUpdate {
  name?: string;
  rating?: number;
  comments?: string;
  edit_token?: string;
}

/** One error shape everywhere: `field` names the input at fault when there is one. */
export interface ApiError {
  error: string;
  message: string;
  field?: string;
}

/** Limits shared by the server's schemas and the app's form validators. */
export const REVIEW_LIMITS = {
  nameMaxLength: 80,
  commentsMaxLength: 4000,
  ratingMin: 1,
  ratingMax: 5,
} as const;

// ---- What may arrive on the wire -------------------------------------------------------------

type Loose<T> = { [K in keyof T]?: unknown };
export type WireRestaurant = Loose<Restaurant>;
export type WireReview = Loose<Review>;

// ---- Normalization at the edge ---------------------------------------------------------------

/** `true`, `"true"` → true; anything else (false, "false", missing) → false. */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Accepts numbers and numeric strings; anything else is NaN so validation can reject it. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** Epoch milliseconds (number or numeric string) or an ISO string → ISO string. */
export function toIsoDate(value: unknown, fallback = new Date(0).toISOString()): string {
  if (value === undefined || value === null || value === '') return fallback;
  const asNumber = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  const date = Number.isNaN(asNumber) ? new Date(String(value)) : new Date(asNumber);
  return Number.isNaN(date.getTime()) ? fallback : date.toISOString();
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export function normalizeRestaurant(raw: WireRestaurant): Restaurant {
  const latlng = (raw.latlng ?? {}) as Loose<LatLng>;
  const createdAt = toIsoDate(raw.createdAt);
  return {
    id: toNumber(raw.id),
    name: toText(raw.name),
    neighborhood: toText(raw.neighborhood),
    photograph: toText(raw.photograph ?? raw.id),
    address: toText(raw.address),
    latlng: { lat: toNumber(latlng.lat), lng: toNumber(latlng.lng) },
    cuisine_type: toText(raw.cuisine_type),
    operating_hours: (raw.operating_hours ?? {}) as Restaurant['operating_hours'],
    createdAt,
    updatedAt: toIsoDate(raw.updatedAt, createdAt),
    is_favorite: toBoolean(raw.is_favorite),
  };
}

export function normalizeReview(raw: WireReview): Review {
  const createdAt = toIsoDate(raw.createdAt);
  const review: Review = {
    id: toNumber(raw.id),
    restaurant_id: toNumber(raw.restaurant_id),
    name: toText(raw.name),
    rating: toNumber(raw.rating),
    comments: toText(raw.comments),
    createdAt,
    updatedAt: toIsoDate(raw.updatedAt, createdAt),
  };
  if (typeof raw.client_id === 'string' && raw.client_id) review.client_id = raw.client_id;
  return review;
}

/**
 * Our server sets this response header when it applied `updated_since`. The original server
 * does not know the parameter (and may even treat it as a filter that matches nothing), so
 * without the header the client must not trust a delta answer.
 */
export const DELTA_HEADER = 'x-delta-sync';

// ---- Paths ---------------------------------------------------------------------------------

/** Paths of the contract, relative to the API base URL (empty base = same origin). */
export const apiPaths = {
  restaurants: () => '/restaurants',
  restaurant: (id: number) => `/restaurants/${id}`,
  favorite: (id: number, isFavorite: boolean) => `/restaurants/${id}/?is_favorite=${isFavorite}`,
  reviews: () => '/reviews/',
  reviewsOf: (restaurantId: number) => `/reviews/?restaurant_id=${restaurantId}`,
  review: (id: number) => `/reviews/${id}`,
  /** Our extension: average rating and review count per restaurant (src/shared/ratings.ts). */
  ratings: () => '/ratings',
} as const;
