/**
 * `npm run test:stress`: what is too slow for `npm run test:server`, against the BUILT server
 * (dist/server/main.mjs, `npm run build:server`), each part on a fresh temporary database:
 *
 * 1. fsync order: under strace, no answer leaves before the WAL is synced (fsync-order.ts),
 *    and a control build with synchronous=NORMAL is caught.
 * 2. Capacity ramp: 8 s steps of rising fixed rates until one is not held (achieved rate below
 *    97% of the target, p99 over 500 ms, or any error). Reported, never a failure.
 * 3. Load: LOAD_SECONDS (60) at LOAD_RATE (500 req/s) of mixed reads and writes (load.ts);
 *    latency percentiles, achieved rate, the server's CPU and memory (RSS) from start to end.
 *    Any non-2xx answer or socket error fails the run; latency never does.
 * 4. Crash: CRASH_ITERATIONS (100) SIGKILLs in write bursts (test/crash-harness.ts), each
 *    restart a cold start of the real entry point.
 *
 * Prints a summary, writes server/stress/results.json, exits 1 on any failure.
 * Environment: LOAD_RATE, LOAD_SECONDS, CRASH_ITERATIONS, CRASH_SEED, STRESS_RAMP=0 (skip the
 * ramp), STRESS_LOG_LEVEL (the server's, default info as in production).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runCrashIterations, type CrashRunReport } from '../test/crash-harness.ts';
import { makeTempDir, removeDir } from '../test/helpers.ts';
import { ROOT, entryPointLauncher, type Launcher } from '../test/server-process.ts';
import { buildNormalSyncControl, checkFsyncOrder, type FsyncVerdict } from './fsync-order.ts';
import { type LoadResult, runFixedRate } from './load.ts';
import { cpuSeconds, rssMiB, sampleRss } from './process-stats.ts';

const env = process.env;
const RATE = Number(env['LOAD_RATE'] ?? 500);
const SECONDS = Number(env['LOAD_SECONDS'] ?? 60);
const CRASH_ITERATIONS = Number(env['CRASH_ITERATIONS'] ?? 100);
const CRASH_SEED = Number(env['CRASH_SEED'] ?? Date.now() % 1_000_000_000);
const RAMP_STEPS = [250, 500, 750, 1_000, 1_500, 2_000, 3_000];
const RAMP_STEP_SECONDS = 8;
const ENTRY = join(ROOT, 'dist', 'server', 'main.mjs');
const RESULTS = join(ROOT, 'server', 'stress', 'results.json');

interface RampStep {
  targetRate: number;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  errorKinds: Record<string, number>;
  serverCpuPercent: number;
  /** The load generator runs on the same machine: its share shows when it is the limit. */
  clientCpuPercent: number;
  held: boolean;
}

/** CPU used by this process (the load generator) since `since`, as a percentage of one core. */
function clientCpuPercent(since: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1e4 / seconds);
}

const failures: string[] = [];
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
};

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A fresh database and the built server on it; the server's log level as configured. */
async function withBuiltServer<T>(use: (server: { url: string; pid: number }, launcher: Launcher) => Promise<T>): Promise<T> {
  const dir = makeTempDir('rr-stress-');
  const launcher = entryPointLauncher(ENTRY, {
    RATE_LIMIT_MAX: '1000000000',
    STATIC_DIR: join(dir, 'no-app'),
    LOG_LEVEL: env['STRESS_LOG_LEVEL'] ?? 'info',
  });
  try {
    const server = await launcher.launch(join(dir, 'db.sqlite'));
    try {
      return await use(server, launcher);
    } finally {
      const code = await server.stop();
      if (code !== 0) failures.push(`the server exited with ${code} on SIGTERM after the load`);
    }
  } finally {
    await launcher.close();
    removeDir(dir);
  }
}

async function fsyncOrder(): Promise<void> {
  log('1/4 fsync order under strace…');
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
  } catch {
    failures.push('fsync order: strace is not installed (apt-get install strace), so durability on power loss is unchecked');
    return;
  }
  const real: FsyncVerdict = await checkFsyncOrder(ENTRY);
  const control = await buildNormalSyncControl();
  let caught: FsyncVerdict;
  try {
    caught = await checkFsyncOrder(control.script);
  } finally {
    control.remove();
  }
  results['fsync'] = { server: real, controlWithSynchronousNormal: caught };
  if (real.violationCount > 0) failures.push(`fsync order: ${real.violationCount} answers sent before the WAL was synced: ${real.violations.join(' | ')}`);
  if (real.walSyncs === 0 || real.created !== real.createdByClient) {
    failures.push(`fsync order: the trace does not show the workload (${JSON.stringify(real)})`);
  }
  if (caught.violationCount === 0) failures.push('fsync order: the control with synchronous=NORMAL was not caught; the check is blind');
}

async function ramp(): Promise<RampStep[]> {
  log('2/4 capacity ramp…');
  return withBuiltServer(async (server) => {
    const steps: RampStep[] = [];
    for (const rate of RAMP_STEPS) {
      const cpuBefore = cpuSeconds(server.pid);
      const clientBefore = process.cpuUsage();
      const result = await runFixedRate({ url: server.url, rate, seconds: RAMP_STEP_SECONDS });
      const serverCpuPercent = Math.round(((cpuSeconds(server.pid) - cpuBefore) / RAMP_STEP_SECONDS) * 100);
      const clientCpu = clientCpuPercent(clientBefore, RAMP_STEP_SECONDS);
      const held = result.errorCount === 0 && result.achievedRate >= rate * 0.97 && result.latencyMs.p99 <= 500;
      steps.push({
        targetRate: rate, achievedRate: result.achievedRate, ...pick(result), errors: result.errorCount,
        errorKinds: result.errors, serverCpuPercent, clientCpuPercent: clientCpu, held,
      });
      log(`    ${rate} req/s → ${result.achievedRate} req/s, p99 ${result.latencyMs.p99} ms, ${result.errorCount} errors ${JSON.stringify(result.errors)}, ` +
        `CPU server ${serverCpuPercent}% client ${clientCpu}%${held ? '' : '  (not held)'}`);
      if (!held) break;
    }
    return steps;
  });
}

const pick = (result: LoadResult) => ({ p50: result.latencyMs.p50, p99: result.latencyMs.p99, max: result.latencyMs.max });

async function load(): Promise<void> {
  log(`3/4 load: ${SECONDS} s at ${RATE} req/s…`);
  await withBuiltServer(async (server) => {
    const rssStart = rssMiB(server.pid);
    const cpuBefore = cpuSeconds(server.pid);
    const clientBefore = process.cpuUsage();
    const samples = sampleRss(server.pid);
    let rssAfter10s = Number.NaN;
    const early = setTimeout(() => (rssAfter10s = rssMiB(server.pid)), 10_000);
    const result = await runFixedRate({ url: server.url, rate: RATE, seconds: SECONDS });
    clearTimeout(early);
    const rssEnd = rssMiB(server.pid);
    const rss = samples.stop();
    const round = (n: number) => Math.round(n * 10) / 10;
    const memory = {
      rssStartMiB: round(rssStart),
      rssAfter10sMiB: round(rssAfter10s),
      rssEndMiB: round(rssEnd),
      rssPeakMiB: round(Math.max(...rss)),
      growthMiB: round(rssEnd - rssStart),
      growthAfterWarmUpMiB: round(rssEnd - rssAfter10s),
    };
    const serverCpuPercent = Math.round(((cpuSeconds(server.pid) - cpuBefore) / SECONDS) * 100);
    results['load'] = { ...result, memory, serverCpuPercent, clientCpuPercent: clientCpuPercent(clientBefore, SECONDS) };
    if (result.errorCount > 0) failures.push(`load: ${result.errorCount} errors: ${JSON.stringify(result.errors)}`);
  });
}

async function crash(): Promise<CrashRunReport | undefined> {
  log(`4/4 crash: ${CRASH_ITERATIONS} SIGKILLs, seed ${CRASH_SEED}…`);
  const dir = makeTempDir('rr-stress-crash-');
  const launcher = entryPointLauncher(ENTRY, { RATE_LIMIT_MAX: '1000000000', STATIC_DIR: join(dir, 'no-app') });
  try {
    const report = await runCrashIterations({
      iterations: CRASH_ITERATIONS,
      seed: CRASH_SEED,
      dbFile: join(dir, 'crash.sqlite'),
      launcher,
      log: (line) => {
        if (/^iteration \d*0:/.test(line)) log(`    ${line}`);
      },
    });
    results['crash'] = report;
    if (report.cutOff === 0) failures.push('crash: no kill landed while requests were in flight');
    return report;
  } catch (error) {
    failures.push(`crash: ${(error as Error).message}`);
    return undefined;
  } finally {
    await launcher.close();
    removeDir(dir);
  }
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length))) ?? [];
  return rows.map((row) => row.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

function summary(steps: RampStep[], crashReport: CrashRunReport | undefined): void {
  const fsync = results['fsync'] as { server: FsyncVerdict; controlWithSynchronousNormal: FsyncVerdict } | undefined;
  const loadResult = results['load'] as (LoadResult & { memory: Record<string, number>; serverCpuPercent: number; clientCpuPercent: number }) | undefined;
  const held = steps.filter((step) => step.held).at(-1);
  log('\n== Stress summary ==');
  log(`machine: ${results['cpus']} CPUs, load average at start ${(results['loadAverageAtStart'] as number[]).join(' ')}, at end ${(results['loadAverageAtEnd'] as number[]).join(' ')}`);
  if (fsync) {
    log(`fsync order: ${fsync.server.answers} answers, ${fsync.server.walSyncs} WAL syncs, ${fsync.server.violationCount} answers before a sync` +
      ` (control with synchronous=NORMAL: ${fsync.controlWithSynchronousNormal.violationCount} caught)`);
  }
  if (steps.length > 0) {
    log('\ncapacity ramp (8 s per step):');
    log(table([['target req/s', 'achieved', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'server CPU', 'client CPU', 'held'],
      ...steps.map((s) => [s.targetRate, s.achievedRate, s.p50, s.p99, s.max, s.errors, `${s.serverCpuPercent}%`, `${s.clientCpuPercent}%`, s.held ? 'yes' : 'no'])]));
    log(`highest rate held: ${held ? `${held.targetRate} req/s` : 'none'}`);
  }
  if (loadResult) {
    log(`\nload: ${loadResult.seconds} s at ${loadResult.targetRate} req/s, ${loadResult.sent} requests, achieved ${loadResult.achievedRate} req/s, ${loadResult.errorCount} errors, CPU: server ${loadResult.serverCpuPercent}%, load client ${loadResult.clientCpuPercent}%`);
    log(table([['route', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      ...Object.entries(loadResult.byRoute).map(([route, l]) => [route, l.count, l.p50, l.p90, l.p99, l.max]),
      ['all', loadResult.ok, loadResult.latencyMs.p50, loadResult.latencyMs.p90, loadResult.latencyMs.p99, loadResult.latencyMs.max]]));
    const m = loadResult.memory;
    log(`server RSS: start ${m['rssStartMiB']} MiB, after 10 s ${m['rssAfter10sMiB']} MiB, end ${m['rssEndMiB']} MiB, peak ${m['rssPeakMiB']} MiB; ` +
      `growth ${m['growthMiB']} MiB (${m['growthAfterWarmUpMiB']} MiB after the first 10 s)`);
  }
  if (crashReport) {
    log(`\ncrash: ${crashReport.iterations} SIGKILLs (seed ${crashReport.seed}), ${crashReport.requests} writes, ${crashReport.acknowledged} acknowledged and all found intact, ` +
      `${crashReport.cutOff} cut off (${crashReport.cutOffButApplied} reviews found applied, whole), ${crashReport.reviewsStored} reviews at the end; ` +
      `cold restart median ${crashReport.restartMs.median} ms, max ${crashReport.restartMs.max} ms`);
  }
  log(failures.length === 0 ? '\nresult: OK' : `\nresult: FAILED\n  - ${failures.join('\n  - ')}`);
  log(`(written to ${RESULTS})`);
}

if (!existsSync(ENTRY)) {
  process.stderr.write('dist/server/main.mjs is missing: run `npm run build:server` first.\n');
  process.exit(1);
}
await fsyncOrder();
const steps = env['STRESS_RAMP'] === '0' ? [] : await ramp();
results['ramp'] = steps;
await load();
const crashReport = await crash();
results['loadAverageAtEnd'] = loadavg().map((n) => Math.round(n * 100) / 100);
results['failures'] = failures;
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
summary(steps, crashReport);
process.exitCode = failures.length === 0 ? 0 : 1;
