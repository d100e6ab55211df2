/**
 * "An acknowledged write is on disk", checked at the level of system calls with strace.
 *
 * The crash test kills the server process, but the operating system survives that, so data
 * written and not yet fsynced still reaches the disk: it cannot tell synchronous=FULL from
 * NORMAL. This check can. It runs the server under `strace -f`, sends writes, and replays the
 * trace in order: once the server writes to the WAL file, no HTTP answer may be written to a
 * socket until an fsync/fdatasync of the WAL has returned. With synchronous=NORMAL, SQLite syncs
 * the WAL only at checkpoints, and the check fails.
 *
 * To prove that it can fail, the same check runs against a control build of the server with
 * `synchronous = NORMAL`, which it must catch.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleServer } from '../../scripts/server-bundle.mjs';
import { listeningUrl } from '../listening.ts';
import { removeDir } from '../test/helpers.ts';
import { ROOT } from '../test/server-process.ts';

export interface FsyncVerdict {
  /** HTTP answers written to sockets, and how many of them were 201 Created. */
  answers: number;
  created: number;
  walWrites: number;
  walSyncs: number;
  /** Answers written while the WAL held data not yet synced (first few, as trace lines). */
  violations: string[];
  violationCount: number;
  /** 201s the client received: the trace must show the same number. */
  createdByClient: number;
}

const LINE = /^(\d+)\s+\S+\s+(.*)$/;
const CALL_START = /^(\w+)\((\d+)<([^>]*)>/;
const RESUMED = /^<\.\.\. (\w+) resumed>.*= (-?\d+)/;

/** Replays a trace written by `strace -f -tt -yy -s 24`. */
export function judgeTrace(trace: string): Omit<FsyncVerdict, 'createdByClient'> {
  let dirty = false;
  const verdict = { answers: 0, created: 0, walWrites: 0, walSyncs: 0, violations: [] as string[], violationCount: 0 };
  /** Per thread: the syscall whose end strace will print later ("<unfinished ...>"). */
  const pending = new Map<string, { name: string; target: string }>();

  for (const line of trace.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, thread = '', call = ''] = match;
    const resumed = RESUMED.exec(call);
    if (resumed) {
      const started = pending.get(thread);
      pending.delete(thread);
      if (started && isSync(started.name) && started.target.endsWith('-wal') && resumed[2] === '0') {
        dirty = false;
        verdict.walSyncs++;
      }
      continue;
    }
    const start = CALL_START.exec(call);
    if (!start) continue;
    const [, name = '', , target = ''] = start;
    const finished = !call.includes('<unfinished ...>');
    if (!finished) pending.set(thread, { name, target });

    if (isWrite(name) && target.endsWith('-wal')) {
      dirty = true;
      verdict.walWrites++;
    } else if (isSync(name) && target.endsWith('-wal')) {
      if (finished && / = 0$/.test(call)) {
        dirty = false;
        verdict.walSyncs++;
      }
    } else if (isWrite(name) && target.startsWith('TCP:') && call.includes('HTTP/1.1 ')) {
      // Judged when the answer is handed to the kernel: from then on the client may see it.
      verdict.answers++;
      if (call.includes('HTTP/1.1 201')) verdict.created++;
      if (dirty) {
        verdict.violationCount++;
        if (verdict.violations.length < 5) verdict.violations.push(line.slice(0, 200));
      }
    }
  }
  return verdict;
}

const isWrite = (name: string) => ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'sendmsg', 'sendto'].includes(name);
const isSync = (name: string) => name === 'fsync' || name === 'fdatasync';

/** Writes of every kind: sequential and concurrent reviews, favorites, edits, deletions. */
async function workload(url: string): Promise<number> {
  let created = 0;
  const post = async (i: number) => {
    const response = await fetch(`${url}/reviews/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ restaurant_id: 1 + (i % 10), name: 'Fsync', rating: 3, comments: `Review ${i}`, client_id: crypto.randomUUID() }),
    });
    const body = (await response.json()) as { id: number; edit_token: string };
    if (response.status === 201) created++;
    return body;
  };
  const mine = [];
  for (let i = 0; i < 30; i++) mine.push(await post(i));
  await Promise.all(Array.from({ length: 60 }, (_, i) => post(100 + i)));
  await Promise.all([
    ...Array.from({ length: 20 }, (_, i) => fetch(`${url}/restaurants/${1 + (i % 10)}/?is_favorite=${i % 2 === 0}`, { method: 'PUT' }).then((r) => r.text())),
    ...mine.slice(0, 10).map((review) =>
      fetch(`${url}/reviews/${review.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rating: 5, edit_token: review.edit_token }),
      }).then((r) => r.text()),
    ),
    ...mine.slice(10, 15).map((review) => fetch(`${url}/reviews/${review.id}?edit_token=${review.edit_token}`, { method: 'DELETE' }).then((r) => r.text())),
    ...Array.from({ length: 20 }, () => fetch(`${url}/restaurants`).then((r) => r.text())),
  ]);
  return created;
}

/** Runs `script` (a server entry point) under strace with the workload; returns the verdict. */
export async function checkFsyncOrder(script: string): Promise<FsyncVerdict> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'fsync-'));
  const traceFile = join(dir, 'trace');
  const strace = spawn(
    'strace',
    ['-f', '-tt', '-yy', '-s', '24', '-e', 'trace=write,writev,pwrite64,pwritev,pwritev2,sendmsg,sendto,fsync,fdatasync', '-o', traceFile, process.execPath, script],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DB_FILE: join(dir, 'db.sqlite'), STATIC_DIR: join(dir, 'no-app'), RATE_LIMIT_MAX: '1000000' },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      strace.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = listeningUrl(output);
        if (url) resolve(url);
      });
      strace.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      strace.once('exit', (code) => reject(new Error(`strace exited (${code}): ${output}`)));
    });
    const createdByClient = await workload(url);
    // Stop the server itself (strace's child): killing strace would only detach it.
    await stopTracedServer(strace);
    return { ...judgeTrace(readFileSync(traceFile, 'utf8')), createdByClient };
  } finally {
    if (strace.exitCode === null && strace.signalCode === null) {
      strace.kill('SIGKILL');
      await once(strace, 'exit');
    }
    removeDir(dir);
  }
}

async function stopTracedServer(strace: ChildProcess): Promise<void> {
  const children = readFileSync(`/proc/${strace.pid}/task/${strace.pid}/children`, 'utf8').trim().split(/\s+/);
  for (const pid of children) process.kill(Number(pid), 'SIGTERM');
  await once(strace, 'exit');
}

/** The server with synchronous=NORMAL instead of FULL, bundled beside the repository's tmp/. */
export async function buildNormalSyncControl(): Promise<{ script: string; remove(): void }> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'tmp', 'fsync-control-'));
  const script = join(dir, 'main.mjs');
  let replaced = false;
  await bundleServer(join(ROOT, 'server', 'main.ts'), script, {
    plugins: [
      {
        name: 'synchronous-normal',
        setup(builder) {
          builder.onLoad({ filter: /storage[\\/]database\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            const contents = source.replace("'synchronous = FULL'", "'synchronous = NORMAL'");
            replaced = contents !== source;
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  if (!replaced) throw new Error("database.ts no longer says 'synchronous = FULL': update the control build");
  return { script, remove: () => removeDir(dir) };
}
