import { Injectable } from '@angular/core';
import { type AppDb, openAppDb } from '../../shared/db-schema';

/** Opens the shared IndexedDB schema once per page, on first use. */
@Injectable({ providedIn: 'root' })
export class Database {
  private opened?: Promise<AppDb>;

  /** Resolves to the open database. A failed open is retried on the next call. */
  get(): Promise<AppDb> {
    this.opened ??= openAppDb().catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }
}
