/**
 * Crash durability in the suite: 20 SIGKILLs at random points of write bursts, on one SQLite
 * file, each followed by a restart and a full comparison with what clients were told
 * (crash-harness.ts). `npm run test:stress` runs 100 more against the built entry point.
 *
 * CRASH_SEED=<n> replays another run; the seed is in every failure message.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCrashIterations } from './crash-harness.ts';
import { makeTempDir, removeDir } from './helpers.ts';
import { warmLauncher } from './server-process.ts';

const SEED = Number(process.env['CRASH_SEED'] ?? 20_240_612);
const ITERATIONS = 20;

describe('crash durability', () => {
  it(`keeps every acknowledged write through ${ITERATIONS} SIGKILLs in write bursts (seed ${SEED})`, async (t) => {
    const dir = makeTempDir('rr-crash-');
    const launcher = await warmLauncher();
    try {
      const report = await runCrashIterations({ iterations: ITERATIONS, seed: SEED, dbFile: join(dir, 'crash.sqlite'), launcher });
      t.diagnostic(
        `${report.requests} writes, ${report.acknowledged} acknowledged, ${report.cutOff} cut off ` +
          `(${report.cutOffButApplied} of those reviews found applied); ${report.reviewsStored} reviews at the end; ` +
          `restart median ${report.restartMs.median} ms, max ${report.restartMs.max} ms`,
      );
      // The kills must land inside bursts, or the run proved nothing about the critical window.
      assert.ok(report.cutOff > 0, 'some requests were in flight when the server was killed');
      assert.ok(report.acknowledged > 0, 'some writes were acknowledged before a kill');
    } finally {
      await launcher.close();
      removeDir(dir);
    }
  });
});
