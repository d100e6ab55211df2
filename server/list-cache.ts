/**
 * Cached list answers: GET /restaurants (every filter variant) and GET /reviews (per restaurant)
 * are serialized, and compressed per encoding, once per data change instead of once per request,
 * and carry a strong ETag; a matching If-None-Match gets 304.
 *
 * What "once per data change" is keyed on: the database's change sequence (change-sequence.ts),
 * read from the database on every request (one primary-key read), never an in-process counter.
 * Every write that changes a record takes the next number in its own transaction, so a write
 * that was acknowledged has moved the number, and the next read, on this server or on any other
 * sharing the database (issue #11), sees a number its cached entry does not have and rebuilds.
 * That is what makes invalidation exact: a write is never followed by a stale answer.
 *
 * Order matters: the number is read BEFORE the data. Data read afterwards is at least as new as
 * the number, so an entry can be newer than its label (it is rebuilt once more, harmlessly) but
 * never older. On SQLite nothing can even slip in between (better-sqlite3 is synchronous and a
 * group commit never yields mid-batch); on PostgreSQL a write of another server may commit
 * between the two reads, and the entry is then merely newer than its label.
 *
 * The bytes are those of the uncached route: the route's own serializer (its response schema)
 * makes them, so the classic contract and its quirks stay byte-identical (server test).
 * Compression: br or gzip, as @fastify/compress would choose for ['br', 'gzip'], only above its
 * 1 KiB threshold; brotli at quality 6 (the plugin's per-request 4 would be wasted on bytes made
 * once), gzip at its default level.
 *
 * Memory is bounded (maxBytes, least recently used first out): a client inventing filter values
 * cannot grow it without limit.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Encoding = 'br' | 'gzip' | 'identity';
/** What a route's serializer returns (FastifyReply.serialize). */
type Serialized = string | Buffer | ArrayBuffer;

interface Entry {
  sequence: number;
  /** The ETag without quotes or encoding suffix: `<sequence>-<variant hash>`. */
  tag: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  bytes: number;
}

export interface ListCacheOptions {
  /** The database's newest committed change number. */
  currentSequence: () => Promise<number>;
  /** Bytes kept across all entries (default 64 MiB). */
  maxBytes?: number;
}

const COMPRESS_THRESHOLD = 1024;

export class ListCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(private readonly options: ListCacheOptions) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /**
   * Answers from the cache for `variant` (a key naming the route and every parameter that shapes
   * the answer), building the entry with `serialize` when the data changed since it was made.
   */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    variant: string,
    serialize: () => Promise<Serialized>,
  ): Promise<FastifyReply> {
    const entry = await this.entryFor(variant, serialize);
    const encoding = entry.identity.length < COMPRESS_THRESHOLD ? 'identity' : negotiate(request.headers['accept-encoding']);
    // Appended: CORS has already said the answer varies on Origin.
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, accept-encoding` : 'accept-encoding');
    reply.header('etag', `"${entry.tag}${encoding === 'identity' ? '' : `-${encoding}`}"`);
    if (matches(request.headers['if-none-match'], entry.tag)) return reply.code(304).send();
    reply.type('application/json; charset=utf-8');
    if (encoding === 'identity') return reply.send(entry.identity);
    reply.header('content-encoding', encoding);
    return reply.send(this.compressed(entry, encoding));
  }

  private async entryFor(variant: string, serialize: () => Promise<Serialized>): Promise<Entry> {
    // Read first, see above.
    const sequence = await this.options.currentSequence();
    const cached = this.entries.get(variant);
    if (cached?.sequence === sequence) {
      // Most recently used goes last: Map keeps insertion order.
      this.entries.delete(variant);
      this.entries.set(variant, cached);
      return cached;
    }
    const serialized = await serialize();
    const identity = typeof serialized === 'string' ? Buffer.from(serialized) : Buffer.from(serialized as ArrayBuffer);
    const hash = createHash('sha256').update(variant).digest('base64url').slice(0, 16);
    const entry: Entry = { sequence, tag: `${sequence}-${hash}`, identity, bytes: identity.length };
    // Two requests may build one variant at once, and finish in any order: keep the newer label.
    const current = this.entries.get(variant);
    if (current && current.sequence > sequence) return entry;
    if (current) this.forget(variant, current);
    this.remember(variant, entry);
    return entry;
  }

  private compressed(entry: Entry, encoding: 'br' | 'gzip'): Buffer {
    let body = entry[encoding];
    if (!body) {
      body =
        encoding === 'br'
          ? brotliCompressSync(entry.identity, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 6,
                [constants.BROTLI_PARAM_SIZE_HINT]: entry.identity.length,
              },
            })
          : gzipSync(entry.identity);
      entry[encoding] = body;
      entry.bytes += body.length;
      this.bytes += body.length;
      this.evict();
    }
    return body;
  }

  private remember(variant: string, entry: Entry): void {
    this.entries.set(variant, entry);
    this.bytes += entry.bytes;
    this.evict();
  }

  private forget(variant: string, entry: Entry): void {
    this.entries.delete(variant);
    this.bytes -= entry.bytes;
  }

  /** Oldest first, but never the entry just used (the last one), however large it is. */
  private evict(): void {
    for (const [variant, entry] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) return;
      this.forget(variant, entry);
    }
  }
}

/** br or gzip by the client's q-values (br first on a tie), as @fastify/compress negotiates. */
export function negotiate(header: string | string[] | undefined): Encoding {
  if (typeof header !== 'string' || header === '') return 'identity';
  const q: Partial<Record<string, number>> = {};
  for (const part of header.toLowerCase().split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim() === 'x-gzip' ? 'gzip' : rawName?.trim();
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q[name] = Number.isFinite(value) ? value : 0;
  }
  const weight = (name: 'br' | 'gzip') => q[name] ?? q['*'] ?? 0;
  const [br, gzip] = [weight('br'), weight('gzip')];
  if (br <= 0 && gzip <= 0) return 'identity';
  return br >= gzip ? 'br' : 'gzip';
}

/** If-None-Match lists this entry (in any encoding, weak or strong: a GET compares weakly). */
function matches(header: string | string[] | undefined, tag: string): boolean {
  if (typeof header !== 'string') return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return value === tag || value === `${tag}-br` || value === `${tag}-gzip`;
  });
}
