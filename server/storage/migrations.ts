/**
 * The database schema, as an ordered list of steps. `PRAGMA user_version` records how many have
 * run, so a database created by any earlier version of the server is brought up to date at
 * startup. Never edit a step that has shipped: append a new one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1-based and contiguous: step N leaves the database at user_version N. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'restaurants and reviews',
    up(db) {
      // Timestamps are stored as epoch milliseconds so they sort and compare (updated_since).
      // The classic API prints seed timestamps as numbers and server-written ones as ISO
      // strings; the *_iso flags remember which of the two each value must be printed as.
      //
      // Text filters (neighborhood, cuisine_type) and client_id compare case-insensitively:
      // "manhattan" finds "Manhattan", and a UUID sent in upper case is the same UUID.
      db.exec(`
        CREATE TABLE restaurants (
          id              INTEGER PRIMARY KEY,
          name            TEXT    NOT NULL,
          neighborhood    TEXT    NOT NULL COLLATE NOCASE,
          photograph      TEXT    NOT NULL,
          address         TEXT    NOT NULL,
          lat             REAL    NOT NULL,
          lng             REAL    NOT NULL,
          cuisine_type    TEXT    NOT NULL COLLATE NOCASE,
          operating_hours TEXT    NOT NULL CHECK (json_valid(operating_hours)),
          is_favorite     INTEGER NOT NULL DEFAULT 0 CHECK (is_favorite IN (0, 1)),
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          created_iso     INTEGER NOT NULL CHECK (created_iso IN (0, 1)),
          updated_iso     INTEGER NOT NULL CHECK (updated_iso IN (0, 1))
        ) STRICT;

        CREATE INDEX restaurants_updated_at ON restaurants (updated_at);
        CREATE INDEX restaurants_neighborhood ON restaurants (neighborhood);
        CREATE INDEX restaurants_cuisine_type ON restaurants (cuisine_type);

        -- AUTOINCREMENT: an id is never handed out twice, even after the newest review is
        -- deleted. Offline clients keep ids in their caches and outboxes; a reused id would
        -- make them show, edit or delete somebody else's review.
        CREATE TABLE reviews (
          id              INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id   INTEGER NOT NULL REFERENCES restaurants (id),
          name            TEXT    NOT NULL,
          rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
          comments        TEXT    NOT NULL,
          client_id       TEXT    COLLATE NOCASE,
          -- SHA-256 of the edit token; NULL for seeded reviews, which nobody may change.
          edit_token_hash BLOB,
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          created_iso     INTEGER NOT NULL CHECK (created_iso IN (0, 1)),
          updated_iso     INTEGER NOT NULL CHECK (updated_iso IN (0, 1))
        ) STRICT;

        CREATE INDEX reviews_restaurant_id ON reviews (restaurant_id, id);
        -- The idempotency guarantee: two POSTs with one client_id can never both insert.
        CREATE UNIQUE INDEX reviews_client_id ON reviews (client_id) WHERE client_id IS NOT NULL;
      `);
    },
  },
  {
    version: 2,
    description: 'change sequence, review tombstones, favorite change times',
    up(db) {
      // The change feed (GET /changes). Every write takes the next number of one counter inside
      // its own transaction and stamps it on the row it wrote (`seq`), so numbers follow commit
      // order and a row's seq is its latest change. Rows that exist before this step keep seq 0
      // ("not numbered yet"): `numberUnsequencedRows` (change-sequence.ts) numbers them when the
      // database is opened, in the order they were last updated, and also catches rows that a
      // bulk script (seed:large) inserted without a number.
      //
      // Deleted reviews leave a tombstone (their id and the seq of the deletion) so that a pull
      // can tell a client to drop its copy. Tombstones older than the retention are pruned;
      // `pruned_through` remembers the newest pruned seq, and a cursor below it is answered
      // with "resync".
      //
      // favorite_changed_at: when the favorite's current value was wished (server clock,
      // epoch ms), for the "later wish wins" rule. Restaurants only ever changed through the
      // favorite PUT, so a server-written updated_at is exactly that time; 0 = never changed.
      db.exec(`
        CREATE TABLE change_sequence (
          id             INTEGER PRIMARY KEY CHECK (id = 1),
          value          INTEGER NOT NULL,
          pruned_through INTEGER NOT NULL
        ) STRICT;
        INSERT INTO change_sequence (id, value, pruned_through) VALUES (1, 0, 0);

        ALTER TABLE restaurants ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE restaurants ADD COLUMN favorite_changed_at INTEGER NOT NULL DEFAULT 0;
        UPDATE restaurants SET favorite_changed_at = updated_at WHERE updated_iso = 1;
        ALTER TABLE reviews ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX restaurants_seq ON restaurants (seq);
        CREATE INDEX reviews_seq ON reviews (seq);

        -- id: the deleted review's id, never reused (reviews.id is AUTOINCREMENT).
        CREATE TABLE review_tombstones (
          id            INTEGER PRIMARY KEY,
          restaurant_id INTEGER NOT NULL,
          seq           INTEGER NOT NULL,
          deleted_at    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX review_tombstones_seq ON review_tombstones (seq);
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the pending steps, each in its own transaction together with its version bump. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The database is at schema version ${current}, newer than this server's ${SCHEMA_VERSION}. ` +
        'Run a newer server or point DB_FILE at another file.',
    );
  }
  for (const migration of MIGRATIONS.slice(current)) {
    db.transaction(() => {
      migration.up(db);
      // PRAGMA takes no bound parameters; the value is a constant from this file.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
