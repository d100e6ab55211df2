// Bundles the API server (server/main.ts and everything it imports) into one ES module,
// dist/server/main.mjs, run with `node dist/server/main.mjs`. The bundle's settings are in
// server-bundle.mjs, shared with the tests that bundle server code of their own.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleServer } from './server-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/server`;

// Only our own folder: dist/app belongs to `ng build`.
rmSync(outdir, { recursive: true, force: true });

await bundleServer(`${root}server/main.ts`, `${outdir}/main.mjs`, { logLevel: 'info' });
