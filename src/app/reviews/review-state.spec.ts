import { reviewState } from './review-state';

describe('review state', () => {
  it('moves from saved on this device to sent, in one wording', () => {
    expect(reviewState({ sync: 'pending', change: 'create', mine: true }, false)).toEqual({
      badge: 'Pending sync',
      tone: 'pending',
      detail: "Saved on this device; the review will be sent when you're back online.",
    });
    expect(reviewState({ sync: 'pending', change: 'create', mine: true }, true).detail).toBe('Saved on this device; the review is being sent.');
    expect(reviewState({ sync: 'synced', change: 'create', mine: true }, true)).toEqual({ badge: 'Sent', tone: 'sent', detail: '' });
  });

  it('says why a refused review was not sent, and never that it will be', () => {
    const state = reviewState({ sync: 'failed', change: 'create', mine: true, error: 'rating must be 1 to 5' }, true);
    expect(state).toEqual({ badge: 'Not sent', tone: 'failed', detail: 'rating must be 1 to 5' });
    expect(reviewState({ sync: 'failed', change: 'edit', mine: true }, false).detail).toBe('The server did not accept this change.');
  });

  it('says nothing about other people\'s reviews', () => {
    expect(reviewState({ sync: 'synced', change: 'create', mine: false }, true).badge).toBe('');
  });
});
