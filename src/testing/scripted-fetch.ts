/**
 * A scripted `fetch` for unit tests of the data layer: each call is answered by the handler the test
 * gives, and recorded. IndexedDB stays real (Karma runs in Chromium); end-to-end tests use the real
 * server. Only the network is scripted here, because these tests are about ordering and failure
 * handling that a real server cannot be made to produce on cue.
 */
import { DB_NAME } from '../shared/db-schema';
import { REVIEW_BATCH_PATH } from '../shared/review-batch';

export interface RecordedCall {
  method: string;
  url: string;
  body?: unknown;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response> | 'network-error';

export interface ScriptedServer {
  /**
   * Whether the scripted server has `POST /reviews/batch`. By default it has not, like the
   * original stage-3 server: such a request is answered 404 and recorded in `batchProbes`, not in
   * `calls`, so tests of the one-request-per-review path see only that path's requests.
   */
  batchRoute?: boolean;
}

export class ScriptedFetch {
  readonly calls: RecordedCall[] = [];
  /** Batch requests a server without the route answered 404. */
  readonly batchProbes: RecordedCall[] = [];

  constructor(
    private handler: Handler,
    private readonly server: ScriptedServer = {},
  ) {}

  respondWith(handler: Handler): void {
    this.handler = handler;
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      url: String(input),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    if (!this.server.batchRoute && call.method === 'POST' && new URL(call.url, 'http://x').pathname.endsWith(REVIEW_BATCH_PATH)) {
      this.batchProbes.push(call);
      return json({ error: 'Not Found', message: 'Not Found' }, 404);
    }
    this.calls.push(call);
    const answer = await this.handler(call);
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return answer;
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Deletes the app's database so every test starts empty. Open connections close on versionchange. */
export function deleteAppDb(name = DB_NAME): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => setTimeout(resolve, 50);
  });
}

export function wireRestaurant(id: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `Restaurant ${id}`,
    neighborhood: id % 2 ? 'Manhattan' : 'Brooklyn',
    photograph: String(id),
    address: `${id} Main St`,
    latlng: { lat: 40.7, lng: -73.9 },
    cuisine_type: 'Pizza',
    operating_hours: { Monday: '5:30 pm - 11:00 pm' },
    createdAt: 1504095563444,
    updatedAt: '2017-09-01T12:00:00.000Z',
    is_favorite: 'false',
    ...overrides,
  };
}
