/**
 * Reads and writes of restaurants. Every statement is prepared once, when the store is built.
 * Reads answer at once; writes go through the group commit and resolve once durable.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { FavoriteWishOutcome } from '../../src/shared/change-feed.ts';
import type { ChangeSequence } from './change-sequence.ts';
import type { WriteClock } from './clock.ts';
import type { GroupCommit } from './group-commit.ts';
import {
  type ClassicRestaurant,
  RESTAURANT_COLUMNS,
  type RestaurantRow,
  toClassicRestaurant,
} from './records.ts';
import type { RestaurantStorage } from './storage.ts';

export interface RestaurantFilter {
  isFavorite?: boolean;
  neighborhood?: string;
  cuisineType?: string;
  /** Epoch ms: only restaurants updated strictly after this instant. */
  updatedSince?: number;
  /** No limit when absent: the API never hides records behind a silent cap. */
  limit?: number;
  skip?: number;
}

interface FilterParams {
  is_favorite: 0 | 1 | null;
  neighborhood: string | null;
  cuisine_type: string | null;
  limit: number;
  skip: number;
}

interface ChangedSinceParams extends FilterParams {
  updated_since: number;
}

interface FavoriteParams {
  id: number;
  is_favorite: 0 | 1;
  now: number;
  wished_at: number;
  seq: number;
}

/**
 * `applied`: the wish is now the stored value. `superseded`: the favorite changed on the server
 * after the wish was made (another device, a later PUT), so it was not applied and `restaurant`
 * is the current state.
 */
export type FavoriteResult =
  | { outcome: FavoriteWishOutcome; restaurant: ClassicRestaurant }
  | { outcome: 'not-found' };

export class RestaurantStore implements RestaurantStorage {
  private readonly selectFiltered: Statement<FilterParams, RestaurantRow>;
  private readonly selectChangedSince: Statement<ChangedSinceParams, RestaurantRow>;
  private readonly selectById: Statement<[number], RestaurantRow>;
  private readonly selectExists: Statement<[number], number>;
  private readonly updateFavorite: Statement<FavoriteParams, RestaurantRow>;
  private readonly selectFavoriteChangedAt: Statement<[number], number>;

  constructor(
    db: Database,
    private readonly clock: WriteClock,
    private readonly writes: GroupCommit,
    private readonly sequence: ChangeSequence,
  ) {
    // One statement serves every combination of filters: a NULL parameter switches its filter
    // off. That rules out the neighborhood/cuisine indexes, but a scan of 10,000 restaurants
    // costs a couple of milliseconds, less than serializing a page of them; one statement per
    // combination would be more code for no visible gain.
    this.selectFiltered = db.prepare<FilterParams, RestaurantRow>(`
      SELECT ${RESTAURANT_COLUMNS} FROM restaurants
      WHERE (@is_favorite IS NULL OR is_favorite = @is_favorite)
        AND (@neighborhood IS NULL OR neighborhood = @neighborhood)
        AND (@cuisine_type IS NULL OR cuisine_type = @cuisine_type)
      ORDER BY id
      LIMIT @limit OFFSET @skip`).raw();
    // Delta sync runs often and usually finds nothing: it reads the updated_at index rather than
    // every row. INDEXED BY because the planner, seeing ORDER BY id, prefers a full scan; it
    // also makes a dropped index an error instead of a silent slowdown.
    this.selectChangedSince = db.prepare<ChangedSinceParams, RestaurantRow>(`
      SELECT ${RESTAURANT_COLUMNS} FROM restaurants INDEXED BY restaurants_updated_at
      WHERE updated_at > @updated_since
        AND (@is_favorite IS NULL OR is_favorite = @is_favorite)
        AND (@neighborhood IS NULL OR neighborhood = @neighborhood)
        AND (@cuisine_type IS NULL OR cuisine_type = @cuisine_type)
      ORDER BY id
      LIMIT @limit OFFSET @skip`).raw();
    this.selectById = db
      .prepare<[number], RestaurantRow>(
        `SELECT ${RESTAURANT_COLUMNS} FROM restaurants WHERE id = ?`,
      )
      .raw();
    this.selectExists = db
      .prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM restaurants WHERE id = ?)')
      .pluck();
    this.updateFavorite = db.prepare<FavoriteParams, RestaurantRow>(`
      UPDATE restaurants
      SET is_favorite = @is_favorite, updated_at = @now, updated_iso = 1,
          favorite_changed_at = @wished_at, seq = @seq
      WHERE id = @id
      RETURNING ${RESTAURANT_COLUMNS}`).raw();
    this.selectFavoriteChangedAt = db
      .prepare<[number], number>('SELECT favorite_changed_at FROM restaurants WHERE id = ?')
      .pluck();
  }

  async list(filter: RestaurantFilter = {}): Promise<ClassicRestaurant[]> {
    const params: FilterParams = {
      is_favorite: filter.isFavorite === undefined ? null : filter.isFavorite ? 1 : 0,
      neighborhood: filter.neighborhood ?? null,
      cuisine_type: filter.cuisineType ?? null,
      // SQLite reads a negative LIMIT as "no limit".
      limit: filter.limit ?? -1,
      skip: filter.skip ?? 0,
    };
    const rows =
      filter.updatedSince === undefined
        ? this.selectFiltered.all(params)
        : this.selectChangedSince.all({ ...params, updated_since: filter.updatedSince });
    return rows.map(toClassicRestaurant);
  }

  async get(id: number): Promise<ClassicRestaurant | undefined> {
    const row = this.selectById.get(id);
    return row && toClassicRestaurant(row);
  }

  async exists(id: number): Promise<boolean> {
    return this.selectExists.get(id) === 1;
  }

  /**
   * Applies a favorite wish unless a later one is already stored: the later wish wins.
   *
   * `wishedAt` is when the person made the wish (epoch ms, the device's clock), sent by our
   * client with a wish it may have queued offline. It is clamped to the server's clock, so a
   * device whose clock runs ahead counts as "now" and cannot win against every later wish. A
   * wish older than the stored one is not applied: the answer is the current state. Without
   * `wishedAt` (classic clients) the wish is made now and always applied: today's behaviour.
   *
   * What is stored is the time of the applied wish, not of its arrival: a wish made at 10:00 and
   * delivered at 11:00 must still lose against one made at 10:30 and delivered at 11:05.
   *
   * An applied wish always stamps updatedAt, even when the value does not change: the classic
   * server did, and a client that re-sends its wish after an outage learns the server's time of
   * the change.
   */
  setFavorite(id: number, isFavorite: boolean, wishedAt?: number): Promise<FavoriteResult> {
    return this.writes.run((): FavoriteResult => {
      // Taken inside the batch, so timestamps (and change numbers) follow commit order.
      const now = this.clock.next();
      const effective = wishTime(wishedAt, this.clock.wall());
      // Looked up first so that an unknown id takes no change number.
      const changedAt = this.selectFavoriteChangedAt.get(id);
      if (changedAt === undefined) return { outcome: 'not-found' };
      // A classic PUT is always applied, as the classic server did.
      if (wishedAt !== undefined && effective < changedAt) {
        const current = this.selectById.get(id);
        if (!current) throw new Error(`restaurant ${id} vanished inside a write`);
        return { outcome: 'superseded', restaurant: toClassicRestaurant(current) };
      }
      const row = this.updateFavorite.get({
        id,
        is_favorite: isFavorite ? 1 : 0,
        now,
        wished_at: effective,
        seq: this.sequence.next(),
      });
      if (!row) throw new Error(`restaurant ${id} vanished inside a write`);
      return { outcome: 'applied', restaurant: toClassicRestaurant(row) };
    });
  }
}

/**
 * When a wish counts as made: the device's time, clamped to the server's wall clock; a classic
 * PUT (no time) is made now, and is applied whatever is stored. The wall clock, not the write clock: under a burst of writes the
 * write clock runs ahead of real time (each stamp at least 1 ms after the last), and a wish
 * clamped to it would beat a wish made a moment later by another device.
 */
export function wishTime(wishedAt: number | undefined, wallNow: number): number {
  return wishedAt === undefined ? wallNow : Math.min(wishedAt, wallNow);
}
