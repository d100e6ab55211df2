import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../../shared/api-client';
import { RuntimeConfig } from './runtime-config';

/**
 * The shared fetch client, pointed at the API named by the runtime config (`/app-config.json`).
 * Each request waits for that address; nothing else does, so the first paint never waits for it.
 */
@Injectable({ providedIn: 'root' })
export class Api extends ApiClient {
  constructor() {
    const config = inject(RuntimeConfig);
    super(() => config.apiBase());
  }
}
