/**
 * Cleanup that holds even on failure, timeout or Ctrl-C.
 *
 * Every measurement runs in its own Scope: whatever it starts (server, browser, temp dir, child
 * process) registers a disposer, and the scope runs them in reverse order when the measurement
 * ends, fails or runs out of time. A browser killed under a pending Playwright call makes that call
 * throw, so a timed-out measurement also stops running in the background.
 */

type Disposer = () => unknown;

const live = new Set<Scope>();

export class Scope {
  private readonly disposers: Array<{ label: string; dispose: Disposer }> = [];
  private closed = false;
  private closing?: Promise<void>;

  constructor(readonly name: string) {
    live.add(this);
  }

  /** Registers a disposer; returns the value for chaining. */
  defer(label: string, dispose: Disposer): void {
    if (this.closed) {
      // Started after the scope ended (a timed-out measurement still running): dispose at once.
      void Promise.resolve().then(dispose).catch(() => undefined);
      return;
    }
    this.disposers.push({ label, dispose });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Throws when the scope has ended, so a timed-out measurement stops at its next step. */
  check(): void {
    if (this.closed) throw new Error(`${this.name}: cancelled`);
  }

  /** Runs the disposers once; every caller (the measurement, Ctrl-C) waits for the same run. */
  close(): Promise<void> {
    this.closing ??= this.dispose();
    return this.closing;
  }

  private async dispose(): Promise<void> {
    this.closed = true;
    for (const { label, dispose } of this.disposers.splice(0).reverse()) {
      try {
        await withTimeout(Promise.resolve().then(dispose), 15_000, `cleanup ${label}`);
      } catch (error) {
        console.error(`  cleanup of ${label} failed: ${(error as Error).message}`);
      }
    }
    live.delete(this);
  }
}

/** Runs `task` in a fresh scope, with a time limit; the scope is always closed. */
export async function scoped<T>(name: string, limitMs: number, task: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope(name);
  try {
    return await withTimeout(task(scope), limitMs, name);
  } finally {
    await scope.close();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Closes every open scope (used on SIGINT/SIGTERM and at exit). */
export async function closeAll(): Promise<void> {
  await Promise.all([...live].reverse().map((scope) => scope.close()));
}

let installed = false;
let interruptedBy: NodeJS.Signals | undefined;
let interruptedAt = 0;

/** The signal that interrupted the run, if any: the runner skips what is left and exits 130. */
export function interrupted(): NodeJS.Signals | undefined {
  return interruptedBy;
}

/**
 * On Ctrl-C or SIGTERM: close every scope (its measurement then fails with "cancelled") and let
 * the runner write what it has. A second signal, or 30 s without an orderly end, exits at once.
 */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  // `tsx bench/run.ts | head` must not crash the bench when the reader goes away.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interruptedBy) {
        // Ctrl-C reaches us twice at once (from the terminal and relayed by tsx): not a second press.
        if (Date.now() - interruptedAt > 1000) void closeAll().finally(() => process.exit(130));
        return;
      }
      interruptedBy = signal;
      interruptedAt = Date.now();
      console.error(`\n${signal}: stopping, cleaning up…`);
      void closeAll();
      setTimeout(() => void closeAll().finally(() => process.exit(130)), 30_000).unref();
    });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Prefixes an error with what the bench was doing, so "Timeout 20000ms exceeded" says where. */
export async function stage<T>(label: string, task: Promise<T> | (() => Promise<T>)): Promise<T> {
  try {
    return await (typeof task === 'function' ? task() : task);
  } catch (error) {
    if (error instanceof Error) {
      error.message = `${label}: ${error.message.split('\n')[0]}`;
      throw error;
    }
    throw new Error(`${label}: ${String(error)}`);
  }
}
