/**
 * `npm run bench` (tsx bench/run.ts): the project's performance figures (issue #5).
 *
 *   tsx bench/run.ts                       everything (about 10 minutes on 2 cores)
 *   tsx bench/run.ts --only=bundle,server  some measurements
 *   tsx bench/run.ts --skip=lighthouse
 *   tsx bench/run.ts --quick               fewer runs, for trying the harness
 *   tsx bench/run.ts --no-build            never build, even when dist/ is stale
 *   tsx bench/run.ts --build               always build first
 *
 * Measurements: lighthouse, bundle, offline, sync, server, scale, live. Each one runs in its own scope
 * with its own servers and browser and a time limit; a failure is reported as "error: …" for its
 * figures and the others still run. Targets are printed, never asserted: the exit code is 0.
 */
import { ensureBuild, type BuildStatus } from './build.ts';
import { measureBundle } from './bundle.ts';
import { type Figure, failed, messageOf } from './lib/figures.ts';
import { closeAll, installSignalHandlers, interrupted, scoped } from './lib/scope.ts';
import { startServer } from './lib/server.ts';
import { measureLighthouse } from './lighthouse.ts';
import { measureLiveUpdates } from './live-updates.ts';
import { formatLoad, loadAverage, machineInfo } from './machine.ts';
import { measureOfflineRepeat } from './offline-repeat.ts';
import { type BenchResults, printTable, writeResults } from './report.ts';
import { measureScale } from './scale.ts';
import { measureServerLoad } from './server-load.ts';
import { measureSyncDrain } from './sync-drain.ts';

const MEASUREMENTS = ['bundle', 'server', 'lighthouse', 'offline', 'sync', 'scale', 'live'] as const;
type Measurement = (typeof MEASUREMENTS)[number];

interface Options {
  only: Measurement[];
  quick: boolean;
  build: 'auto' | 'force' | 'skip';
}

function parseArgs(argv: string[]): Options {
  let only: Measurement[] = [...MEASUREMENTS];
  let quick = false;
  let build: Options['build'] = 'auto';
  const list = (value: string) => {
    const names = value.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(MEASUREMENTS as readonly string[]).includes(n));
    if (unknown.length) throw new Error(`unknown measurement(s): ${unknown.join(', ')} (known: ${MEASUREMENTS.join(', ')})`);
    return names as Measurement[];
  };
  for (const arg of argv) {
    if (arg.startsWith('--only=')) only = list(arg.slice('--only='.length));
    else if (arg.startsWith('--skip=')) {
      const skip = list(arg.slice('--skip='.length));
      only = only.filter((m) => !skip.includes(m));
    } else if (arg === '--quick') quick = true;
    else if (arg === '--no-build') build = 'skip';
    else if (arg === '--build') build = 'force';
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: tsx bench/run.ts [--only=a,b] [--skip=a,b] [--quick] [--no-build|--build]');
      console.log(`measurements: ${MEASUREMENTS.join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return { only, quick, build };
}

/** The whole run must end within 15 minutes; this leaves room for the build check and the report. */
const TOTAL_BUDGET_MS = 14 * 60_000;
/** What each measurement needs at least; time is held back for the ones still to come. */
const MIN_MS: Record<Measurement, number> = {
  bundle: 5_000,
  server: 45_000,
  lighthouse: 90_000,
  offline: 30_000,
  sync: 45_000,
  scale: 60_000,
  live: 90_000,
};

/** Upper bounds per measurement; typical times are far lower. */
const LIMITS_MS: Record<Measurement, number> = {
  bundle: 60_000,
  server: 210_000,
  lighthouse: 420_000,
  offline: 90_000,
  sync: 240_000,
  scale: 300_000,
  live: 180_000,
};

async function main(): Promise<void> {
  installSignalHandlers();
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string) => console.log(line);
  const results: BenchResults = {
    machine: machineInfo(),
    build: undefined,
    options: { ...options },
    startedAt: new Date(started).toISOString(),
    durationS: 0,
    figures: [],
    details: {},
    errors: {},
    loads: {},
  };
  const m = results.machine;
  log(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB, Node ${m.node}, ${m.chromium}, Lighthouse ${m.lighthouse}`);
  log(`Measurements: ${options.only.join(', ')}${options.quick ? ' (quick)' : ''}`);

  try {
    const build: BuildStatus = await scoped('build', 900_000, (scope) =>
      ensureBuild(scope, { force: options.build === 'force', skip: options.build === 'skip' }),
    ).catch((error: unknown) => ({ built: false, reason: 'build step failed', error: messageOf(error) }));
    results.build = build;
    log(`Build: ${build.built ? `built in ${build.durationS?.toFixed(0)} s (${build.reason})` : build.reason}${build.error ? ' — BUILD FAILED, measuring the existing build' : ''}`);

    const q = options.quick;
    // Each measurement may use its own limit, but never the time the ones after it need.
    const limit = (name: Measurement) => {
      const later = options.only.slice(options.only.indexOf(name) + 1).reduce((sum, m) => sum + MIN_MS[m], 0);
      return Math.max(MIN_MS[name], Math.min(LIMITS_MS[name], started + TOTAL_BUDGET_MS - Date.now() - later));
    };
    const deadlineFor = (name: Measurement) => Date.now() + limit(name) - 20_000;
    // Figures a measurement had already taken when it failed or ran out of time.
    const partial: Partial<Record<Measurement, Figure[]>> = {};
    const tasks: Record<Measurement, () => Promise<{ figures: Figure[]; details?: unknown }>> = {
      bundle: async () => measureBundle(),
      server: () => scoped('server', limit('server'), (scope) => measureServerLoad(scope, { durationS: q ? 3 : 10, warmupS: q ? 1 : 2, log })),
      lighthouse: () =>
        scoped('lighthouse', limit('lighthouse'), async (scope) => {
          const deadline = deadlineFor('lighthouse');
          const server = await startServer(scope);
          return measureLighthouse(scope, server.url, { runs: q ? 1 : 3, deadline, log });
        }),
      offline: () =>
        scoped('offline', limit('offline'), async (scope) => {
          const server = await startServer(scope);
          return measureOfflineRepeat(scope, server.url, { visits: q ? 3 : 10, log });
        }),
      sync: () =>
        scoped('sync', limit('sync'), (scope) =>
          measureSyncDrain(scope, { sizes: [100, 1000, 5000], runs: q ? 1 : 3, budgetMs: q ? 0 : 150_000, deadline: deadlineFor('sync'), log }),
        ),
      scale: () =>
        scoped('scale', limit('scale'), async (scope) => {
          const small = await startServer(scope).catch(() => undefined);
          const figures = (partial.scale = []);
          return measureScale(scope, small?.url, { reloads: q ? 2 : 5, serverRuns: q ? 2 : 5, filterChanges: q ? 1 : 3, log, figures });
        }),
      live: () => scoped('live', limit('live'), (scope) => measureLiveUpdates(scope, { samples: 30, outageS: q ? 10 : 60, log })),
    };

    for (const name of options.only) {
      if (interrupted()) {
        results.errors[name] = `skipped (${interrupted()})`;
        continue;
      }
      const t0 = Date.now();
      // Other work on the machine moves every timing: say how busy it was, section by section.
      const loadAtStart = loadAverage();
      log(`\n▶ ${name} (${formatLoad(loadAtStart)})`);
      try {
        const { figures, details } = await tasks[name]();
        results.figures.push(...figures);
        results.details[name] = details;
      } catch (error) {
        const message = messageOf(error);
        log(`  ${name}: error: ${message}`);
        results.errors[name] = message;
        results.figures.push(...(partial[name] ?? []), failed(name, `${name} (whole measurement, stopped there)`, '', error));
      }
      const loadAtEnd = loadAverage();
      results.loads[name] = { start: loadAtStart, end: loadAtEnd };
      log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s; at the end ${formatLoad(loadAtEnd)})`);
    }
  } finally {
    await closeAll();
    results.durationS = (Date.now() - started) / 1000;
    printTable(results);
    try {
      // Only a whole, full-length run stands for the project in docs/performance.md.
      const whole = options.only.length === MEASUREMENTS.length && !options.quick;
      const { json, md, doc } = writeResults(results, { updateDoc: whole });
      const rel = (file: string) => file.replace(process.cwd() + '/', '');
      console.log(`\nWrote ${rel(json)} and ${rel(md)}${doc ? `, and the figures in ${rel(doc)}` : ''}`);
    } catch (error) {
      console.error(`could not write results: ${messageOf(error)}`);
    }
  }
}

main().then(
  // Whatever the figures say: targets are reported, not enforced.
  () => process.exit(interrupted() ? 130 : 0),
  (error: unknown) => {
    // Bad arguments (2) or a bug in the harness itself (1), never a missed target.
    const usage = error instanceof Error && /^unknown (argument|measurement)/.test(error.message);
    console.error(usage ? `bench: ${error.message}` : error instanceof Error ? error.stack : error);
    process.exit(usage ? 2 : 1);
  },
);
