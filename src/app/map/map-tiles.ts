import { signal } from '@angular/core';
import type { Map as LeafletMap, TileLayer } from 'leaflet';
import type { LeafletApi } from './leaflet';

/**
 * - `pending`: tiles are being tried; `shown`: the street map is there.
 * - `offline`, `failed`, `disabled`: markers on a plain background, with a note saying why.
 */
export type TileState = 'pending' | 'shown' | 'offline' | 'failed' | 'disabled';

/**
 * The page itself sends no referrer, but OpenStreetMap's tile policy requires one: the origin
 * (never the path) goes with tile requests only.
 */
const TILE_REFERRER_POLICY = 'strict-origin-when-cross-origin';

/**
 * Shared by every map of this page session: once tiles proved unreachable, later maps do not ask
 * again (each try is one more console error). Going offline and back is a reason to try again.
 */
let tilesUnreachable = false;

/**
 * The street map under the markers. It is optional and never a source of error spam: offline,
 * nothing is requested; online, one probe tile decides; after a failure, nothing more is asked.
 */
export class MapTiles {
  private readonly current = signal<TileState>('pending');
  readonly state = this.current.asReadonly();

  private layer?: TileLayer;
  private probe?: HTMLImageElement;

  constructor(
    private readonly L: LeafletApi,
    private readonly map: LeafletMap,
    /** Leaflet URL template; empty turns the street map off. */
    private readonly url: string,
    private readonly attribution: string,
  ) {}

  /** Call on every connectivity change. */
  update(online: boolean): void {
    if (!this.url) {
      this.current.set('disabled');
      return;
    }
    if (!online) {
      this.stopProbe();
      this.removeLayer();
      this.current.set('offline');
      tilesUnreachable = false;
      return;
    }
    if (tilesUnreachable) {
      this.current.set('failed');
      return;
    }
    if (this.layer || this.probe) return;
    this.current.set('pending');
    this.probeTile();
  }

  dispose(): void {
    this.stopProbe();
    this.removeLayer();
  }

  /**
   * Asks for the one tile under the map's centre before adding the layer: when tiles are out of
   * reach that costs a single failed request, where the layer would fire a dozen at once.
   */
  private probeTile(): void {
    const zoom = Math.round(this.map.getZoom());
    const tile = this.map.project(this.map.getCenter(), zoom).divideBy(256).floor();
    const probe = new Image();
    probe.referrerPolicy = TILE_REFERRER_POLICY;
    probe.onload = () => {
      this.probe = undefined;
      this.addLayer();
    };
    probe.onerror = () => {
      this.probe = undefined;
      this.fail();
    };
    this.probe = probe;
    probe.src = this.L.Util.template(this.url, { x: tile.x, y: tile.y, z: zoom, s: 'a', r: '' });
  }

  private addLayer(): void {
    const layer = this.L.tileLayer(this.url, {
      attribution: this.attribution,
      maxZoom: 19,
      referrerPolicy: TILE_REFERRER_POLICY,
    });
    layer.once('tileerror', () => this.fail());
    this.layer = layer.addTo(this.map);
    this.current.set('shown');
  }

  private fail(): void {
    tilesUnreachable = true;
    this.removeLayer();
    this.current.set('failed');
  }

  private removeLayer(): void {
    if (this.layer) this.map.removeLayer(this.layer);
    this.layer = undefined;
  }

  private stopProbe(): void {
    if (!this.probe) return;
    this.probe.onload = this.probe.onerror = null;
    this.probe.src = '';
    this.probe = undefined;
  }
}
