import { type MapPlace, hasPosition, samePlaces } from './map-place';

const place = (id: number, lat = 40.7, lng = -73.9, name = `Place ${id}`): MapPlace => ({
  id,
  name,
  neighborhood: 'Queens',
  cuisine_type: 'Asian',
  latlng: { lat, lng },
});

describe('map places', () => {
  it('skips restaurants without a real position', () => {
    expect(hasPosition(place(1))).toBeTrue();
    expect(hasPosition(place(2, Number.NaN, -73.9))).toBeFalse();
    expect(hasPosition(place(3, 95, 0))).toBeFalse();
    expect(hasPosition(place(4, 0, -190))).toBeFalse();
  });

  it('treats a re-read of the same restaurants as the same markers', () => {
    expect(samePlaces([place(1), place(2)], [place(1), place(2)])).toBeTrue();
  });

  it('sees a different set, order, name or position', () => {
    expect(samePlaces([place(1), place(2)], [place(1)])).toBeFalse();
    expect(samePlaces([place(1), place(2)], [place(2), place(1)])).toBeFalse();
    expect(samePlaces([place(1)], [place(1, 40.7, -73.9, 'Renamed')])).toBeFalse();
    expect(samePlaces([place(1)], [place(1, 40.8)])).toBeFalse();
  });
});
