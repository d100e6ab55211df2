/** The printed table, bench/results.json and the Markdown snippet bench/latest.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Figure, formatTarget, formatValue } from './lib/figures.ts';
import { ROOT } from './lib/server.ts';
import type { LighthouseDetails } from './lighthouse.ts';
import { type LoadAverage, type MachineInfo, formatLoad } from './machine.ts';

export interface BenchResults {
  machine: MachineInfo;
  build: unknown;
  options: Record<string, unknown>;
  startedAt: string;
  durationS: number;
  figures: Figure[];
  details: Record<string, unknown>;
  /** Measurements that failed as a whole. */
  errors: Record<string, string>;
  /** The machine's load average when each measurement started and ended. */
  loads: Record<string, { start: LoadAverage; end: LoadAverage }>;
}

/** "Machine load during this section: start …, end …", for a group named like its measurement. */
function loadLine(results: BenchResults, group: string): string | undefined {
  const load = results.loads?.[group];
  return load && `Machine ${formatLoad(load.start)} at the start of this section, ${formatLoad(load.end).slice('load '.length)} at its end.`;
}

const GROUP_TITLES: Record<string, string> = {
  lighthouse: 'Lighthouse (scores ×100; mobile = default throttling, desktop = --preset=desktop)',
  bundle: 'Bundle of the list page (KB = 1024 B)',
  offline: 'Repeat visit offline',
  sync: 'Background Sync drain (default rate limit)',
  server: 'Server throughput (autocannon; RATE_LIMIT_MAX=1000000 for these runs only)',
  scale: 'Scale: 10,000 restaurants, 100,000 reviews',
};

/** How each group was measured, for readers of the Markdown snippet. */
const GROUP_METHODS: Record<string, string> = {
  lighthouse:
    'Lighthouse CLI on the production build served by the real server (fresh database), headless Chromium; 3 runs per page and form factor, interleaved.',
  bundle:
    'Files loaded by dist/app/index.html (scripts, modulepreloads, stylesheets) plus their static imports; each file compressed on its own (gzip -9, brotli q11).',
  offline:
    'Playwright: first visit online, wait until the worker controls the page and ngsw has cached the app, go offline, then 10 navigations to `/`; time from navigation start to 10 restaurant links in the DOM (MutationObserver in the page).',
  sync:
    'N reviews written straight into the IndexedDB outbox while offline, `syncReviews` registered, then back online (Chromium fires the sync by itself); time until the outbox is empty, then the server is checked for exactly one copy of each client_id. Fresh server and browser context per run.',
  server: 'autocannon, 20 connections, 10 s per route after a 2 s warm-up, fresh database per route; one run each.',
  scale:
    'Data set from `tsx server/seed-large.ts`; first visit, 5 reloads, 3 filter changes each way, and a scroll to the bottom (pressing "Show more" up to 40 times) in one browser context.',
};

interface Row {
  name: string;
  median: string;
  min: string;
  max: string;
  target: string;
  met: string;
  note: string;
}

function rows(figures: Figure[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const f of figures) {
    const list = groups.get(f.group) ?? [];
    groups.set(f.group, list);
    const single = f.runs.length <= 1;
    list.push({
      name: f.name,
      median: f.error ? `error: ${f.error}` : formatValue(f.median, f.unit),
      min: f.error || single ? '' : formatValue(f.min, f.unit),
      max: f.error || single ? '' : formatValue(f.max, f.unit),
      target: formatTarget(f.target, f.unit),
      met: f.met === undefined ? (f.error && f.target ? '?' : '') : f.met ? 'yes' : 'NO',
      note: f.note ?? '',
    });
  }
  return groups;
}

/** One line about the build the figures come from; a stale or failed build must not go unnoticed. */
function buildLine(build: unknown): string | undefined {
  const b = build as { built?: boolean; reason?: string; error?: string; stale?: boolean } | undefined;
  if (!b) return undefined;
  if (b.error) return `Build: FAILED (${b.error.split('\n')[0]}); figures are from the previous build in dist/.`;
  if (b.stale) return `Build: STALE (${b.reason}).`;
  return `Build: ${b.built ? `rebuilt (${b.reason})` : b.reason}.`;
}

export function printTable(results: BenchResults, print: (line: string) => void = console.log): void {
  const m = results.machine;
  print('');
  print(`Restaurant Reviews bench — ${m.date}`);
  const build = buildLine(results.build);
  if (build) print(build);
  print(`${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB, Node ${m.node}, ${m.chromium}, Lighthouse ${m.lighthouse}, commit ${m.gitCommit}${m.gitDirty ? ' (dirty)' : ''}, load ${m.loadAverage.join(' ')}`);
  const all = [...rows(results.figures).values()].flat();
  const w = {
    name: Math.min(78, Math.max(6, ...all.map((r) => r.name.length))),
    median: Math.min(60, Math.max(6, ...all.map((r) => r.median.length))),
    min: Math.max(3, ...all.map((r) => r.min.length)),
    max: Math.max(3, ...all.map((r) => r.max.length)),
    target: Math.max(6, ...all.map((r) => r.target.length)),
  };
  const line = (r: Row) =>
    `${fit(r.name, w.name)}  ${pad(r.median, w.median)}  ${pad(r.min, w.min)}  ${pad(r.max, w.max)}  ${r.target.padEnd(w.target)}  ${r.met.padEnd(4)}  ${r.note}`.trimEnd();
  for (const [group, list] of rows(results.figures)) {
    print('');
    print(GROUP_TITLES[group] ?? group);
    const load = loadLine(results, group);
    if (load) print(load);
    print(line({ name: 'Figure', median: 'Median', min: 'Min', max: 'Max', target: 'Target', met: 'Met', note: 'Note' }));
    print('-'.repeat(w.name + w.median + w.min + w.max + w.target + 16));
    for (const r of list) print(line(r));
  }
  const failing = (results.details['lighthouse'] as LighthouseDetails | undefined)?.failing;
  if (failing && Object.keys(failing).length) {
    print('');
    print('Lighthouse audits that cost points:');
    for (const [label, audits] of Object.entries(failing)) {
      print(`  ${label}`);
      for (const a of audits) {
        print(`    [${a.category}] ${a.id} — ${a.title}${a.example ? ` (${a.example})` : ''} (${a.runs}/${a.of} runs)`);
        for (const item of a.items ?? []) print(`        ${item}`);
      }
    }
  }
  for (const [name, error] of Object.entries(results.errors)) print(`\n${name}: error: ${error}`);
  const met = results.figures.filter((f) => f.met === true).length;
  const missed = results.figures.filter((f) => f.met === false).length;
  const errors = results.figures.filter((f) => f.error).length;
  print('');
  print(`Targets met: ${met}, not met: ${missed}, figures with errors: ${errors}. Took ${Math.round(results.durationS)} s.`);
}

export function markdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(`<!-- Generated by \`npm run bench\` (bench/run.ts) on ${m.date}. -->`);
  out.push('');
  out.push(
    `Measured on ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, Node ${m.node}, ${m.chromium}, Lighthouse ${m.lighthouse}, ` +
      `commit \`${m.gitCommit}\`${m.gitDirty ? ' (with local changes)' : ''}, ${m.date.slice(0, 10)}, ${formatLoad(m.loadAverage)} at the start. ` +
      'Medians of several runs, with min and max; targets are goals, not assertions.',
  );
  const build = buildLine(results.build);
  if (build && !/up to date|rebuilt/.test(build)) out.push('', `> ${build}`);
  for (const [group, list] of rows(results.figures)) {
    out.push('');
    out.push(`**${GROUP_TITLES[group] ?? group}**`);
    out.push('');
    if (GROUP_METHODS[group]) out.push(GROUP_METHODS[group]!, '');
    const load = loadLine(results, group);
    if (load) out.push(load, '');
    out.push('| Figure | Median | Min | Max | Target | Met | Note |');
    out.push('|---|---:|---:|---:|---|:-:|---|');
    for (const r of list) {
      const met = r.met === 'yes' ? '✅' : r.met === 'NO' ? '❌' : r.met;
      out.push(`| ${esc(r.name)} | ${esc(r.median)} | ${esc(r.min)} | ${esc(r.max)} | ${esc(r.target)} | ${met} | ${esc(r.note)} |`);
    }
  }
  const failing = (results.details['lighthouse'] as LighthouseDetails | undefined)?.failing;
  if (failing && Object.keys(failing).length) {
    out.push('');
    out.push('Lighthouse audits that cost points:');
    out.push('');
    for (const [label, audits] of Object.entries(failing)) {
      out.push(`- ${esc(label)}: ${audits.map((a) => `\`${a.id}\` (${a.category}, ${a.runs}/${a.of})`).join(', ')}`);
    }
  }
  out.push('');
  return out.join('\n');
}

/** docs/performance.md keeps its prose; a full run replaces what stands between these markers. */
export const DOC_FILE = 'docs/performance.md';
const DOC_START = '<!-- bench:start -->';
const DOC_END = '<!-- bench:end -->';

export function writeResults(results: BenchResults, { updateDoc = false }: { updateDoc?: boolean } = {}): { json: string; md: string; doc?: string } {
  const json = join(ROOT, 'bench/results.json');
  const md = join(ROOT, 'bench/latest.md');
  const text = markdown(results);
  writeFileSync(json, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(md, text);
  const doc = join(ROOT, DOC_FILE);
  if (!updateDoc || !existsSync(doc)) return { json, md };
  const current = readFileSync(doc, 'utf8');
  const start = current.indexOf(DOC_START);
  const end = current.indexOf(DOC_END);
  if (start < 0 || end < start) return { json, md };
  writeFileSync(doc, current.slice(0, start + DOC_START.length) + '\n' + text + current.slice(end));
  return { json, md, doc };
}

function pad(text: string, width: number): string {
  return text.length > width ? text : text.padStart(width);
}

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

function esc(text: string): string {
  return text.replace(/\|/g, '\\|');
}
