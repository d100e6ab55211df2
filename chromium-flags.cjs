// The flags every Chromium the project starts gets: Karma's unit tests (karma.conf.cjs) and
// Playwright's e2e suite (playwright.config.ts), and through the latter the bench and the
// screenshots. CommonJS, because karma.conf.cjs must require it; ES modules import it as well.
//
// Debian's Chromium runs as root here, so without its sandbox, and on a closed network, so with
// nothing that calls home (component updates, sync, background networking, QUIC).
exports.chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
