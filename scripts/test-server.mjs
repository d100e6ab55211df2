// `npm run test:server`: the server's node:test suites, twice. First on SQLite (every file but
// the PostgreSQL-only ones), then on PostgreSQL in a throwaway cluster that this script starts
// (scripts/pg-cluster.mjs) and stops on every exit path, with TEST_DATABASE_URL pointing at it
// (server/test/test-database.ts). Without PostgreSQL's binaries it fails with an install hint:
// the PostgreSQL run is part of the suite, never skipped. Arguments (test files) narrow both runs.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { startCluster } from './pg-cluster.mjs';

/** About SQLite itself (its file, pragmas, group commit, crash recovery, raw-table checks). */
const SQLITE_ONLY = new Set([
  'change-feed-sqlite.test.ts',
  'crash.test.ts',
  'fuzz.test.ts',
  'group-commit.test.ts',
  'malformed-http.test.ts',
  'persistence.test.ts',
  'process.test.ts',
  'security.test.ts',
]);
/** Several servers on one database, PostgreSQL's restarts: nothing to run on one SQLite file. */
const POSTGRES_ONLY = new Set(['multi-server.test.ts', 'postgres.test.ts']);
/** Pure functions with no database: once is enough. */
const NO_BACKEND = new Set(['config.test.ts']);

const requested = process.argv.slice(2).map((arg) => arg.replace(/^.*\//, ''));
const all = readdirSync('server/test').filter((name) => name.endsWith('.test.ts'));
const chosen = requested.length ? all.filter((name) => requested.includes(name)) : all;
const sqliteFiles = chosen.filter((name) => !POSTGRES_ONLY.has(name));
const postgresFiles = chosen.filter((name) => !SQLITE_ONLY.has(name) && !NO_BACKEND.has(name));

let failed = false;
if (sqliteFiles.length) {
  console.log(`\n# server tests on SQLite (${sqliteFiles.length} files)`);
  failed = (await runTests(sqliteFiles, {})) !== 0 || failed;
}
if (postgresFiles.length) {
  let cluster;
  try {
    cluster = await startCluster();
  } catch (error) {
    console.error(`\n${error.message}\nℹ pass 0\nℹ fail 1`);
    process.exit(1);
  }
  try {
    console.log(`\n# server tests on PostgreSQL (${postgresFiles.length} files, cluster on port ${cluster.port})`);
    failed = (await runTests(postgresFiles, { TEST_DATABASE_URL: cluster.url })) !== 0 || failed;
  } finally {
    cluster.stop();
  }
}
process.exit(failed ? 1 : 0);

function runTests(files, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((name) => `server/test/${name}`)],
      { stdio: 'inherit', env: { ...process.env, ...env } },
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}
