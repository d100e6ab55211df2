import { Injectable } from '@angular/core';
import { ApiClient } from '../../shared/api-client';
import { environment } from '../../environments/environment';

/** The shared fetch client, pointed at `environment.apiBaseUrl` (empty: same origin). */
@Injectable({ providedIn: 'root' })
export class Api extends ApiClient {
  constructor() {
    super(environment.apiBaseUrl);
  }
}
