import { badgeCount } from './app-badge';

describe('app badge', () => {
  it('counts waiting and refused changes, never below zero', () => {
    expect(badgeCount(2, 1)).toBe(3);
    expect(badgeCount(0, 0)).toBe(0);
    expect(badgeCount(-1, 0)).toBe(0);
  });
});
