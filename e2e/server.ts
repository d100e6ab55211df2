import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPort } from '../server/listening';

/**
 * The real, built server as a child process, on a free port with its own SQLite file.
 * A child process (not an in-process import) makes an outage real: `stop()` kills it.
 */
export class ServerProcess {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'rr-e2e-'));
  readonly dbFile = join(this.dir, 'db.sqlite');
  private log = '';

  /**
   * Chosen by the OS at the first start (PORT=0) and read from the server's "listening on" line,
   * then kept for restarts. A port probed free beforehand could be taken by a parallel test's
   * server in between; that server then answered this one's readiness check, and this test ran
   * against a server that another test killed.
   */
  private boundPort = 0;

  private constructor(
    private env: Record<string, string>,
    private readonly args: string[],
  ) {}

  /** Our built server; `args` runs another one instead (e2e/classic-server.ts). */
  static async start(env: Record<string, string> = {}, args = ['dist/server/main.mjs']): Promise<ServerProcess> {
    const server = new ServerProcess(env, args);
    await server.start();
    return server;
  }

  get port(): number {
    if (!this.boundPort) throw new Error('the server has not started yet');
    return this.boundPort;
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
    const logStart = this.log.length;
    const child = spawn(process.execPath, this.args, {
      env: { ...process.env, PORT: String(this.boundPort), DB_FILE: this.dbFile, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${this.log}`);
      // Both our server and the classic one print the port they really bound.
      const bound = listeningPort(this.log.slice(logStart));
      if (bound === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      this.boundPort = bound;
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
