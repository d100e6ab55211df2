/**
 * The server in two steps, for the crash test: load every module now; open the database and
 * listen when a line `{"dbFile": "…"}` arrives on stdin. The test keeps one of these loaded
 * ahead of time, so a restart after a SIGKILL costs the database's recovery and a listen, not
 * one to three seconds of loading and warming up. Past that line it is what main.ts does:
 * buildServer, listen, print the address.
 */
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { buildServer } from '../app.ts';
import { listeningLine } from '../listening.ts';

// A first instance, thrown away, does the one-time work (JIT, schema compilers) ahead of time.
const warmUp = await buildServer({ dbFile: ':memory:', logLevel: 'silent' });
await warmUp.ready();
await warmUp.close();

const lines = createInterface({ input: process.stdin });
lines.once('line', (line) => {
  lines.close();
  void start(JSON.parse(line) as { dbFile: string; databaseUrl?: string });
});

async function start({ dbFile, databaseUrl }: { dbFile: string; databaseUrl?: string }): Promise<void> {
  // The burst comes from one address; the write limit is not what this test is about.
  const app = await buildServer({ dbFile, databaseUrl, logLevel: 'silent', rateLimitMax: 1_000_000_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(listeningLine('crash child', `http://127.0.0.1:${port}`));
}
