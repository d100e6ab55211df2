// A throwaway PostgreSQL cluster for tests and benches: initdb into a temporary folder, start it
// on a free port, stop it and remove the folder on every exit path. Runs the binaries as the
// `postgres` user when this process is root (initdb refuses root). No Docker.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT =
  "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
  'Install them, e.g. on Debian/Ubuntu: apt-get install -y postgresql (then run the tests again).';

/** The folder holding initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH. */
export function findPgBin() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')) && existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  const found = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' });
  const pgCtl = found.stdout.trim();
  if (found.status === 0 && pgCtl && existsSync(join(pgCtl, '..', 'initdb'))) return join(pgCtl, '..');
  return undefined;
}

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** @param {string} bin @param {string} tool @param {string[]} args */
function pgCommand(bin, tool, args) {
  const command = join(bin, tool);
  // initdb and postgres refuse to run as root: run them as the postgres user then.
  return asRoot ? { file: 'runuser', argv: ['-u', 'postgres', '--', command, ...args] } : { file: command, argv: args };
}

/** @param {string} bin @param {string} tool @param {string[]} args */
function runPg(bin, tool, args) {
  const { file, argv } = pgCommand(bin, tool, args);
  return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

/**
 * Starts a cluster; resolves with { url, port, dir, stop(), restart() }. `stop` is synchronous so
 * that it also works from an 'exit' handler; it is registered for exit and the usual signals.
 */
export async function startCluster() {
  const bin = findPgBin();
  if (!bin) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'rr-pg-'));
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const data = join(dir, 'data');
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300`;
  let running = false;
  const start = () => {
    runPg(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
    running = true;
  };
  /** @param {'fast' | 'immediate'} mode */
  const stopServer = (mode = 'fast') => {
    if (!running) return;
    running = false;
    try {
      runPg(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    } catch {
      // Already gone: nothing to stop.
    }
  };
  let removed = false;
  const stop = () => {
    stopServer();
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.on('exit', stop);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    runPg(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    start();
  } catch (error) {
    stop();
    const { stderr, message } = /** @type {{ stderr?: string, message: string }} */ (error);
    throw new Error(`Could not start a throwaway PostgreSQL cluster: ${stderr || message}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    /** Stops the server (immediate: like a crash, no shutdown checkpoint) and starts it again. */
    /**
     * Stops the server (immediate: like a crash, no shutdown checkpoint), waits `downMs`, starts
     * it again. Asynchronous, so that the caller's requests go on meanwhile.
     * @param {{ mode?: 'fast' | 'immediate', downMs?: number }} options
     */
    async restart({ mode = 'immediate', downMs = 500 } = {}) {
      const run = promisify(execFile);
      const stopping = pgCommand(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      await run(stopping.file, stopping.argv);
      running = false;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      const starting = pgCommand(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
      await run(starting.file, starting.argv);
      running = true;
    },
  };
}

/** @type {NodeJS.Signals[]} */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** @param {string} user */
function uidOf(user) {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

/** @param {string} user */
function gidOf(user) {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
