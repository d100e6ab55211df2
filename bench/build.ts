/**
 * Builds the production app when its output is missing or older than its sources.
 * A failed build is reported; the bench then runs on the existing build if there is one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, track } from './lib/server.ts';
import type { Scope } from './lib/scope.ts';

export const OUTPUTS = ['dist/app/index.html', 'dist/app/custom-sw.js', 'dist/server/main.mjs'];

/** What the build reads. Tests, specs and the large seed script do not change the output. */
const SOURCES = ['src', 'server', 'public', 'scripts', 'angular.json', 'ngsw-config.json', 'package.json', 'tsconfig.json', 'tsconfig.app.json', 'tsconfig.worker.json', 'tsconfig.server.json'];
const IGNORED = /(^|\/)(test|testing|stress)\/|\.spec\.ts$|\.test\.ts$|seed-large\.ts$|scripts\/(dev|test-all)\.mjs$/;

export interface BuildStatus {
  built: boolean;
  reason: string;
  stale?: boolean;
  error?: string;
  durationS?: number;
}

export function buildReason(): string | undefined {
  const missing = OUTPUTS.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length) return `missing ${missing.join(', ')}`;
  const oldestOutput = Math.min(...OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs));
  const newest = newestSource();
  if (newest && newest.mtimeMs > oldestOutput) return `${newest.file} is newer than the build`;
  return undefined;
}

export async function ensureBuild(scope: Scope, { force = false, skip = false } = {}): Promise<BuildStatus> {
  const reason = force ? 'forced (--build)' : buildReason();
  if (!reason) return { built: false, reason: 'build is up to date' };
  if (skip) return { built: false, reason: `not built (--no-build): ${reason}`, stale: true };
  console.log(`Building (npm run build): ${reason}`);
  const started = Date.now();
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child, true);
  scope.defer('npm run build', () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
  child.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const durationS = (Date.now() - started) / 1000;
  if (code === 0) return { built: true, reason, durationS };
  const usable = OUTPUTS.every((file) => existsSync(join(ROOT, file)));
  const error = `npm run build failed (exit ${code}): ${log.trim().split('\n').slice(-12).join('\n')}`;
  console.error(error);
  return { built: false, reason, error, stale: usable, durationS };
}

function newestSource(): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  const visit = (path: string) => {
    const rel = relative(ROOT, path);
    if (IGNORED.test(rel)) return;
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { file: rel, mtimeMs: stat.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(join(ROOT, source));
  return newest;
}
