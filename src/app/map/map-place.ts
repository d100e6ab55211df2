import type { Restaurant } from '../../shared/api';

/** What the map needs of a restaurant: where it is, and what its marker's popup says. */
export type MapPlace = Pick<Restaurant, 'id' | 'name' | 'neighborhood' | 'cuisine_type' | 'latlng'>;

/** Classic data has holes; a restaurant without a real position gets no marker (it is still listed). */
export function hasPosition({ latlng }: MapPlace): boolean {
  return Number.isFinite(latlng.lat) && Number.isFinite(latlng.lng) && Math.abs(latlng.lat) <= 90 && Math.abs(latlng.lng) <= 180;
}

/**
 * Equal when the map would draw the same markers. A favorite toggle re-reads the whole list, but
 * should not make the map drop and rebuild thousands of markers (and close an open popup).
 */
export function samePlaces(a: readonly MapPlace[], b: readonly MapPlace[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((place, i) => {
    const other = b[i];
    return (
      place.id === other.id &&
      place.name === other.name &&
      place.cuisine_type === other.cuisine_type &&
      place.neighborhood === other.neighborhood &&
      place.latlng.lat === other.latlng.lat &&
      place.latlng.lng === other.latlng.lng
    );
  });
}
