import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real, built server as a child process, on a free port with its own SQLite file.
 * A child process (not an in-process import) makes an outage real: `stop()` kills it.
 */
export class ServerProcess {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'rr-e2e-'));
  readonly dbFile = join(this.dir, 'db.sqlite');
  private log = '';

  private constructor(
    readonly port: number,
    private env: Record<string, string>,
    private readonly args: string[],
  ) {}

  /** Our built server; `args` runs another one instead (e2e/classic-server.ts). */
  static async start(env: Record<string, string> = {}, args = ['dist/server/main.mjs']): Promise<ServerProcess> {
    const server = new ServerProcess(await freePort(), env, args);
    await server.start();
    return server;
  }

  /** The original stage-3 server's behaviour (e2e/classic-server.ts), in memory. */
  static classic(): Promise<ServerProcess> {
    return ServerProcess.start({}, ['--import', 'tsx', 'e2e/classic-server.ts']);
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  /** Starts (again) on the same port and database; `env` changes settings from now on. */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.env = { ...this.env, ...env };
    const child = spawn(process.execPath, this.args, {
      env: { ...process.env, PORT: String(this.port), DB_FILE: this.dbFile, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${this.log}`);
      try {
        if ((await fetch(`${this.url}/restaurants/1`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`server did not start in 15 s:\n${this.log}`);
  }

  /** SIGKILL: an outage with no goodbye, the way a crash or a pulled cable looks. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the graceful path. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  output(): string {
    return this.log;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
