/**
 * LISTEN on a dedicated connection (a pooled one would be handed to queries and lose it): every
 * server hears the cursor of every commit, its own and the other servers', and feeds its live
 * notices with it. NOTIFY is sent inside the writing transaction (pg-writes.ts), so it arrives
 * only after the commit, never early.
 *
 * When the connection is lost (PostgreSQL restarted, a network cut), notices sent meanwhile are
 * lost with it. The listener reconnects with a growing delay (100 ms up to 5 s), and once it is
 * listening again calls `onReconnect`: the storage then reminds every live client to pull, so
 * nothing that committed during the gap goes unseen. Queries do not need this: the pool opens new
 * connections by itself.
 */
import pg from 'pg';
import { CHANGES_CHANNEL } from './pg-sql.ts';

export interface ListenerEvents {
  onNotice(cursor: number): void;
  onReconnect(): void;
}

const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 5_000;

export class PgListener {
  private client: pg.Client | undefined;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly events: ListenerEvents,
  ) {}

  /** Connects and listens; rejects if the first attempt fails (the server then does not start). */
  async start(): Promise<void> {
    await this.connect();
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'restaurant-reviews-listen' });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (message) => {
      const cursor = Number(message.payload);
      if (message.channel === CHANGES_CHANNEL && Number.isSafeInteger(cursor)) this.events.onNotice(cursor);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (!this.closed) this.events.onReconnect();
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
