import type { Restaurant } from '../../shared/api';

/**
 * Every cuisine in the data (the classic seed and the large one) has its own illustration in
 * `public/img/`; any other cuisine gets the neutral covered dish. All of them are precached by
 * the service worker (ngsw-config.json, group "art"), so none is ever a broken image offline.
 */
export const CUISINE_ART: ReadonlyMap<string, string> = new Map([
  ['asian', 'img/asian.svg'],
  ['pizza', 'img/pizza.svg'],
  ['american', 'img/american.svg'],
  ['mexican', 'img/mexican.svg'],
  ['italian', 'img/italian.svg'],
  ['indian', 'img/indian.svg'],
  ['thai', 'img/thai.svg'],
  ['greek', 'img/greek.svg'],
  ['ethiopian', 'img/ethiopian.svg'],
  ['french', 'img/french.svg'],
]);
const ARTWORK = CUISINE_ART;
export const GENERIC_ART = 'img/generic.svg';

/** The illustrations are drawn at 4:3; these sizes reserve the space before they load. */
export const ART_WIDTH = 400;
export const ART_HEIGHT = 300;

export function artFor(cuisine: string): string {
  return ARTWORK.get(cuisine.trim().toLowerCase()) ?? GENERIC_ART;
}

/**
 * A background hue per restaurant, so cards of the same cuisine do not look alike. The golden
 * angle spreads neighbouring ids far apart on the colour wheel.
 */
export function artHue(id: number): number {
  return Math.round((Math.abs(id) * 137.508) % 360);
}

/** "Illustration of Emily, a Pizza restaurant in Brooklyn". */
export function artAlt({ name, cuisine_type, neighborhood }: Pick<Restaurant, 'name' | 'cuisine_type' | 'neighborhood'>): string {
  const cuisine = cuisine_type.trim();
  const kind = cuisine ? `${/^[aeiou]/i.test(cuisine) ? 'an' : 'a'} ${cuisine} restaurant` : 'a restaurant';
  const place = neighborhood.trim() ? ` in ${neighborhood.trim()}` : '';
  return `Illustration of ${name}, ${kind}${place}`;
}
