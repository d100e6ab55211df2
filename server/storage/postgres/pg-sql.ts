/**
 * How this server talks to PostgreSQL through `pg`: named statements (each is parsed and planned
 * once per connection, then only bound and executed), rows as arrays in the column order of
 * records.ts (the same tuples as SQLite's raw mode, so both backends share one row mapping), and
 * bigint columns (epoch-ms timestamps, change numbers) read as JavaScript numbers: they stay far
 * below 2^53.
 */
import pg from 'pg';
import type { Pool, PoolClient, QueryArrayConfig } from 'pg';

const INT8_OID = 20;

/** Per pool rather than `pg.types.setTypeParser`: nothing else in the process is affected. */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** A named, parameterized statement: `statement('name', 'SELECT … $1')(value)`. */
export function statement(name: string, text: string): (...values: unknown[]) => QueryArrayConfig {
  const qualified = `rr-${name}`;
  return (...values) => ({ name: qualified, text, values, rowMode: 'array' });
}

/**
 * Runs `work` on a connection of its own (a transaction), then hands it back to the pool, or
 * closes it if anything failed (a failed COMMIT, a lost connection: it may be in any state).
 *
 * While a connection is checked out, the pool no longer listens for its errors; a connection
 * that PostgreSQL closes between two queries (a restart) would emit an 'error' nobody hears, and
 * that ends the process. The listener here hears it; the next query then fails and the request
 * gets a 500, which the client retries.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** PostgreSQL's error code for a unique index violation. */
export const UNIQUE_VIOLATION = '23505';

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The channel every server LISTENs on; the payload is the new cursor. */
export const CHANGES_CHANNEL = 'rr_changes';

/** "user@host:port/database" for messages: never the password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
