/**
 * Picks the backend: PostgreSQL when a DATABASE_URL is given, else the SQLite file.
 */
import { openPostgresStorage } from './postgres/pg-storage.ts';
import { openSqliteStorage } from './sqlite-storage.ts';
import type { Storage, StorageOptions } from './storage.ts';

export interface OpenStorageOptions extends StorageOptions {
  dbFile: string;
  databaseUrl?: string;
  pgPoolMax?: number;
}

export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  if (options.databaseUrl) return openPostgresStorage(options.databaseUrl, { ...options, poolMax: options.pgPoolMax });
  return openSqliteStorage(options.dbFile, options);
}
