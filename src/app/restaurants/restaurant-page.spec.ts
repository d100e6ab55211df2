import { parseRestaurantId } from './restaurant-page';

describe('parseRestaurantId', () => {
  it('reads a positive whole number', () => {
    expect(parseRestaurantId('1')).toBe(1);
    expect(parseRestaurantId('10000')).toBe(10000);
  });

  it('rejects anything a restaurant id cannot be', () => {
    for (const id of ['abc', '', '0', '-3', '2.5', '1e3', ' 4', '4 ', '0x10', '99999999999999999999']) {
      expect(parseRestaurantId(id)).withContext(JSON.stringify(id)).toBeUndefined();
    }
  });
});
