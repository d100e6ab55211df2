/**
 * Bundle sizes of the list page: what index.html loads (its scripts, including the ones the
 * CSP-friendly loader injects, its modulepreloads and its stylesheets) plus everything those
 * scripts import statically. Raw, gzip -9 and brotli q11. The other chunks are lazy.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Figure, figure } from './lib/figures.ts';
import { ROOT } from './lib/server.ts';

/** The built app; STATIC_DIR (the server's own setting, also passed to the servers the bench starts) overrides it. */
const DIST = process.env['STATIC_DIR'] || join(ROOT, 'dist/app');
/** Service-worker scripts: not part of any page's bundle. */
const WORKER_FILES = new Set(['ngsw-worker.js', 'safety-worker.js', 'worker-basic.min.js', 'custom-sw.js']);
const KB = 1024;

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface FileSizes extends Sizes {
  file: string;
}

export interface BundleDetails {
  initialJs: FileSizes[];
  initialCss: FileSizes[];
  lazyJs: FileSizes[];
  workers: FileSizes[];
  totals: Record<'initialJs' | 'initialCss' | 'lazyJs' | 'workers', Sizes>;
}

export function measureBundle(): { figures: Figure[]; details: BundleDetails } {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing`);
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const referenced = referencedFiles(html);

  const initialJs = new Set<string>();
  const queue = referenced.filter((f) => f.endsWith('.js') && !WORKER_FILES.has(f));
  while (queue.length) {
    const file = queue.shift()!;
    if (initialJs.has(file) || !existsSync(join(DIST, file))) continue;
    initialJs.add(file);
    queue.push(...staticImports(readFileSync(join(DIST, file), 'utf8')));
  }
  const initialCss = referenced.filter((f) => f.endsWith('.css') && existsSync(join(DIST, f)));
  const allJs = readdirSync(DIST).filter((f) => f.endsWith('.js') && statSync(join(DIST, f)).isFile());
  const lazy = allJs.filter((f) => !initialJs.has(f) && !WORKER_FILES.has(f));
  // safety-worker.js and worker-basic.min.js are only for unregistering; never loaded here.
  const workers = allJs.filter((f) => f === 'custom-sw.js' || f === 'ngsw-worker.js');

  const details: BundleDetails = {
    initialJs: [...initialJs].map(sizesOf),
    initialCss: initialCss.map(sizesOf),
    lazyJs: lazy.map(sizesOf),
    workers: workers.map(sizesOf),
    totals: {} as BundleDetails['totals'],
  };
  for (const key of ['initialJs', 'initialCss', 'lazyJs', 'workers'] as const) details.totals[key] = sum(details[key]);

  const t = details.totals;
  const g = 'bundle';
  const figures = [
    figure(g, 'Initial JS (raw)', 'B', [t.initialJs.raw], { note: `${initialJs.size} files` }),
    figure(g, 'Initial JS (gzip -9)', 'B', [t.initialJs.gzip], { target: { op: '<=', value: 85 * KB } }),
    figure(g, 'Initial JS (brotli q11)', 'B', [t.initialJs.brotli]),
    figure(g, 'Initial CSS (raw)', 'B', [t.initialCss.raw], { note: `${initialCss.length} files` }),
    figure(g, 'Initial CSS (gzip -9)', 'B', [t.initialCss.gzip]),
    figure(g, 'Initial CSS (brotli q11)', 'B', [t.initialCss.brotli]),
    figure(g, 'Lazy JS chunks (raw)', 'B', [t.lazyJs.raw], { note: `${lazy.length} chunks` }),
    figure(g, 'Lazy JS chunks (gzip -9)', 'B', [t.lazyJs.gzip]),
    figure(g, 'Lazy JS chunks (brotli q11)', 'B', [t.lazyJs.brotli]),
    figure(g, 'Service worker custom-sw.js + ngsw-worker.js (gzip -9)', 'B', [t.workers.gzip], {
      note: 'not on the page\'s critical path',
    }),
  ];
  return { figures, details };
}

/** Files index.html loads: src/href attributes and the quoted names in Angular's loader script. */
export function referencedFiles(html: string): string[] {
  const files = new Set<string>();
  const add = (value: string | undefined) => {
    if (!value || /^(https?:)?\/\//.test(value) || value.startsWith('data:')) return;
    const clean = value.replace(/^\.?\//, '').split(/[?#]/)[0]!;
    if (/\.(m?js|css)$/.test(clean)) files.add(clean);
  };
  for (const match of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/gi)) add(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
    const tag = match[0];
    const rel = /\brel=["']([^"']+)["']/i.exec(tag)?.[1]?.toLowerCase() ?? '';
    const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1];
    if (/\b(stylesheet|modulepreload|preload)\b/.test(rel)) add(href);
  }
  // With autoCsp, Angular loads main-*.js from an inline script: [['main-XXXX.js', 'module', …]].
  for (const match of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    for (const quoted of match[1]!.matchAll(/["']([\w./-]+\.(?:m?js|css))["']/g)) add(quoted[1]);
  }
  return [...files];
}

/** Static imports of an esbuild ES module: `import{a}from"./chunk-X.js"`, `import"./x.js"`, `export*from`. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*${}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.m?js)["']/g)) {
    found.add(match[1]!.replace(/^\.\//, ''));
  }
  return [...found];
}

function sizesOf(file: string): FileSizes {
  const data = readFileSync(join(DIST, file));
  return {
    file,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).length,
  };
}

function sum(list: Sizes[]): Sizes {
  return list.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
}
