/**
 * Opens the SQLite file with the settings the server relies on, brings its schema up to date and
 * seeds an empty database.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { numberUnsequencedRows } from './change-sequence.ts';
import { migrate } from './migrations.ts';
import { isEmpty, seedClassicData } from './seed.ts';

export interface OpenDatabaseOptions {
  /** Write the classic data set into an empty database (default true). */
  seed?: boolean;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const db = new Database(file);
  try {
    // WAL: readers never wait for the writer, and a commit is one append to the log.
    db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss. The API
    // acknowledges a write only once it is durable, because an offline client deletes its queued
    // copy when it sees the 2xx; a lost acknowledged write would be lost for good.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Another process (seed script, backup, a second server) may hold the write lock briefly.
    db.pragma('busy_timeout = 5000');

    migrate(db);
    if (options.seed !== false && isEmpty(db)) seedClassicData(db);
    // After the seed, so that seed rows are numbered like every other row.
    numberUnsequencedRows(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
