import { ApplicationRef, PendingTasks, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject, firstValueFrom, take, toArray } from 'rxjs';
import { NetworkError } from '../../shared/api-client';
import { type RefreshResult, cacheFirst, readOnChange, retrySoon } from './cache-first';
import type { Loaded } from './loaded';

describe('cacheFirst', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('after a reconnect, retries a refresh that failed at once, and the view turns fresh', async () => {
    // Opened offline (failed), then back online: the first refresh still fails, the retry works.
    const answers: RefreshResult[] = ['failed', 'failed', 'fresh'];
    let calls = 0;
    const refreshes = new Subject<void>();
    const states: Array<Loaded<string[]>> = [];
    const subscription = cacheFirst({
      read: async () => ['cached'],
      refresh: async () => (calls++, answers.shift() ?? 'fresh'),
      changes: new Subject<void>(),
      isEmpty: (value) => value.length === 0,
      refreshes,
    }).subscribe((state) => states.push(state));
    await pause(20);
    expect(states.at(-1)).toEqual(jasmine.objectContaining({ state: 'ready', stale: true }));

    refreshes.next();
    await pause(100);
    expect(calls).toBe(2);
    expect(states.at(-1)).toEqual(jasmine.objectContaining({ state: 'ready', stale: true }));
    await pause(400);
    subscription.unsubscribe();
    expect(calls).withContext('the failed refresh was tried again').toBe(3);
    expect(states.at(-1)).toEqual(jasmine.objectContaining({ state: 'ready', stale: false }));
  });

  it('does not read the stored copy again after a refresh that changed nothing, and the view turns fresh', async () => {
    let reads = 0;
    const answers: RefreshResult[] = ['unchanged', 'unchanged', 'fresh'];
    const refreshes = new Subject<void>();
    const states: Array<Loaded<string[]>> = [];
    const subscription = cacheFirst({
      read: async () => (reads++, [`read ${reads}`]),
      refresh: async () => answers.shift() ?? 'fresh',
      changes: new Subject<void>(),
      isEmpty: (value) => value.length === 0,
      refreshes,
    }).subscribe((state) => states.push(state));
    await pause(20);
    expect(reads).withContext('the cached read only').toBe(1);
    expect(states.at(-1)).toEqual({ state: 'ready', stale: false, value: ['read 1'] });

    refreshes.next();
    await pause(20);
    expect(reads).withContext('a reconnect that found nothing new').toBe(1);
    refreshes.next();
    await pause(600);
    expect(reads).withContext('a refresh that stored something is read back').toBe(2);
    expect(states.at(-1)).toEqual({ state: 'ready', stale: false, value: ['read 2'] });
    subscription.unsubscribe();
  });

  it('keeps the app unstable until the first refresh settles, answered or failed', async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const app = TestBed.inject(ApplicationRef);
    const pendingTasks = TestBed.inject(PendingTasks);
    for (const answer of ['fresh', 'failed', 'thrown'] as const) {
      let settle!: () => void;
      const refresh = () =>
        new Promise<RefreshResult>((resolve, reject) => {
          settle = () => (answer === 'thrown' ? reject(new Error('storage broke')) : resolve(answer));
        });
      let stable = false;
      const subscription = cacheFirst({
        read: async () => ['cached'],
        refresh,
        changes: new Subject<void>(),
        isEmpty: (value) => value.length === 0,
        pendingTasks,
      }).subscribe({ error: () => undefined });
      void app.whenStable().then(() => (stable = true));
      await pause(30);
      expect(stable).withContext(`${answer}: while the refresh runs`).toBeFalse();
      settle();
      await pause(30);
      expect(stable).withContext(`${answer}: once it settled`).toBeTrue();
      subscription.unsubscribe();
    }
  });
});

describe('retrySoon', () => {
  it('tries again after each delay while the task fails, and stops at the first success', async () => {
    let calls = 0;
    const result = await retrySoon(async () => ++calls, (n) => n < 3, [1, 1, 1, 1]);
    expect(result).toBe(3);
    expect(calls).toBe(3);
  });

  it('gives up after the last delay and returns the last failure', async () => {
    let calls = 0;
    const result = await retrySoon(async () => (++calls, 'failed'), () => true, [1, 1]);
    expect(result).toBe('failed');
    expect(calls).toBe(3);
  });
});

describe('readOnChange', () => {
  it('reads once at a time: a burst of changes during a read costs one more read, and the last value follows the last change', async () => {
    const changes = new Subject<void>();
    let version = 0;
    let reads = 0;
    const read = async () => {
      reads++;
      const seen = version;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return seen;
    };
    const values = firstValueFrom(readOnChange(changes, read).pipe(take(2), toArray()));
    changes.next();
    for (let i = 0; i < 5; i++) {
      version++;
      changes.next();
    }
    expect(await values).toEqual([0, 5]);
    expect(reads).toBe(2);
  });

  it('passes a failed read on as an error', async () => {
    const changes = new Subject<void>();
    const values = firstValueFrom(readOnChange(changes, () => Promise.reject(new NetworkError('boom'))));
    changes.next();
    await expectAsync(values).toBeRejectedWithError(NetworkError);
  });
});
