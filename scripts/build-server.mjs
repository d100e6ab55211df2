// Bundles the API server (server/main.ts and everything it imports, including the seed data)
// into one ES module, dist/server/main.mjs, run with `node dist/server/main.mjs`.
// npm packages stay external: better-sqlite3 is a native addon that cannot be bundled, and the
// others are resolved from node_modules at run time like in development.
// No `require` shim is needed: our code only uses `import`, and Node loads the CommonJS packages
// it imports by itself.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/server`;

// Only our own folder: dist/app belongs to `ng build`.
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [`${root}server/main.ts`],
  outfile: `${outdir}/main.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  // Readable stack traces in production logs matter more than a few kilobytes.
  minify: false,
  tsconfig: `${root}tsconfig.server.json`,
  logLevel: 'info',
});
