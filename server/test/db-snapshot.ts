/**
 * Looks at the SQLite file itself, beside the running server (WAL lets a second connection read
 * while the server writes): a snapshot of every table, and SQLite's own consistency checks.
 * Comparing the file rather than GET answers also covers what the API never shows: edit token
 * hashes, the AUTOINCREMENT counter, the schema version.
 */
import Database from 'better-sqlite3';

/** Every row of every table (sqlite_sequence included), in rowid order, as one JSON string. */
export function snapshotDatabase(dbFile: string): string {
  return withDatabase(dbFile, (db) => {
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    const content: Record<string, unknown> = {
      user_version: db.pragma('user_version', { simple: true }),
      schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all(),
    };
    for (const table of tables) {
      // Table names come from sqlite_master, not from input; quoted all the same.
      content[table] = db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}" ORDER BY rowid`).all();
    }
    return JSON.stringify(content, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
  });
}

export interface ConsistencyReport {
  /** `['ok']` when the file is sound. */
  integrity: string[];
  /** Rows whose foreign key points nowhere; empty when sound. */
  foreignKeyViolations: unknown[];
}

export function checkConsistency(dbFile: string): ConsistencyReport {
  return withDatabase(dbFile, (db) => ({
    integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check),
    foreignKeyViolations: db.pragma('foreign_key_check') as unknown[],
  }));
}

/**
 * Read-only connection. `fileMustExist` so a wrong path fails instead of creating an empty file
 * that would then "pass" every check.
 */
export function withDatabase<T>(dbFile: string, use: (db: Database.Database) => T): T {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}
