/**
 * Reads and deletes many outbox records in few IndexedDB requests. A drain settles hundreds of
 * records a second, and each request costs a round trip to the browser's storage process: one
 * `getAll` over the records' key range instead of a `get` each, and one ranged `delete` when every
 * record in that range goes. Queued records have consecutive keys, so the range is usually exact.
 */

/** The part of an idb object store these helpers use (keys are the outbox's auto-increment numbers). */
export interface ReadableStore<V> {
  get(key: number): Promise<V | undefined>;
  getAll(query: IDBKeyRange): Promise<V[]>;
}

export interface NumberKeyedStore<V> extends ReadableStore<V> {
  delete(key: number | IDBKeyRange): Promise<void>;
}

/** The range is read whole only while it is not much larger than what is asked for. */
const MAX_SPREAD = 2;

export interface ReadMany<V> {
  /** The records under the keys asked for (missing ones absent). */
  found: Map<number, V>;
  /** When the range was read whole: its bounds and every key in it (other records included). */
  range?: { min: number; max: number; keys: ReadonlySet<number> };
}

export async function readMany<V>(store: ReadableStore<V>, keys: readonly number[], keyOf: (value: V) => number): Promise<ReadMany<V>> {
  const found = new Map<number, V>();
  if (!keys.length) return { found };
  const wanted = new Set(keys);
  const [min, max] = [Math.min(...keys), Math.max(...keys)];
  if (max - min + 1 > wanted.size * MAX_SPREAD) {
    const values = await Promise.all(keys.map((key) => store.get(key)));
    values.forEach((value, i) => value !== undefined && found.set(keys[i]!, value));
    return { found };
  }
  const inRange = new Set<number>();
  for (const value of await store.getAll(IDBKeyRange.bound(min, max))) {
    const key = keyOf(value);
    inRange.add(key);
    if (wanted.has(key)) found.set(key, value);
  }
  return { found, range: { min, max, keys: inRange } };
}

/**
 * Deletes the records under `keys`, with `read` the `readMany` of the same transaction: when that
 * read their whole range and no other record lies between them, one ranged delete does it.
 */
export async function deleteMany<V>(store: NumberKeyedStore<V>, keys: readonly number[], read: ReadMany<V>): Promise<void> {
  if (!keys.length) return;
  const [min, max] = [Math.min(...keys), Math.max(...keys)];
  const gone = new Set(keys);
  const { range } = read;
  const alone = range && min >= range.min && max <= range.max && [...range.keys].every((key) => key < min || key > max || gone.has(key));
  if (alone) return store.delete(IDBKeyRange.bound(min, max));
  await Promise.all(keys.map((key) => store.delete(key)));
}
