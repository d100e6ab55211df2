/**
 * Memory and CPU of another process, from Linux's /proc: what `ps` shows, without running it.
 */
import { readFileSync } from 'node:fs';

/** Resident set size in MiB (VmRSS), or NaN once the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time used so far (user + system), in seconds. /proc counts in clock ticks of 1/100 s
 * (USER_HZ, 100 on every Linux architecture Node runs on).
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Samples RSS once a second; `stop()` returns the samples. */
export function sampleRss(pid: number, everyMs = 1_000): { stop(): number[] } {
  const samples = [rssMiB(pid)];
  const timer = setInterval(() => samples.push(rssMiB(pid)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(rssMiB(pid));
      return samples.filter((sample) => !Number.isNaN(sample));
    },
  };
}
