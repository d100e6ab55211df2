import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from '../storage/group-commit.ts';
import { suiteTempDir } from './helpers.ts';

describe('group commit', () => {
  const fileIn = suiteTempDir('rr-group-');
  let db: Database.Database;
  let observer: Database.Database;
  let writes: GroupCommit;
  const insert = (value: string) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(value).lastInsertRowid;
  const values = () => observer.prepare('SELECT v FROM t ORDER BY id').pluck().all();

  beforeEach(() => {
    db?.close();
    observer?.close();
    const file = fileIn(`${Date.now()}-${Math.random()}.sqlite`);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    // A second connection sees only what was committed.
    observer = new Database(file, { readonly: true });
    writes = new GroupCommit(db);
  });

  it('commits the writes of one event-loop turn in one transaction, in order', async () => {
    const seenByOthers: unknown[][] = [];
    const job = (value: string) => () => {
      seenByOthers.push(values());
      return insert(value)();
    };
    const done = Promise.all(['a', 'b', 'c'].map((v) => writes.run(job(v))));
    assert.deepEqual(values(), [], 'nothing runs before the batch');
    assert.deepEqual(await done, [1, 2, 3]);
    // Had each job committed on its own, the later jobs would have seen the earlier rows.
    assert.deepEqual(seenByOthers, [[], [], []]);
    assert.deepEqual(values(), ['a', 'b', 'c']);
  });

  it('resolves only once the write is committed and visible to other connections', async () => {
    const seenAtResolve = await writes.run(insert('x')).then(() => values());
    assert.deepEqual(seenAtResolve, ['x']);
  });

  it('undoes and rejects only the job that failed; the rest of the batch commits', async () => {
    const results = await Promise.allSettled([
      writes.run(insert('one')),
      writes.run(() => {
        insert('half-done')();
        throw new Error('boom');
      }),
      writes.run(insert('one')), // UNIQUE violation
      writes.run(insert('two')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(values(), ['one', 'two']);
  });

  it('lets a job see the jobs queued before it in the same batch', async () => {
    const exists = () => db.prepare("SELECT count(*) FROM t WHERE v = 'dup'").pluck().get() === 1;
    const [first, second] = await Promise.all([
      writes.run(() => (exists() ? 'replayed' : (insert('dup')(), 'created'))),
      writes.run(() => (exists() ? 'replayed' : (insert('dup')(), 'created'))),
    ]);
    assert.deepEqual([first, second], ['created', 'replayed']);
  });

  it('rejects the whole batch when the commit fails, leaving nothing behind', async () => {
    // A deferred foreign key is only checked at COMMIT, so the batch fails as a whole.
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    const results = await Promise.allSettled([
      writes.run(insert('innocent')),
      writes.run(() => db.prepare('INSERT INTO child VALUES (42)').run()),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.deepEqual(values(), []);
  });

  it('commits what is queued when flushed directly (shutdown)', async () => {
    const pending = writes.run(insert('late'));
    writes.flush();
    assert.deepEqual(values(), ['late']);
    await pending;
  });
});
