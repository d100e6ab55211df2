import { TestBed } from '@angular/core/testing';
import { ChangePulls, type PullResult } from './change-pulls';
import { HIDDEN_REFRESH_MS, Reconnect } from './reconnect';
import { SyncEvents } from './sync-events';

describe('Reconnect: when the open views ask the network again', () => {
  let visibility: DocumentVisibilityState;
  let pulls: number;
  let refreshes: number;
  let reconnect: Reconnect;
  let events: SyncEvents;

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let clock: jasmine.Spy<() => number>;
  const setVisibility = (state: DocumentVisibilityState, at: number) => {
    visibility = state;
    clock.and.returnValue(at);
    document.dispatchEvent(new Event('visibilitychange'));
    clock.and.callThrough();
  };

  beforeEach(() => {
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    pulls = 0;
    refreshes = 0;
    TestBed.configureTestingModule({
      providers: [{ provide: ChangePulls, useValue: { pull: async (): Promise<PullResult> => (pulls++, 'pulled') } }],
    });
    reconnect = TestBed.inject(Reconnect);
    events = TestBed.inject(SyncEvents);
    reconnect.refreshes$.subscribe(() => refreshes++);
  });

  afterEach(() => {
    // Back to the real getter on Document.prototype.
    delete (document as { visibilityState?: unknown }).visibilityState;
  });

  it('on `online`: at once, and once only (a read that fails just then is retried by its view)', async () => {
    dispatchEvent(new Event('online'));
    expect(refreshes).toBe(1);
    await pause(1_700);
    expect(refreshes).toBe(1);
    expect(pulls).toBe(1);
  });

  it('pulls again shortly when the pull just after `online` failed', async () => {
    let failures = 1;
    (TestBed.inject(ChangePulls) as { pull: () => Promise<PullResult> }).pull = async () => (pulls++, failures-- > 0 ? 'failed' : 'pulled');
    dispatchEvent(new Event('online'));
    await pause(600);
    expect(pulls).toBe(2);
    expect(refreshes).toBe(1);
  });

  it('after a replay that delivered something, and when the live connection reopened', async () => {
    events.publish({ type: 'replayed', reviewsSent: 0, editsSent: 0, favoritesSent: 0, failed: 1, failures: [] });
    expect(refreshes).toBe(0);
    events.publish({ type: 'replayed', reviewsSent: 1, editsSent: 0, favoritesSent: 0, failed: 0, failures: [] });
    expect(refreshes).toBe(1);
    await pause(600);
    events.publish({ type: 'reconnected' });
    expect(refreshes).toBe(2);
  });

  it('when a tab is shown after being hidden a while, not after a glance away', () => {
    clock = spyOn(Date, 'now').and.callThrough();
    setVisibility('hidden', 1_000_000);
    setVisibility('visible', 1_000_000 + 2_000);
    expect(refreshes).toBe(0);
    setVisibility('hidden', 2_000_000);
    setVisibility('visible', 2_000_000 + HIDDEN_REFRESH_MS);
    expect(refreshes).toBe(1);
  });
});
