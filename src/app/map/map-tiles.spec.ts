import * as leafletModule from 'leaflet';
import type { LeafletApi } from './leaflet';
import { MapTiles } from './map-tiles';

// Leaflet is CommonJS: its `L` object is the namespace's default export when there is one.
const L = ((leafletModule as unknown as { default?: LeafletApi }).default ?? leafletModule) as LeafletApi;

/** A 1×1 GIF: a tile "server" that always answers, without a network. */
const WORKING_TILES = 'data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=';
/** Nothing listens on port 9 (discard): every tile fails at once. */
const BROKEN_TILES = 'http://127.0.0.1:9/{z}/{x}/{y}.png';

describe('MapTiles', () => {
  let container: HTMLElement;
  let map: ReturnType<typeof L.map>;
  let tileLayer: jasmine.Spy;

  beforeEach(() => {
    container = document.createElement('div');
    container.style.cssText = 'width:300px;height:200px';
    document.body.appendChild(container);
    map = L.map(container, { center: [40.72, -73.95], zoom: 11 });
    tileLayer = spyOn(L, 'tileLayer').and.callThrough();
    // Going offline resets the session-wide memory of a failure, so each test starts afresh.
    new MapTiles(L, map, BROKEN_TILES, '').update(false);
  });

  afterEach(() => {
    map.remove();
    container.remove();
  });

  const tileLayers = () => {
    let count = 0;
    map.eachLayer((layer) => (count += layer instanceof L.TileLayer ? 1 : 0));
    return count;
  };
  const settle = (tiles: MapTiles) =>
    new Promise<void>((resolve) => {
      const check = () => (tiles.state() === 'pending' ? setTimeout(check, 10) : resolve());
      check();
    });

  it('asks for nothing offline', () => {
    const tiles = new MapTiles(L, map, WORKING_TILES, '');
    tiles.update(false);
    expect(tiles.state()).toBe('offline');
    expect(tileLayer).not.toHaveBeenCalled();
    expect(tileLayers()).toBe(0);
  });

  it('is off when no tile URL is configured', () => {
    const tiles = new MapTiles(L, map, '', '');
    tiles.update(true);
    expect(tiles.state()).toBe('disabled');
    expect(tileLayer).not.toHaveBeenCalled();
  });

  it('adds the street map once a probe tile loads', async () => {
    const tiles = new MapTiles(L, map, WORKING_TILES, '© test');
    tiles.update(true);
    await settle(tiles);
    expect(tiles.state()).toBe('shown');
    expect(tileLayers()).toBe(1);
  });

  it('gives up after one failed probe, for this map and the next', async () => {
    const tiles = new MapTiles(L, map, BROKEN_TILES, '');
    tiles.update(true);
    await settle(tiles);
    expect(tiles.state()).toBe('failed');
    expect(tileLayer).not.toHaveBeenCalled();

    const next = new MapTiles(L, map, BROKEN_TILES, '');
    next.update(true);
    expect(next.state()).toBe('failed');
    expect(tileLayer).not.toHaveBeenCalled();
  });

  it('removes the street map when the device goes offline', async () => {
    const tiles = new MapTiles(L, map, WORKING_TILES, '');
    tiles.update(true);
    await settle(tiles);
    expect(tileLayers()).toBe(1);
    tiles.update(false);
    expect(tiles.state()).toBe('offline');
    expect(tileLayers()).toBe(0);
  });
});
