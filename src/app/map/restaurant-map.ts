import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  ViewEncapsulation,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import type { LatLngTuple, LeafletKeyboardEvent, Map as LeafletMap, Marker, MarkerClusterGroup, Popup } from 'leaflet';
import { environment } from '../../environments/environment';
import { Connectivity } from '../sync/connectivity';
import { type LeafletApi, loadLeaflet } from './leaflet';
import { clusterIcon, pinIcon } from './map-icons';
import { type MapPlace, hasPosition } from './map-place';
import { MapTiles } from './map-tiles';

const NEW_YORK: LatLngTuple = [40.722216, -73.95];
interface MapView {
  readonly L: LeafletApi;
  readonly map: LeafletMap;
  readonly markers: MarkerClusterGroup;
  readonly tiles: MapTiles;
}

/**
 * A Leaflet map of restaurants. Use it inside `@defer`: Leaflet, the cluster plugin and this CSS
 * then load after the first paint.
 *
 * Accessibility: markers are buttons named after their restaurant (Enter opens a popup whose link
 * gets focus; Escape closes it and returns focus to the marker), clusters are buttons that zoom
 * in. The page always lists the same restaurants as plain links, so nobody needs the map.
 *
 * Tiles are optional (see MapTiles): without them the markers stay, on a plain background, with
 * a note saying why.
 */
@Component({
  selector: 'app-restaurant-map',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Leaflet's CSS styles elements Leaflet creates, so it cannot be scoped to this template.
  encapsulation: ViewEncapsulation.None,
  styleUrls: ['../../../node_modules/leaflet/dist/leaflet.css', './restaurant-map.css'],
  host: { class: 'restaurant-map' },
  template: `
    <div #canvas class="map-canvas" role="region" [attr.aria-label]="label()"></div>
    @if (broken()) {
      <p class="map-note">The map could not be loaded. Every restaurant on it is also in the list.</p>
    } @else {
      @switch (tileState()) {
        @case ('offline') {
          <p class="map-note">
            <strong>Map unavailable offline</strong>. Restaurant locations are shown without the street map.
          </p>
        }
        @case ('failed') {
          <p class="map-note">Map tiles could not be loaded — restaurant locations are shown without the street map.</p>
        }
        @case ('disabled') {
          <p class="map-note">The street map is turned off — restaurant locations are shown without it.</p>
        }
      }
    }
  `,
})
export class RestaurantMap {
  readonly places = input.required<readonly MapPlace[]>();
  /** The map region's accessible name. */
  readonly label = input('Map');
  /** Markers open a popup with a link. Off on a restaurant's own page, where the marker is the page. */
  readonly linked = input(true);
  /** Closest zoom when fitting the markers. */
  readonly maxZoom = input(15);

  private readonly router = inject(Router);
  private readonly connectivity = inject(Connectivity);
  private readonly canvas = viewChild.required<ElementRef<HTMLElement>>('canvas');

  private readonly view = signal<MapView | undefined>(undefined);
  protected readonly tileState = computed(() => this.view()?.tiles.state() ?? 'pending');
  protected readonly broken = signal(false);

  private readonly placeOf = new WeakMap<Marker, MapPlace>();
  private popupMarker?: Marker;
  private destroyed = false;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

  constructor() {
    afterNextRender(() => void this.start());
    effect((onCleanup) => {
      const view = this.view();
      const places = this.places();
      const linked = this.linked();
      if (!view) return;
      // After the next paint: a filter change shows its list and count first, the map follows.
      const task = afterPaint(() => this.drawMarkers(view, places, linked));
      onCleanup(() => task.cancel());
    });
    effect(() => {
      const view = this.view();
      const online = this.connectivity.online();
      if (view) untracked(() => view.tiles.update(online));
    });
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.view()?.tiles.dispose();
      this.view()?.map.remove();
    });
  }

  private async start(): Promise<void> {
    let L: LeafletApi;
    try {
      L = await loadLeaflet();
    } catch {
      this.broken.set(true);
      return;
    }
    if (this.destroyed) return;
    const animate = !this.reducedMotion;
    const map = L.map(this.canvas().nativeElement, {
      center: NEW_YORK,
      zoom: 11,
      // Clustering needs the zoom range even when there is no tile layer to define it.
      minZoom: 3,
      maxZoom: 19,
      // The page scrolls under the wheel; zoom is on the buttons, the keyboard, double-click and pinch.
      scrollWheelZoom: false,
      zoomAnimation: animate,
      fadeAnimation: animate,
      markerZoomAnimation: animate,
    });
    map.attributionControl.setPrefix(false);
    const markers = L.markerClusterGroup({
      maxClusterRadius: 40,
      disableClusteringAtZoom: 16,
      showCoverageOnHover: false,
      // Thousands of markers are added in slices short enough to keep the page responsive.
      chunkedLoading: true,
      chunkInterval: 40,
      chunkDelay: 16,
      animate,
      iconCreateFunction: (cluster) => clusterIcon(L, cluster.getChildCount()),
    });
    map.addLayer(markers);
    // One popup and one set of listeners for all markers: thousands of markers cost no listeners.
    const popup = L.popup({ offset: [0, -34], autoPanPadding: [24, 24] });
    const open = (marker: Marker) => {
      const place = this.placeOf.get(marker);
      if (!place) return;
      this.popupMarker = marker;
      popup.setLatLng(marker.getLatLng()).setContent(this.popupFor(place)).openOn(map);
    };
    markers.on('click', (event) => open(event.layer as Marker));
    markers.on('keypress', (event) => {
      if ((event as LeafletKeyboardEvent).originalEvent.key === 'Enter') open(event.layer as Marker);
    });
    // The link gets focus, so a keyboard user lands in the popup; Escape and × bring them back.
    map.on('popupopen', () => popup.getElement()?.querySelector('a')?.focus({ preventScroll: true }));
    map.on('popupclose', () => returnFocus(this.popupMarker, popup));
    // Leaflet only listens for keys while the map itself has focus; a popup's link needs Escape too.
    map.getContainer().addEventListener('keydown', (event) => {
      if (event.key === 'Escape') map.closePopup();
    });
    const tiles = new MapTiles(L, map, environment.mapTileUrl, environment.mapAttribution);
    this.view.set({ L, map, markers, tiles });
  }

  private drawMarkers({ L, map, markers }: MapView, places: readonly MapPlace[], linked: boolean): void {
    const located = places.filter(hasPosition);
    map.closePopup();
    markers.clearLayers();
    markers.addLayers(located.map((place) => this.markerFor(L, place, linked)));
    const points = located.map((place): LatLngTuple => [place.latlng.lat, place.latlng.lng]);
    if (points.length === 1) map.setView(points[0], this.maxZoom());
    else if (points.length > 1) {
      // Room for a pin's height above its point, and for the note that may sit along the bottom.
      map.fitBounds(L.latLngBounds(points), {
        paddingTopLeft: [32, 48],
        paddingBottomRight: [32, 56],
        maxZoom: this.maxZoom(),
      });
    }
  }

  private markerFor(L: LeafletApi, place: MapPlace, linked: boolean): Marker {
    const marker = L.marker([place.latlng.lat, place.latlng.lng], {
      icon: pinIcon(L, place.name),
      keyboard: linked,
      interactive: linked,
      title: linked ? place.name : '',
    });
    this.placeOf.set(marker, place);
    return marker;
  }

  /** Built from DOM nodes and `textContent`: a restaurant's name is never parsed as HTML. */
  private popupFor(place: MapPlace): HTMLElement {
    const url = this.router.createUrlTree(['/restaurant', place.id]);
    const link = document.createElement('a');
    link.className = 'map-popup-link';
    link.href = this.router.serializeUrl(url);
    link.textContent = place.name;
    link.addEventListener('click', (event) => {
      // New tab and the like stay the browser's; a plain click is an in-app navigation.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      void this.router.navigateByUrl(url);
    });
    const meta = document.createElement('span');
    meta.className = 'map-popup-meta';
    meta.textContent = [place.cuisine_type, place.neighborhood].filter(Boolean).join(' · ');
    const box = document.createElement('div');
    box.className = 'map-popup';
    box.append(link, meta);
    return box;
  }
}

function afterPaint(run: () => void): { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(run)));
  return {
    cancel: () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    },
  };
}

/** When a popup closes under the keyboard (Escape, its close button), focus goes back to its marker. */
function returnFocus(marker: Marker | undefined, popup: Popup): void {
  const active = document.activeElement;
  if (active === document.body || popup.getElement()?.contains(active)) {
    marker?.getElement()?.focus({ preventScroll: true });
  }
}
