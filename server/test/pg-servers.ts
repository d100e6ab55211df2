/**
 * Several real server processes on one PostgreSQL database, for the multi-server tests: main.ts
 * bundled once as a deployment runs it (scripts/server-bundle.mjs), each process configured
 * through the environment (DATABASE_URL), killable with SIGKILL.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { bundleServer } from '../../scripts/server-bundle.mjs';
import { removeDir } from './helpers.ts';
import { type Launcher, ROOT, entryPointLauncher } from './server-process.ts';

export interface PgServerLauncher {
  /** Starts one more server on `databaseUrl`. */
  launch(databaseUrl: string, env?: Record<string, string>): ReturnType<Launcher['launch']>;
  close(): Promise<void>;
}

export async function pgServerLauncher(): Promise<PgServerLauncher> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'pg-servers-'));
  const script = join(dir, 'main.mjs');
  await bundleServer(join(ROOT, 'server', 'main.ts'), script);
  const launchers: Launcher[] = [];
  return {
    launch(databaseUrl, env = {}) {
      // One client address sends every test write: the limit is not what these tests are about.
      const launcher = entryPointLauncher(script, { DATABASE_URL: databaseUrl, RATE_LIMIT_MAX: '1000000', ...env });
      launchers.push(launcher);
      // DB_FILE is ignored when DATABASE_URL is set; the launcher wants one anyway.
      return launcher.launch(join(dir, 'unused.sqlite'));
    },
    async close() {
      await Promise.all(launchers.map((launcher) => launcher.close()));
      removeDir(dir);
    },
  };
}
