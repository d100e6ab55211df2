/**
 * Reviews on PostgreSQL: idempotent creation by client_id and owner-only changes by edit token,
 * as in ../review-store.ts. Every write runs in PgWrites.run, after the change-sequence lock, so
 * the client_id check sees a duplicate that another server committed a moment earlier; and should
 * anything ever insert without that lock, the unique index turns the second insert into a replay.
 */
import type { Pool } from 'pg';
import { editTokenMatches, issueEditToken } from '../../edit-token.ts';
import { type ClassicReview, REVIEW_COLUMNS, type ReviewRow, toClassicReview } from '../records.ts';
import type {
  BatchOutcome,
  BatchWrite,
  ChangeResult,
  CreateResult,
  ReviewChanges,
  ReviewInput,
  ReviewPage,
} from '../review-store.ts';
import type { ReviewStorage } from '../storage.ts';
import { UNIQUE_VIOLATION, errorCode, statement } from './pg-sql.ts';
import type { PgWrites, WriteTransaction } from './pg-writes.ts';

const selectAll = statement('reviews-all', `SELECT ${REVIEW_COLUMNS} FROM reviews ORDER BY id LIMIT $1 OFFSET $2`);
const selectByRestaurant = statement(
  'reviews-by-restaurant',
  `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE restaurant_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
);
const selectById = statement('review-by-id', `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE id = $1`);
// `client_id IS NOT NULL` lets the planner use the partial unique index.
const selectByClientId = statement(
  'review-by-client-id',
  `SELECT ${REVIEW_COLUMNS} FROM reviews WHERE lower(client_id) = lower($1) AND client_id IS NOT NULL`,
);
const selectClientIdExists = statement(
  'review-client-id-exists',
  'SELECT EXISTS (SELECT 1 FROM reviews WHERE lower(client_id) = lower($1) AND client_id IS NOT NULL)',
);
const selectTokenHash = statement('review-token-hash', 'SELECT edit_token_hash FROM reviews WHERE id = $1');
const selectRestaurantExists = statement(
  'review-restaurant-exists',
  'SELECT EXISTS (SELECT 1 FROM restaurants WHERE id = $1)',
);
const insert = statement(
  'review-insert',
  `INSERT INTO reviews (restaurant_id, name, rating, comments, client_id, edit_token_hash,
     created_at, updated_at, created_iso, updated_iso, seq)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1, 1, $8)
   RETURNING ${REVIEW_COLUMNS}`,
);
const update = statement(
  'review-update',
  `UPDATE reviews
   SET name = coalesce($2, name), rating = coalesce($3, rating), comments = coalesce($4, comments),
       updated_at = $5, updated_iso = 1, seq = $6
   WHERE id = $1
   RETURNING ${REVIEW_COLUMNS}`,
);
const remove = statement('review-delete', `DELETE FROM reviews WHERE id = $1 RETURNING ${REVIEW_COLUMNS}`);
const insertTombstone = statement(
  'review-tombstone',
  'INSERT INTO review_tombstones (id, restaurant_id, seq, deleted_at) VALUES ($1, $2, $3, $4)',
);

export class PgReviewStore implements ReviewStorage {
  constructor(
    private readonly pool: Pool,
    private readonly writes: PgWrites,
  ) {}

  async list(page: ReviewPage = {}): Promise<ClassicReview[]> {
    const { rows } = await this.pool.query<ReviewRow>(selectAll(page.limit ?? null, page.skip ?? 0));
    return rows.map(toClassicReview);
  }

  async listForRestaurant(restaurantId: number, page: ReviewPage = {}): Promise<ClassicReview[]> {
    const { rows } = await this.pool.query<ReviewRow>(
      selectByRestaurant(restaurantId, page.limit ?? null, page.skip ?? 0),
    );
    return rows.map(toClassicReview);
  }

  async get(id: number): Promise<ClassicReview | undefined> {
    const { rows } = await this.pool.query<ReviewRow>(selectById(id));
    return rows[0] && toClassicReview(rows[0]);
  }

  async hasClientId(clientId: string): Promise<boolean> {
    const { rows } = await this.pool.query<[boolean]>(selectClientIdExists(clientId));
    return rows[0]?.[0] === true;
  }

  async create(input: ReviewInput): Promise<CreateResult> {
    try {
      return await this.writes.run((tx) => this.createIn(tx, input));
    } catch (error) {
      if (errorCode(error) !== UNIQUE_VIOLATION || input.client_id === undefined) throw error;
      // Another transaction inserted this client_id first: that one is the review.
      const { rows } = await this.pool.query<ReviewRow>(selectByClientId(input.client_id));
      if (!rows[0]) throw error;
      return { outcome: 'replayed', review: toClassicReview(rows[0]) };
    }
  }

  change(id: number, editToken: string | undefined, changes: ReviewChanges): Promise<ChangeResult> {
    return this.writes.run((tx) => this.changeIn(tx, id, editToken, changes));
  }

  delete(id: number, editToken: string | undefined): Promise<ChangeResult> {
    return this.writes.run((tx) => this.deleteIn(tx, id, editToken));
  }

  /**
   * The batch in one transaction (one lock of the change sequence, one COMMIT), each item by the
   * same code as the single write, in order: a later item sees the earlier ones. A unique
   * violation (a client_id inserted by a writer that bypassed the lock) rolls the batch back and
   * rejects; the client re-sends it, and the stored one is then a replay.
   */
  applyBatch(items: readonly BatchWrite[]): Promise<BatchOutcome[]> {
    return this.writes.run(async (tx) => {
      const outcomes: BatchOutcome[] = [];
      for (const item of items) {
        switch (item.op) {
          case 'create':
            outcomes.push(await this.createIn(tx, item.input));
            break;
          case 'edit':
            outcomes.push(await this.changeIn(tx, item.id, item.editToken, item.changes));
            break;
          case 'delete':
            outcomes.push(await this.deleteIn(tx, item.id, item.editToken));
            break;
        }
      }
      return outcomes;
    });
  }

  private async changeIn(
    tx: WriteTransaction,
    id: number,
    editToken: string | undefined,
    changes: ReviewChanges,
  ): Promise<ChangeResult> {
    const denied = await authorize(tx, id, editToken);
    if (denied) return denied;
    const { name, rating, comments } = changes;
    const nothingToChange = name === undefined && rating === undefined && comments === undefined;
    // A PUT that changes nothing must not move updatedAt: it is not a change.
    const { rows } = await tx.client.query<ReviewRow>(
      nothingToChange
        ? selectById(id)
        : update(id, name ?? null, rating ?? null, comments ?? null, tx.now(), tx.nextSeq()),
    );
    return rows[0] ? { outcome: 'done', review: toClassicReview(rows[0]) } : { outcome: 'not-found' };
  }

  private async deleteIn(tx: WriteTransaction, id: number, editToken: string | undefined): Promise<ChangeResult> {
    const denied = await authorize(tx, id, editToken);
    if (denied) return denied;
    const { rows } = await tx.client.query<ReviewRow>(remove(id));
    const row = rows[0];
    if (!row) return { outcome: 'not-found' };
    await tx.client.query(insertTombstone(id, row[1], tx.nextSeq(), tx.now()));
    return { outcome: 'done', review: toClassicReview(row) };
  }

  private async createIn(tx: WriteTransaction, input: ReviewInput): Promise<CreateResult> {
    if (input.client_id !== undefined) {
      const existing = await tx.client.query<ReviewRow>(selectByClientId(input.client_id));
      if (existing.rows[0]) return { outcome: 'replayed', review: toClassicReview(existing.rows[0]) };
    }
    const restaurant = await tx.client.query<[boolean]>(selectRestaurantExists(input.restaurant_id));
    if (restaurant.rows[0]?.[0] !== true) return { outcome: 'unknown-restaurant' };
    const { token, hash } = issueEditToken();
    const { rows } = await tx.client.query<ReviewRow>(
      insert(
        input.restaurant_id,
        input.name,
        input.rating,
        input.comments,
        input.client_id ?? null,
        hash,
        tx.now(),
        tx.nextSeq(),
      ),
    );
    if (!rows[0]) throw new Error('INSERT … RETURNING returned no row');
    return { outcome: 'created', review: toClassicReview(rows[0]), editToken: token };
  }
}

/** Not-found first: a 404 for a missing review tells nothing a GET would not. */
async function authorize(tx: WriteTransaction, id: number, token: string | undefined): Promise<ChangeResult | undefined> {
  const { rows } = await tx.client.query<[Buffer | null]>(selectTokenHash(id));
  if (!rows[0]) return { outcome: 'not-found' };
  if (!editTokenMatches(rows[0][0], token)) return { outcome: 'forbidden' };
  return undefined;
}
