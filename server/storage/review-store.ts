/**
 * Reads and writes of reviews, including the two guarantees of the write path:
 * idempotent creation (client_id) and owner-only changes (edit tokens).
 *
 * Reads answer at once. Writes go through the group commit (group-commit.ts): each runs in its
 * own savepoint of the batch's transaction and resolves once the batch is durable. A batch runs
 * synchronously, so nothing can slip in between a check and the write that depends on it.
 */
import type { Database, Statement } from 'better-sqlite3';
import { editTokenMatches, issueEditToken } from '../edit-token.ts';
import type { ChangeSequence } from './change-sequence.ts';
import type { WriteClock } from './clock.ts';
import type { GroupCommit } from './group-commit.ts';
import { type ClassicReview, REVIEW_COLUMNS, type ReviewRow, toClassicReview } from './records.ts';
import type { ReviewStorage } from './storage.ts';

export interface ReviewPage {
  limit?: number;
  skip?: number;
}

export interface ReviewInput {
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  client_id?: string;
}

export interface ReviewChanges {
  name?: string;
  rating?: number;
  comments?: string;
}

export type CreateResult =
  | { outcome: 'created'; review: ClassicReview; editToken: string }
  /** The client_id was seen before: nothing was written, here is what the first POST stored. */
  | { outcome: 'replayed'; review: ClassicReview }
  | { outcome: 'unknown-restaurant' };

export type ChangeResult =
  | { outcome: 'done'; review: ClassicReview }
  | { outcome: 'not-found' }
  | { outcome: 'forbidden' };

/** One write of a batch (POST /reviews/batch), already validated. */
export type BatchWrite =
  | { op: 'create'; input: ReviewInput }
  | { op: 'edit'; id: number; editToken: string | undefined; changes: ReviewChanges }
  | { op: 'delete'; id: number; editToken: string | undefined };

/** The outcome of each write of a batch, at its index. */
export type BatchOutcome = CreateResult | ChangeResult;

interface InsertParams {
  restaurant_id: number;
  name: string;
  rating: number;
  comments: string;
  client_id: string | null;
  edit_token_hash: Buffer;
  now: number;
  seq: number;
}

interface UpdateParams {
  id: number;
  name: string | null;
  rating: number | null;
  comments: string | null;
  now: number;
  seq: number;
}

interface TombstoneParams {
  id: number;
  restaurant_id: number;
  seq: number;
  now: number;
}

export class ReviewStore implements ReviewStorage {
  private readonly selectAll: Statement<[number, number], ReviewRow>;
  private readonly selectByRestaurant: Statement<[number, number, number], ReviewRow>;
  private readonly selectById: Statement<[number], ReviewRow>;
  private readonly selectByClientId: Statement<[string], ReviewRow>;
  private readonly selectClientIdExists: Statement<[string], number>;
  private readonly selectTokenHash: Statement<[number], { edit_token_hash: Buffer | null }>;
  private readonly selectRestaurantExists: Statement<[number], number>;
  private readonly insert: Statement<InsertParams, ReviewRow>;
  private readonly update: Statement<UpdateParams, ReviewRow>;
  private readonly remove: Statement<[number], ReviewRow>;
  private readonly insertTombstone: Statement<TombstoneParams>;

  constructor(
    db: Database,
    private readonly clock: WriteClock,
    private readonly writes: GroupCommit,
    private readonly sequence: ChangeSequence,
  ) {
    this.selectAll = db
      .prepare<[number, number], ReviewRow>(
        `SELECT ${REVIEW_COLUMNS} FROM reviews ORDER BY id LIMIT ? OFFSET ?`,
      )
      .raw();
    // A separate statement rather than "restaurant_id = ? OR ? IS NULL": with the OR, SQLite
    // cannot use the (restaurant_id, id) index, and this is the app's most frequent query.
    this.selectByRestaurant = db
      .prepare<[number, number, number], ReviewRow>(
        `SELECT ${REVIEW_COLUMNS} FROM reviews
         WHERE restaurant_id = ? ORDER BY id LIMIT ? OFFSET ?`,
      )
      .raw();
    this.selectById = db
      .prepare<[number], ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM reviews WHERE id = ?`)
      .raw();
    this.selectByClientId = db
      .prepare<[string], ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM reviews WHERE client_id = ?`)
      .raw();
    this.selectClientIdExists = db
      .prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM reviews WHERE client_id = ?)')
      .pluck();
    this.selectTokenHash = db.prepare('SELECT edit_token_hash FROM reviews WHERE id = ?');
    this.selectRestaurantExists = db
      .prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM restaurants WHERE id = ?)')
      .pluck();
    this.insert = db
      .prepare<InsertParams, ReviewRow>(
        `INSERT INTO reviews (restaurant_id, name, rating, comments, client_id, edit_token_hash,
           created_at, updated_at, created_iso, updated_iso, seq)
         VALUES (@restaurant_id, @name, @rating, @comments, @client_id, @edit_token_hash,
           @now, @now, 1, 1, @seq)
         RETURNING ${REVIEW_COLUMNS}`,
      )
      .raw();
    this.update = db
      .prepare<UpdateParams, ReviewRow>(
        `UPDATE reviews
         SET name = coalesce(@name, name),
             rating = coalesce(@rating, rating),
             comments = coalesce(@comments, comments),
             updated_at = @now,
             updated_iso = 1,
             seq = @seq
         WHERE id = @id
         RETURNING ${REVIEW_COLUMNS}`,
      )
      .raw();
    this.remove = db
      .prepare<[number], ReviewRow>(`DELETE FROM reviews WHERE id = ? RETURNING ${REVIEW_COLUMNS}`)
      .raw();
    // The deletion's own change number: pulls after an older cursor learn the review is gone.
    this.insertTombstone = db.prepare<TombstoneParams>(
      `INSERT INTO review_tombstones (id, restaurant_id, seq, deleted_at)
       VALUES (@id, @restaurant_id, @seq, @now)`,
    );
  }

  async list(page: ReviewPage = {}): Promise<ClassicReview[]> {
    return this.selectAll.all(page.limit ?? -1, page.skip ?? 0).map(toClassicReview);
  }

  async listForRestaurant(restaurantId: number, page: ReviewPage = {}): Promise<ClassicReview[]> {
    return this.selectByRestaurant
      .all(restaurantId, page.limit ?? -1, page.skip ?? 0)
      .map(toClassicReview);
  }

  async get(id: number): Promise<ClassicReview | undefined> {
    const row = this.selectById.get(id);
    return row && toClassicReview(row);
  }

  async hasClientId(clientId: string): Promise<boolean> {
    return this.selectClientIdExists.get(clientId) === 1;
  }

  create(input: ReviewInput): Promise<CreateResult> {
    return this.writes.run(() => this.createNow(input));
  }

  change(id: number, editToken: string | undefined, changes: ReviewChanges): Promise<ChangeResult> {
    return this.writes.run(() => this.changeNow(id, editToken, changes));
  }

  delete(id: number, editToken: string | undefined): Promise<ChangeResult> {
    return this.writes.run(() => this.deleteNow(id, editToken));
  }

  /**
   * A batch of writes (POST /reviews/batch) in ONE transaction, in order: every outcome is
   * durable when the promise resolves, and a crash before that leaves none of them. Each write
   * is exactly what create / change / delete do alone, so a create whose client_id is stored is
   * `replayed` (a batch re-sent after a lost answer writes nothing twice), and a later item sees
   * the effects of earlier ones (two creates with one client_id: the second is a replay).
   *
   * A refused item (unknown restaurant, wrong token, missing review) writes nothing and does not
   * disturb the others. An unexpected error (I/O, a constraint) rolls the whole batch back and
   * rejects: the client then re-sends all of it, which is harmless for the reasons above.
   *
   * Porting it (PostgreSQL, issue #11): BEGIN; for each item in order, the same plain SQL as the
   * single writes: SELECT … WHERE client_id = $1, SELECT EXISTS restaurant, INSERT … RETURNING,
   * UPDATE … RETURNING, DELETE … RETURNING + INSERT INTO review_tombstones, each taking its number
   * with UPDATE change_sequence SET value = value + 1 … RETURNING value; COMMIT. No savepoint per
   * item is needed: refused items write nothing.
   */
  applyBatch(items: readonly BatchWrite[]): Promise<BatchOutcome[]> {
    return this.writes.run(() =>
      items.map((item): BatchOutcome => {
        switch (item.op) {
          case 'create':
            return this.createNow(item.input);
          case 'edit':
            return this.changeNow(item.id, item.editToken, item.changes);
          case 'delete':
            return this.deleteNow(item.id, item.editToken);
        }
      }),
    );
  }

  // The writes themselves, run inside a transaction of the group commit.

  private createNow(input: ReviewInput): CreateResult {
    // Checked inside the write, not before it: a duplicate queued in the same batch (or
    // committed by another process) is seen here. The UNIQUE index is the last line of defence.
    if (input.client_id !== undefined) {
      const existing = this.selectByClientId.get(input.client_id);
      if (existing) return { outcome: 'replayed', review: toClassicReview(existing) };
    }
    if (this.selectRestaurantExists.get(input.restaurant_id) !== 1) {
      return { outcome: 'unknown-restaurant' };
    }
    const { token, hash } = issueEditToken();
    const row = this.insert.get({
      restaurant_id: input.restaurant_id,
      name: input.name,
      rating: input.rating,
      comments: input.comments,
      client_id: input.client_id ?? null,
      edit_token_hash: hash,
      now: this.clock.next(),
      seq: this.sequence.next(),
    });
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return { outcome: 'created', review: toClassicReview(row), editToken: token };
  }

  private changeNow(id: number, editToken: string | undefined, changes: ReviewChanges): ChangeResult {
    const denied = this.authorize(id, editToken);
    if (denied) return denied;
    const { name, rating, comments } = changes;
    const nothingToChange = name === undefined && rating === undefined && comments === undefined;
    // A PUT that changes nothing must not move updatedAt: it is not a change.
    const row = nothingToChange
      ? this.selectById.get(id)
      : this.update.get({
          id,
          name: name ?? null,
          rating: rating ?? null,
          comments: comments ?? null,
          now: this.clock.next(),
          seq: this.sequence.next(),
        });
    return row ? { outcome: 'done', review: toClassicReview(row) } : { outcome: 'not-found' };
  }

  private deleteNow(id: number, editToken: string | undefined): ChangeResult {
    const denied = this.authorize(id, editToken);
    if (denied) return denied;
    const row = this.remove.get(id);
    if (!row) return { outcome: 'not-found' };
    this.insertTombstone.run({
      id,
      restaurant_id: row[1],
      seq: this.sequence.next(),
      now: this.clock.next(),
    });
    return { outcome: 'done', review: toClassicReview(row) };
  }

  /** Not-found first: a 404 for a missing review tells nothing a GET would not. */
  private authorize(id: number, token: string | undefined): ChangeResult | undefined {
    const stored = this.selectTokenHash.get(id);
    if (!stored) return { outcome: 'not-found' };
    if (!editTokenMatches(stored.edit_token_hash, token)) return { outcome: 'forbidden' };
    return undefined;
  }
}
