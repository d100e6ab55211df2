/**
 * The line a server prints once it listens, and how it is read back. With PORT=0 only the process
 * knows which port the OS gave it, so the tests, the bench and the stress scripts read it from this
 * line: our server (main.ts) and the test servers print it, and they all read it the same way.
 */

/** "Restaurant Reviews listening on http://localhost:41234", with a newline. */
export function listeningLine(name: string, url: string): string {
  return `${name} listening on ${url}\n`;
}

/** The address in a listening line, or undefined while none has been printed. */
export function listeningUrl(output: string): string | undefined {
  return /listening on (https?:\/\/\S+)/.exec(output)?.[1];
}

/**
 * The port in a listening line. Also reads "listening on 41234", which the bench's bare
 * `node:http` server prints (a script for `node -e`, which cannot import this module).
 */
export function listeningPort(output: string): number | undefined {
  const port = /listening on (?:https?:\/\/\S*:)?(\d+)/.exec(output)?.[1];
  return port === undefined ? undefined : Number(port);
}
