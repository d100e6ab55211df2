// Bundles the custom service worker into the app's build output, after `ng build` (which empties
// that folder). It lives outside ngsw.json on purpose: the browser checks it for updates itself.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/app`;
if (!existsSync(`${outdir}/ngsw-worker.js`)) {
  console.error('dist/app/ngsw-worker.js is missing: run `ng build` first (npm run build does both).');
  process.exit(1);
}

await build({
  entryPoints: [`${root}src/worker/custom-sw.ts`],
  outfile: `${outdir}/custom-sw.js`,
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  tsconfig: `${root}tsconfig.worker.json`,
  // Angular's worker must run first, before any of our code: caching, updates and its fetch handler.
  banner: { js: "importScripts('./ngsw-worker.js');" },
  logLevel: 'info',
});
