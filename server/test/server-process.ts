/**
 * The server as a child process that can be killed for real (SIGKILL: no handler runs, no
 * buffer is flushed, nothing is closed), in two flavours:
 * - `warmLauncher()`: server/test/crash-child.ts, loaded ahead of time (see there);
 * - `entryPointLauncher(script)`: a real entry point such as dist/server/main.mjs, started cold,
 *   configured through the environment like a deployment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleServer } from '../../scripts/server-bundle.mjs';
import { listeningUrl } from '../listening.ts';
import { removeDir } from './helpers.ts';
import { PG_ADMIN_URL, testDatabaseUrl } from './test-database.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGKILL, then wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface Launcher {
  launch(dbFile: string): Promise<ServerProcess>;
  /** Ends every process this launcher started that is still running. */
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

/** Resolves with the URL the process prints ("listening on http://…"). */
function urlItPrints(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => done(new Error(`no "listening on" within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = listeningUrl(stdout);
      if (url) done(undefined, url);
    };
    const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
    const onExit = (code: number | null) => done(new Error(`server exited (${code}) before listening: ${stderr}`));
    function done(error?: Error, url?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining: a full pipe would block the child's writes.
      child.stdout?.resume();
      if (error) reject(error);
      else resolve(url as string);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function stopAndWait(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

function tracked(children: Set<ChildProcess>, child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * crash-child.ts and the server code it imports, bundled into one file exactly as main.ts is
 * (scripts/server-bundle.mjs). Without tsx a process starts with about half the CPU, and the
 * crash test starts twenty of them. The file goes under the repository's tmp/ (ignored by git)
 * so that its imports of npm packages resolve from node_modules.
 */
async function bundleCrashChild(): Promise<{ file: string; dir: string }> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'crash-child-'));
  const file = join(dir, 'crash-child.mjs');
  await bundleServer(join(ROOT, 'server', 'test', 'crash-child.ts'), file);
  return { file, dir };
}

/**
 * Keeps `spares` servers loaded and waiting; `launch` hands one over and starts loading the next.
 * Two spares give each one two iterations' time to load, off the critical path.
 */
export async function warmLauncher(spares = 2): Promise<Launcher> {
  const bundle = await bundleCrashChild();
  const children = new Set<ChildProcess>();
  const spawnSpare = () =>
    tracked(children, spawn(process.execPath, [bundle.file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
  const waiting = Array.from({ length: spares }, spawnSpare);
  return {
    async launch(dbFile) {
      const child = waiting.shift() ?? spawnSpare();
      waiting.push(spawnSpare());
      const url = urlItPrints(child);
      // In the PostgreSQL run, "this file" is the cluster's database named after it.
      const databaseUrl = PG_ADMIN_URL ? await testDatabaseUrl(dbFile) : undefined;
      child.stdin?.end(`${JSON.stringify({ dbFile, databaseUrl })}\n`);
      return { url: await url, pid: child.pid ?? -1, kill: () => killAndWait(child), stop: () => stopAndWait(child) };
    },
    async close() {
      await Promise.all([...children].map(killAndWait));
      removeDir(bundle.dir);
    },
  };
}

export function entryPointLauncher(script: string, env: Record<string, string> = {}): Launcher {
  const children = new Set<ChildProcess>();
  return {
    async launch(dbFile) {
      const child = tracked(
        children,
        spawn(process.execPath, [script], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DB_FILE: dbFile, ...env },
        }),
      );
      const url = await urlItPrints(child);
      return { url, pid: child.pid ?? -1, kill: () => killAndWait(child), stop: () => stopAndWait(child) };
    },
    async close() {
      await Promise.all([...children].map(killAndWait));
    },
  };
}
