import { existsSync } from 'node:fs';

/** The e2e suite runs against the production build; `npm test` builds it first. */
export default function globalSetup(): void {
  for (const file of ['dist/app/index.html', 'dist/app/custom-sw.js', 'dist/server/main.mjs']) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the e2e suite.`);
  }
}
