/**
 * Which backend the server tests run on. `npm run test:server` (scripts/test-server.mjs) runs the
 * suites twice: on SQLite files, and on PostgreSQL with TEST_DATABASE_URL set to a throwaway
 * cluster it started. In the PostgreSQL run, every test database is a fresh database of that
 * cluster, named after the SQLite file the test would have used: a test that restarts a server on
 * "the same file" gets the same database back.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** The cluster's admin URL (database `postgres`), or undefined in the SQLite run. */
export const PG_ADMIN_URL = process.env['TEST_DATABASE_URL'] || undefined;
export const TEST_BACKEND: 'sqlite' | 'postgres' = PG_ADMIN_URL ? 'postgres' : 'sqlite';

const DUPLICATE_DATABASE = '42P04';

function requireCluster(): string {
  if (!PG_ADMIN_URL) throw new Error('TEST_DATABASE_URL is not set: run the PostgreSQL tests through npm run test:server');
  return PG_ADMIN_URL;
}

function databaseName(key: string): string {
  return `rr_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requireCluster() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of the cluster's database for `key` (created empty if it does not exist yet). */
export async function testDatabaseUrl(key: string): Promise<string> {
  const name = databaseName(key);
  await admin(async (client) => {
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  });
  const url = new URL(requireCluster());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(key: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName(key)} WITH (FORCE)`));
}
