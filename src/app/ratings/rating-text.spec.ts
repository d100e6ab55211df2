import { NO_RATING } from '../../shared/ratings';
import { ratingText, reviewCountText } from './rating-text';

describe('rating texts', () => {
  it('words the figures', () => {
    expect(ratingText(4.333)).toBe('4.3');
    expect(ratingText(4)).toBe('4.0');
    expect(reviewCountText({ average: 4, count: 1, pending: 0, changesPending: 0 })).toBe('1 review');
    expect(reviewCountText({ average: 4, count: 1234, pending: 2, changesPending: 0 })).toBe('1,234 reviews (2 pending)');
    expect(reviewCountText({ average: 4, count: 3, pending: 0, changesPending: 1 })).toBe('3 reviews (1 change pending)');
    expect(reviewCountText({ average: 4, count: 3, pending: 1, changesPending: 2 })).toBe('3 reviews (1 pending, 2 changes pending)');
    expect(reviewCountText(NO_RATING)).toBe('No reviews yet');
  });
});
