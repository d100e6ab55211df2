/**
 * Write timestamps that never repeat and never go backwards.
 *
 * Delta sync (`GET /restaurants?updated_since=T`) returns records updated strictly after T,
 * where T is the newest `updatedAt` the client has seen. With a plain `Date.now()`, two writes in
 * one millisecond share a timestamp and the second could be missed; a wall clock stepped back
 * (NTP) could hide writes behind an older cursor. Writes go through one process and
 * better-sqlite3 is synchronous, so a single counter orders them exactly.
 */
export class WriteClock {
  private last: number;

  /** `floor`: the newest timestamp already stored, so a restart never reuses one. */
  constructor(floor: number, private readonly wallClock: () => number = Date.now) {
    this.last = floor;
  }

  /** The wall clock itself: what a favorite wish is clamped to (restaurant-store.ts). */
  wall(): number {
    return this.wallClock();
  }

  next(): number {
    const now = this.wallClock();
    this.last = now > this.last ? now : this.last + 1;
    return this.last;
  }
}
