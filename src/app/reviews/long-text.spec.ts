import { isLongText } from './long-text';

describe('long review text', () => {
  it('folds a text past the character limit', () => {
    expect(isLongText('a'.repeat(480))).toBe(false);
    expect(isLongText('a'.repeat(481))).toBe(true);
    expect(isLongText('x'.repeat(4000))).toBe(true);
  });

  it('folds a short text of many lines', () => {
    expect(isLongText('1\n2\n3\n4\n5\n6')).toBe(false);
    expect(isLongText('1\n2\n3\n4\n5\n6\n7')).toBe(true);
  });
});
