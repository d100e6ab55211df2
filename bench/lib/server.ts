/**
 * The real, built server (dist/server/main.mjs) as a child process on a port the OS picks
 * (PORT=0), read back from its "listening on" line: a port probed free and then handed to the
 * child can be taken in between by anything else running on the machine (e2e/server.ts found so).
 *
 * Modelled on e2e/server.ts (ServerProcess), with two differences the bench needs: a failed start
 * still cleans up (the child and the temp dir are registered with the scope before anything can
 * throw), and the database file can be one prepared earlier (the 10k/100k scale set).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPort } from '../../server/listening.ts';
import type { Scope } from './scope.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Last line of defence: children still alive when this process exits (a crash, a closed output
 * pipe) are killed synchronously, so no server outlives the bench.
 */
const children = new Map<ChildProcess, boolean>();
process.once('exit', () => {
  for (const [child, group] of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Tracks a child process started by the bench until it exits (`group`: spawned detached, kill its group). */
export function track(child: ChildProcess, group = false): void {
  children.set(child, group);
  child.once('exit', () => children.delete(child));
}

export interface BenchServer {
  url: string;
  port: number;
  dbFile: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Use this database file (kept) instead of a fresh one in a temp dir (removed). */
  dbFile?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** A checkout whose build to run (its dist/server/main.mjs); this tree by default. */
  root?: string;
  /** Listen on this port (a restart on the same address); one the OS picks by default. */
  port?: number;
}

export async function startServer(scope: Scope, options: StartOptions = {}): Promise<BenchServer> {
  scope.check();
  const dir = mkdtempSync(join(tmpdir(), 'rr-bench-'));
  scope.defer(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const dbFile = options.dbFile ?? join(dir, 'db.sqlite');
  let log = '';
  const root = options.root ?? ROOT;
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/server/main.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(options.port ?? 0), DB_FILE: dbFile, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const stop = () => killChild(child);
  scope.defer(`server pid ${child.pid}`, stop);
  child.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let port: number | undefined;
  while (true) {
    scope.check();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited with ${child.exitCode ?? child.signalCode}: ${log.trim().slice(-500)}`);
    }
    port ??= listeningPort(log);
    try {
      if (port !== undefined && (await fetch(`http://localhost:${port}/restaurants/1`)).ok) break;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer in time: ${log.trim().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://localhost:${port}`, port, dbFile, pid: child.pid!, output: () => log, stop };
}


/** SIGTERM, then SIGKILL after 3 s. Resolves once the child has exited. */
export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
