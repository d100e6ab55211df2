import { Injectable, inject } from '@angular/core';
import type { ApiClient } from '../../shared/api-client';
import { Api } from '../core/api';
import { RuntimeConfig } from '../core/runtime-config';

/**
 * Where this page's changes go: the API the runtime config names, in the absolute form every
 * outbox record carries, and a client for any record's API (a record written for another API
 * still goes there, and only there).
 */
@Injectable({ providedIn: 'root' })
export class ApiTarget {
  private readonly api = inject(Api);
  private readonly config = inject(RuntimeConfig);

  /** The absolute base URL new records are written for; waits for the runtime config. */
  base(): Promise<string> {
    return this.config.apiBase();
  }

  /** The API the views lay pending changes over, once known (undefined: not yet, show them all). */
  current(): string | undefined {
    return this.config.apiBaseUrl();
  }

  /** Whether this page may connect there (its CSP names its own origin and the configured API). */
  readonly canReach = (baseUrl: string): boolean => this.config.canReach(baseUrl);

  /** `replayOutbox`'s `apiFor`: the app's client (same fetch) pointed at a record's API. */
  readonly apiFor = (baseUrl: string): ApiClient => this.api.at(baseUrl);
}
