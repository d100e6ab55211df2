// `npm test`: builds the production app once, then runs every suite (server, unit, e2e) even when
// one fails, and ends with one line that adds them all up: "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

process.env.CHROME_BIN ||= '/usr/bin/chromium';

const suites = [
  // Every tsconfig (app, worker, server, bench, e2e): esbuild and tsx strip types without checking them.
  { name: 'types', command: 'npm run typecheck', count: (_output, code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  { name: 'server', command: 'npm run test:server', count: countNodeTest },
  { name: 'unit', command: 'npm run test:unit', count: countKarma },
  { name: 'e2e', command: 'npm run test:e2e', count: countPlaywright, before: () => rmSync('test-results/e2e-results.json', { force: true }) },
];

const build = await run('npm run build');
if (build.code !== 0) {
  console.error('\nThe build failed; no suite can run against it.\n0 passed, 1 failed');
  process.exit(1);
}

const results = [];
for (const suite of suites) {
  suite.before?.();
  const started = Date.now();
  const { code, output } = await run(suite.command);
  const counts = suite.count(output, code);
  // A suite that exits non-zero without a countable failure still counts as one failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name: suite.name, code, seconds: ((Date.now() - started) / 1000).toFixed(1), ...counts });
}

console.log('\nSuite    passed  failed  seconds');
for (const r of results) console.log(`${r.name.padEnd(8)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${r.seconds.padStart(7)}`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
const ranNothing = passed + failed === 0;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || ranNothing || results.some((r) => r.code !== 0) ? 1 : 0);

function run(command) {
  return new Promise((resolve) => {
    console.log(`\n$ ${command}`);
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const forward = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function sumOfNumbers(output, pattern) {
  return [...output.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Node's spec reporter ends each run with "ℹ pass N" and "ℹ fail N"; the server suite has two
 * runs (SQLite, then PostgreSQL: scripts/test-server.mjs), so they add up.
 */
function countNodeTest(output) {
  return { passed: sumOfNumbers(output, /^ℹ pass (\d+)/gm), failed: sumOfNumbers(output, /^ℹ fail (\d+)/gm) };
}

/** Karma's progress reporter: "Executed 12 of 12 (1 FAILED)". */
function countKarma(output) {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const matches = [...plain.matchAll(/Executed (\d+) of (\d+)(?: \((\d+) FAILED\))?(?: \(skipped (\d+)\))?/g)];
  if (!matches.length) return { passed: 0, failed: 0 };
  const last = matches.at(-1);
  const executed = Number(last[1]);
  const failed = Number(last[3] ?? 0);
  return { passed: executed - failed, failed };
}

/** Playwright's JSON report. Flaky counts as failed: a test that needed a retry is not green. */
function countPlaywright() {
  const file = 'test-results/e2e-results.json';
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky };
}
