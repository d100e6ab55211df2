/** What the figures were measured on: they mean little without it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CHROME } from './lib/browser.ts';
import { ROOT } from './lib/server.ts';

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  totalMemoryGiB: number;
  loadAverage: number[];
  os: string;
  node: string;
  chromium: string;
  lighthouse: string;
  playwright: string;
  autocannon: string;
  gitCommit: string;
  gitDirty: boolean;
}

/** os.loadavg(): runnable processes averaged over 1, 5 and 15 minutes (2 cores: above 2 is queueing). */
export type LoadAverage = [number, number, number];

export function loadAverage(): LoadAverage {
  return os.loadavg().map((v) => Math.round(v * 100) / 100) as LoadAverage;
}

/** "load 0.42 / 0.81 / 1.20 (1/5/15 min)": printed beside every section and run. */
export function formatLoad(load: readonly number[]): string {
  return `load ${load.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min)`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: loadAverage(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: run(CHROME, ['--version']),
    lighthouse: packageVersion('lighthouse'),
    playwright: packageVersion('@playwright/test'),
    autocannon: packageVersion('autocannon'),
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']),
    gitDirty: run('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim();
  } catch {
    return 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
