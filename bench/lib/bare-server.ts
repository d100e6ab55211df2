/**
 * A bare `node:http` server that answers every request with one fixed answer (status, headers,
 * body), in a child process of its own like the real server: the yardstick for "how fast could
 * Node send these bytes at all" (bench/server-load.ts, throughput ratio).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { listeningPort } from '../../server/listening.ts';
import { killChild, track } from './server.ts';
import type { Scope } from './scope.ts';

export interface FixedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

// Plain JavaScript for `node -e`: no loader, no framework, the same Node as the real server.
const SCRIPT = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const [file] = process.argv.slice(1);
const answer = JSON.parse(readFileSync(file + '.json', 'utf8'));
const body = readFileSync(file + '.body');
const server = createServer((request, response) => {
  request.resume();
  response.writeHead(answer.status, { ...answer.headers, 'content-length': body.length });
  response.end(body);
});
server.listen(0, 'localhost', () => console.log('listening on ' + server.address().port));
`;

/** Headers Node writes by itself, or that describe one connection rather than the answer. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/**
 * Requests `url` once and returns exactly what came back, compressed bytes as they are (fetch
 * would decode them), to be sent again by the bare server.
 */
export function captureAnswer(url: string, requestHeaders: Record<string, string> = {}): Promise<FixedAnswer> {
  return new Promise((resolve, reject) => {
    get(url, { headers: requestHeaders }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && !OWN_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}

export async function startBareServer(scope: Scope, dir: string, answer: FixedAnswer): Promise<{ url: string }> {
  const file = join(dir, 'bare-answer');
  writeFileSync(`${file}.json`, JSON.stringify({ status: answer.status, headers: answer.headers }));
  writeFileSync(`${file}.body`, answer.body);
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  scope.defer(`bare server pid ${child.pid}`, () => killChild(child));
  // The OS picks the port (0) and the child prints it: nothing can take it in between.
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = listeningPort(output);
      if (found !== undefined) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}: ${output.trim()}`)));
  });
  // localhost, as the real server (HOST's default): the same address family for both.
  return { url: `http://localhost:${port}` };
}
