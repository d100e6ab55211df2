// The one esbuild configuration for server code: an entry point and everything it imports
// (including the seed data) bundled into one ES module for Node 20. Used by build-server.mjs
// (dist/server/main.mjs), by the crash test's child (server/test/server-process.ts) and by the
// stress check's control build (server/stress/fsync-order.ts), so that what the tests run is
// built exactly like what ships.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {string} entryPoint absolute path of a server entry point (.ts)
 * @param {string} outfile absolute path of the bundle to write (.mjs)
 * @param {Pick<import('esbuild').BuildOptions, 'logLevel' | 'plugins'>} [options]
 */
export function bundleServer(entryPoint, outfile, options = {}) {
  return build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages stay external: better-sqlite3 is a native addon that cannot be bundled, and
    // the others are resolved from node_modules at run time, as in development. No `require`
    // shim is needed: our code only uses `import`, and Node loads CommonJS packages itself.
    packages: 'external',
    sourcemap: true,
    // Readable stack traces in production logs matter more than a few kilobytes.
    minify: false,
    tsconfig: `${root}tsconfig.server.json`,
    logLevel: 'silent',
    ...options,
  });
}
