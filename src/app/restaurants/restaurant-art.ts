import type { Restaurant } from '../../shared/api';

/** Cuisines with their own illustration in `public/img/`; any other cuisine gets the generic one. */
const ARTWORK = new Map([
  ['asian', 'img/asian.svg'],
  ['pizza', 'img/pizza.svg'],
  ['american', 'img/american.svg'],
  ['mexican', 'img/mexican.svg'],
]);
const GENERIC_ART = 'img/generic.svg';

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
