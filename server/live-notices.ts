/**
 * Live notices over Server-Sent Events (`GET /changes/live`): after every commit, each open
 * stream gets a tiny notice "there is something after cursor N" (event id N, no records); the
 * client then pulls `GET /changes`. A lost notice costs nothing: the next one, or the pull a
 * client makes when it reconnects, catches up.
 *
 * What the streams must survive, and how:
 * - Many commits in a burst: notices are coalesced (at most one broadcast per
 *   `noticeIntervalMs`, the first at once), each carrying the newest cursor, so a write burst
 *   costs a few notices instead of one per batch per connection.
 * - Idle proxies and socket timeouts: a comment line every `heartbeatMs`, and no socket timeout
 *   on the stream (server timeouts bound how long a request takes to arrive, not an answer).
 * - Slow or stuck clients: a stream whose unsent output passes MAX_BUFFERED_BYTES is dropped;
 *   the client reconnects with its Last-Event-ID and pulls.
 * - Disconnects: a stream leaves the set when its response closes; nothing else holds it.
 * - Shutdown: `close()` ends every stream and its socket, so `app.close()` is not held up by
 *   answers that never end.
 * - Too many clients: beyond `maxConnections`, a 503 (the caller's job) instead of running out
 *   of file descriptors.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LIVE_EVENT, type LiveNotice } from '../src/shared/change-feed.ts';

export interface LiveNoticeOptions {
  /** Comment line this often, in ms (default 15 s). */
  heartbeatMs?: number;
  /** Open streams allowed at once (default 500). */
  maxConnections?: number;
  /** Shortest gap between two broadcasts, in ms (default 50). */
  noticeIntervalMs?: number;
}

/** Sent first: how long EventSource waits before reconnecting after the stream ends. */
export const LIVE_RETRY_MS = 2_000;
const MAX_BUFFERED_BYTES = 64 * 1024;
const HEARTBEAT = ': heartbeat\n\n';

interface Stream {
  out: PassThrough;
  reply: FastifyReply;
  /** The newest cursor this client was told about (or said it has). */
  told: number;
}

export class LiveNotices {
  private readonly streams = new Set<Stream>();
  private readonly heartbeatMs: number;
  private readonly noticeIntervalMs: number;
  readonly maxConnections: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private pendingBroadcast: NodeJS.Timeout | undefined;
  private lastBroadcastAt = 0;
  private closed = false;

  constructor(
    private latest: number,
    options: LiveNoticeOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxConnections = options.maxConnections ?? 500;
    this.noticeIntervalMs = options.noticeIntervalMs ?? 50;
  }

  get size(): number {
    return this.streams.size;
  }

  get full(): boolean {
    return this.streams.size >= this.maxConnections;
  }

  /** The newest committed cursor; called after every commit that advanced it. */
  publish(cursor: number): void {
    if (cursor <= this.latest) return;
    this.latest = cursor;
    if (this.pendingBroadcast || this.closed) return;
    const wait = this.lastBroadcastAt + this.noticeIntervalMs - Date.now();
    if (wait <= 0) this.broadcast();
    else this.pendingBroadcast = setTimeout(() => this.broadcast(), wait);
  }

  /**
   * Tells every stream the newest cursor, whatever it was told before: this server may have
   * missed notices (its PostgreSQL listener was reconnecting), so every client pulls once.
   */
  remind(cursor: number): void {
    this.latest = Math.max(this.latest, cursor);
    if (this.closed) return;
    for (const stream of this.streams) this.tell(stream);
  }

  /**
   * Turns the answer into a stream. `clientCursor` is what the client says it has (0: nothing);
   * if the server has anything else, a notice goes out at once, so a client that reconnects
   * after missing notices pulls right away.
   */
  open(request: FastifyRequest, reply: FastifyReply, clientCursor: number): void {
    const out = new PassThrough();
    const stream: Stream = { out, reply, told: clientCursor };
    this.streams.add(stream);
    this.startHeartbeat();
    reply.raw.once('close', () => this.drop(stream));
    // The socket's idle timeout (Fastify's connectionTimeout) would cut a quiet stream; the
    // heartbeat keeps proxies awake, and disconnects are seen through 'close' anyway.
    request.raw.socket.setTimeout(0);

    // The first bytes flush the headers, so EventSource reports "open" at once.
    out.write(`retry: ${LIVE_RETRY_MS}\n\n`);
    // A cursor ahead of ours comes from another database: a notice makes the client pull, and
    // the pull answers "resync".
    if (clientCursor !== this.latest) this.tell(stream);
    void reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      // no-transform: proxies must not compress or rewrite the stream; X-Accel-Buffering: nginx
      // must not hold it back.
      .header('cache-control', 'no-store, no-transform')
      .header('x-accel-buffering', 'no')
      .send(out);
  }

  /** Ends every stream and its connection; later `open`s are the route's to refuse. */
  close(): void {
    this.closed = true;
    clearTimeout(this.pendingBroadcast);
    this.pendingBroadcast = undefined;
    for (const stream of [...this.streams]) {
      const socket = stream.reply.raw.socket;
      // After the final chunk is out, the keep-alive socket would sit idle until its timeout
      // and hold up server.close(): end it too.
      stream.reply.raw.once('finish', () => socket?.destroy());
      stream.out.end();
      this.drop(stream);
    }
  }

  private broadcast(): void {
    this.pendingBroadcast = undefined;
    this.lastBroadcastAt = Date.now();
    for (const stream of this.streams) {
      if (stream.told < this.latest) this.tell(stream);
    }
  }

  private tell(stream: Stream): void {
    stream.told = this.latest;
    const notice: LiveNotice = { cursor: this.latest };
    this.write(stream, `id: ${this.latest}\nevent: ${LIVE_EVENT}\ndata: ${JSON.stringify(notice)}\n\n`);
  }

  private write(stream: Stream, text: string): void {
    if (stream.out.writableLength + stream.reply.raw.writableLength > MAX_BUFFERED_BYTES) {
      stream.reply.raw.destroy();
      this.drop(stream);
      return;
    }
    stream.out.write(text);
  }

  private drop(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    if (!stream.out.writableEnded) stream.out.destroy();
    if (this.streams.size === 0) this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) this.write(stream, HEARTBEAT);
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
