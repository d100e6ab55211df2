/**
 * Entry point: read the configuration, start the server, stop it cleanly on SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { listeningLine } from './listening.ts';

/** Longest wait for in-flight requests on shutdown before giving up. */
const SHUTDOWN_GRACE_MS = 10_000;

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

let app: FastifyInstance;
try {
  app = await buildServer(config);
} catch (error) {
  // A database that cannot be opened or migrated (DATABASE_URL unreachable, a schema newer than
  // this server): one clear line, no stack trace.
  process.stderr.write(`Cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  // Typically EADDRINUSE: say so plainly, and close the database before leaving.
  const reason = (error as Error).message;
  process.stderr.write(`Cannot listen on ${config.host}:${config.port}: ${reason}\n`);
  await app.close();
  process.exit(1);
}

// The actual port matters when PORT=0 (tests, scripts): print the address really bound.
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
process.stdout.write(listeningLine('Restaurant Reviews', `http://${shownHost}:${port}`));
// Say which API the served app uses, so a wrong API_BASE_URL is seen at once.
process.stdout.write(`The app's API: ${config.apiBaseUrl || 'this server (API_BASE_URL is empty)'}\n`);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // A second signal while stopping means "now": the WAL keeps every committed write safe.
  if (stopping) process.exit(1);
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    app.log.error('in-flight requests did not finish in time; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  try {
    // Stops accepting connections, lets in-flight requests finish, then runs onClose (the
    // database closes last).
    await app.close();
    process.exitCode = 0;
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exitCode = 1;
  } finally {
    clearTimeout(force);
  }
}

process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));
