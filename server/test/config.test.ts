import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, defaultStaticDir, readConfig } from '../config.ts';

describe('configuration', () => {
  it('has defaults that keep the server on this machine, on port 1337', () => {
    const config = readConfig({}, '/srv/rr');
    assert.equal(config.port, 1337);
    assert.equal(config.host, 'localhost');
    assert.equal(config.dbFile, '/srv/rr/data/restaurant-reviews.sqlite');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.rateLimitMax, 2000);
    assert.equal(config.rateLimitWindowMs, 60_000);
    assert.equal(config.bodyLimit, 65_536);
    assert.equal(config.apiBaseUrl, '', 'the API is on the app\'s own origin');
    assert.equal(config.requestTimeoutMs, 30_000);
    assert.equal(config.headersTimeoutMs, 20_000);
    assert.equal(config.keepAliveTimeoutMs, 72_000);
    assert.equal(config.tombstoneRetentionMs, 30 * 86_400_000);
    assert.equal(config.liveHeartbeatMs, 15_000);
    assert.equal(config.liveMaxConnections, 500);
  });

  it('reads every variable, resolving paths against the working directory', () => {
    const config = readConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        DB_FILE: 'tmp/x.sqlite',
        LOG_LEVEL: 'silent',
        STATIC_DIR: 'build/www',
        RATE_LIMIT_MAX: '5',
        RATE_LIMIT_WINDOW_MS: '1000',
        BODY_LIMIT: '2048',
        API_BASE_URL: 'https://api.example.com/v1/',
        REQUEST_TIMEOUT_MS: '5000',
        HEADERS_TIMEOUT_MS: '2000',
        KEEP_ALIVE_TIMEOUT_MS: '3000',
        TOMBSTONE_RETENTION_DAYS: '7',
        LIVE_HEARTBEAT_MS: '5000',
        LIVE_MAX_CONNECTIONS: '0',
        DATABASE_URL: 'postgres://rr:secret@db.internal:5432/reviews',
        PG_POOL_MAX: '20',
      },
      '/srv/rr',
    );
    assert.deepEqual(config, {
      port: 0,
      host: '0.0.0.0',
      dbFile: '/srv/rr/tmp/x.sqlite',
      databaseUrl: 'postgres://rr:secret@db.internal:5432/reviews',
      pgPoolMax: 20,
      logLevel: 'silent',
      staticDir: '/srv/rr/build/www',
      rateLimitMax: 5,
      rateLimitWindowMs: 1000,
      bodyLimit: 2048,
      apiBaseUrl: 'https://api.example.com/v1',
      requestTimeoutMs: 5000,
      headersTimeoutMs: 2000,
      keepAliveTimeoutMs: 3000,
      tombstoneRetentionMs: 7 * 86_400_000,
      liveHeartbeatMs: 5000,
      liveMaxConnections: 0,
    });
    assert.equal(readConfig({ DB_FILE: ':memory:' }).dbFile, ':memory:');
  });

  it('finds dist/app from the bundle and from the sources alike', () => {
    assert.equal(defaultStaticDir('file:///repo/dist/server/main.mjs'), '/repo/dist/app');
    assert.equal(defaultStaticDir('file:///repo/server/config.ts'), '/repo/dist/app');
  });

  it('refuses bad values, naming each variable and the value it got', () => {
    const bad: [string, string, RegExp][] = [
      ['PORT', 'abc', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
      ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
      ['PORT', '-1', /PORT must be an integer/],
      ['PORT', '80.5', /PORT must be an integer/],
      ['RATE_LIMIT_MAX', '0', /RATE_LIMIT_MAX must be an integer from 1/],
      ['RATE_LIMIT_WINDOW_MS', 'soon', /RATE_LIMIT_WINDOW_MS must be an integer/],
      ['BODY_LIMIT', '10', /BODY_LIMIT must be an integer from 1024/],
      ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
      ['HOST', 'local host', /HOST must be a host name/],
      ['API_BASE_URL', 'localhost:1337', /API_BASE_URL must use http or https \(got "localhost:1337"\)/],
      ['API_BASE_URL', '/api', /API_BASE_URL must be an absolute http\(s\) URL/],
      ['API_BASE_URL', 'ftp://example.com', /API_BASE_URL must use http or https/],
      ['API_BASE_URL', 'http://', /API_BASE_URL must be an absolute http\(s\) URL/],
      ['API_BASE_URL', 'http://user:pw@example.com', /API_BASE_URL must not contain credentials/],
      ['API_BASE_URL', 'http://example.com/?x=1', /API_BASE_URL must not have a query or a fragment/],
      ['REQUEST_TIMEOUT_MS', '0', /REQUEST_TIMEOUT_MS must be an integer from 1000 to 3600000 \(got "0"\)/],
      ['REQUEST_TIMEOUT_MS', '30s', /REQUEST_TIMEOUT_MS must be an integer/],
      ['HEADERS_TIMEOUT_MS', '999', /HEADERS_TIMEOUT_MS must be an integer from 1000/],
      ['KEEP_ALIVE_TIMEOUT_MS', '-5', /KEEP_ALIVE_TIMEOUT_MS must be an integer/],
      ['KEEP_ALIVE_TIMEOUT_MS', '3600001', /KEEP_ALIVE_TIMEOUT_MS must be an integer from 1000 to 3600000/],
      ['TOMBSTONE_RETENTION_DAYS', '0', /TOMBSTONE_RETENTION_DAYS must be an integer from 1 to 36500/],
      ['LIVE_HEARTBEAT_MS', '10', /LIVE_HEARTBEAT_MS must be an integer from 1000 to 300000/],
      ['LIVE_MAX_CONNECTIONS', 'many', /LIVE_MAX_CONNECTIONS must be an integer from 0/],
      ['DATABASE_URL', 'mysql://db/reviews', /DATABASE_URL must be a PostgreSQL URL .* \(got "mysql:\/\/db\/reviews"\)/],
      ['DATABASE_URL', 'postgres://', /DATABASE_URL must be a PostgreSQL URL/],
      ['DATABASE_URL', 'db.internal:5432', /DATABASE_URL must be a PostgreSQL URL/],
      ['PG_POOL_MAX', '0', /PG_POOL_MAX must be an integer from 1 to 1000 \(got "0"\)/],
    ];
    for (const [name, value, message] of bad) {
      assert.throws(() => readConfig({ [name]: value }), message, `${name}=${value}`);
    }
    // A bad DATABASE_URL is named without repeating its password.
    assert.throws(
      () => readConfig({ DATABASE_URL: 'mysql://rr:hunter2@db/reviews' }),
      (error: Error) => /DATABASE_URL/.test(error.message) && !error.message.includes('hunter2'),
    );
  });

  it('normalizes API_BASE_URL: empty means the own origin, else an absolute URL without trailing slash', () => {
    const cases: [string | undefined, string][] = [
      [undefined, ''],
      ['', ''],
      ['   ', ''],
      ['http://127.0.0.1:13370', 'http://127.0.0.1:13370'],
      ['http://127.0.0.1:13370/', 'http://127.0.0.1:13370'],
      [' HTTP://API.Example.com:80/ ', 'http://api.example.com'],
      ['https://example.com/api//', 'https://example.com/api'],
    ];
    for (const [raw, expected] of cases) {
      assert.equal(readConfig(raw === undefined ? {} : { API_BASE_URL: raw }).apiBaseUrl, expected, `${raw}`);
    }
  });

  it('refuses a headers timeout longer than the request timeout it is part of, naming both', () => {
    assert.throws(
      () => readConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '8000' }),
      /HEADERS_TIMEOUT_MS \(8000\) must not exceed REQUEST_TIMEOUT_MS \(5000\)/,
    );
    // Unset, the headers timeout (20 s) follows a shorter request timeout down.
    assert.equal(readConfig({ REQUEST_TIMEOUT_MS: '5000' }).headersTimeoutMs, 5000);
    assert.equal(readConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '5000' }).headersTimeoutMs, 5000);
  });

  it('reports all problems at once', () => {
    try {
      readConfig({ PORT: 'x', BODY_LIMIT: 'y' });
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 2);
    }
  });
});
