import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to a request that matches: pass it on, refuse it, or hold it first. */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  /**
   * Passes the request on at once (the server applies and commits it), but holds the server's
   * answer back until `dropHeld()`: the window where a write has landed and the client does not
   * know it yet. A batch replay is too quick to be cut off by timing alone.
   */
  | { kind: 'hold-answer' };

/**
 * A reverse proxy in front of the real server, for failures a healthy server will not produce on
 * cue: a 503 spell, a 429 with Retry-After, a 10-second answer. Everything it passes on is the
 * real server's real answer; the browser only ever talks to the proxy, as it would to a CDN.
 */
export class FaultProxy {
  private fault: Fault = { kind: 'pass' };
  /** The URL of every answer in flight; an entry goes when the browser's side of it closes. */
  private readonly streaming = new Map<ServerResponse, string>();
  private matches: (req: IncomingMessage) => boolean = () => false;
  /** Requests that matched, and what was done to them. */
  readonly log: Array<{ method: string; url: string; fault: Fault['kind']; at: number }> = [];
  /** Answers held back by 'hold-answer', whose clients are still waiting. */
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {}

  static async start(targetUrl: string): Promise<FaultProxy> {
    let proxy!: FaultProxy;
    const server = createServer((req, res) => void proxy.handle(req, res));
    proxy = new FaultProxy(server, new URL(targetUrl));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, requests for which `matches` is true get `fault`. */
  inject(fault: Fault, matches: (req: IncomingMessage) => boolean): void {
    this.fault = fault;
    this.matches = matches;
  }

  heal(): void {
    this.fault = { kind: 'pass' };
  }

  /** Drops every held answer's connection: those clients never learn what happened. */
  dropHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  /** How many answers are held back now. */
  get holding(): number {
    return this.held.size;
  }

  /** Answers still streaming to the browser now (an SSE stream stays open), by path prefix. */
  openNow(pathPrefix: string): number {
    return [...this.streaming.values()].filter((url) => url.startsWith(pathPrefix)).length;
  }

  matched(method: string, pathPrefix: string): number {
    return this.log.filter((entry) => entry.method === method && entry.url.startsWith(pathPrefix)).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const matched = this.matches(req);
    const fault = matched ? this.fault : ({ kind: 'pass' } as Fault);
    if (matched) this.log.push({ method: req.method ?? '', url: req.url ?? '', fault: fault.kind, at: Date.now() });
    if (fault.kind === 'status') {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ error: 'Injected', message: `Injected ${fault.status} from the fault proxy` }));
      return;
    }
    if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      },
      (answer) => {
        if (fault.kind === 'hold-answer') {
          // Read all of it (the server is done), and never pass it on.
          answer.resume();
          this.held.add(res);
          res.once('close', () => this.held.delete(res));
          return;
        }
        this.streaming.set(res, req.url ?? '');
        res.once('close', () => this.streaming.delete(res));
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      // The real server is gone (killed mid-test): the browser sees a dropped connection.
      res.destroy();
    });
    req.pipe(upstream);
  }
}
