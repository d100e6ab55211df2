import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../../shared/api-client';
import { absoluteApiBase } from '../../shared/outbox-records';
import { Api } from '../core/api';

/**
 * Where this page's changes go: the app's API, in the absolute form every outbox record carries,
 * and a client for any record's API (a record written for another API still goes there).
 */
@Injectable({ providedIn: 'root' })
export class ApiTarget {
  private readonly api = inject(Api);
  private readonly others = new Map<string, ApiClient>();

  /** The absolute base URL of the app's API, e.g. `http://localhost:1337` for an empty setting. */
  base(): string {
    return absoluteApiBase(this.api.baseUrl, location.origin);
  }

  /** `replayOutbox`'s `apiFor`: the app's own client for its API, a plain one for any other. */
  readonly apiFor = (baseUrl: string): ApiClient => {
    if (baseUrl === this.base()) return this.api;
    let client = this.others.get(baseUrl);
    if (!client) this.others.set(baseUrl, (client = new ApiClient(baseUrl)));
    return client;
  };
}
