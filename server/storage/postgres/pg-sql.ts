/**
 * How this server talks to PostgreSQL through `pg`: named statements (each is parsed and planned
 * once per connection, then only bound and executed), rows as arrays in the column order of
 * records.ts (the same tuples as SQLite's raw mode, so both backends share one row mapping), and
 * bigint columns (epoch-ms timestamps, change numbers) read as JavaScript numbers: they stay far
 * below 2^53.
 */
import pg from 'pg';
import type { QueryArrayConfig } from 'pg';

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
