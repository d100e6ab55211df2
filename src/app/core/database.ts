import { Injectable } from '@angular/core';
import { type AppDb, appDbOpener } from '../../shared/db-schema';

/** Opens the shared IndexedDB schema once per page, on first use (the same memo as the worker's). */
@Injectable({ providedIn: 'root' })
export class Database {
  /** Resolves to the open database. A failed open is retried on the next call. */
  readonly get: () => Promise<AppDb> = appDbOpener();
}
