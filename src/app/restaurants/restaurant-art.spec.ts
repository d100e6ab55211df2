import { CUISINE_ART, GENERIC_ART, artAlt, artFor, artHue } from './restaurant-art';

describe('restaurant art', () => {
  it('has an illustration per known cuisine, whatever the case', () => {
    expect(artFor('Asian')).toBe('img/asian.svg');
    expect(artFor('pizza')).toBe('img/pizza.svg');
    expect(artFor(' American ')).toBe('img/american.svg');
    expect(artFor('MEXICAN')).toBe('img/mexican.svg');
  });

  it('gives every cuisine of the classic and the large seed its own, distinct illustration', () => {
    const cuisines = ['Asian', 'Pizza', 'American', 'Mexican', 'Italian', 'Indian', 'Thai', 'Greek', 'Ethiopian', 'French'];
    const art = cuisines.map(artFor);
    expect(new Set(art).size).toBe(cuisines.length);
    expect(art).not.toContain(GENERIC_ART);
    expect(CUISINE_ART.size).toBe(cuisines.length);
  });

  it('falls back to the generic illustration', () => {
    expect(artFor('Korean fusion')).toBe('img/generic.svg');
    expect(artFor('')).toBe('img/generic.svg');
  });

  it('describes the picture with name, cuisine and neighborhood', () => {
    expect(artAlt({ name: 'Emily', cuisine_type: 'Pizza', neighborhood: 'Brooklyn' })).toBe(
      'Illustration of Emily, a Pizza restaurant in Brooklyn',
    );
    expect(artAlt({ name: "Katz's", cuisine_type: 'American', neighborhood: 'Manhattan' })).toBe(
      "Illustration of Katz's, an American restaurant in Manhattan",
    );
    expect(artAlt({ name: 'Nameless', cuisine_type: '', neighborhood: '' })).toBe('Illustration of Nameless, a restaurant');
  });

  it('gives neighbouring ids different hues within the colour wheel', () => {
    const hues = [1, 2, 3, 4, 5].map(artHue);
    expect(new Set(hues).size).toBe(5);
    for (const hue of hues) {
      expect(hue).toBeGreaterThanOrEqual(0);
      expect(hue).toBeLessThan(360);
    }
    expect(Math.abs(artHue(1) - artHue(2))).toBeGreaterThan(60);
  });
});
