import type { DivIcon, DivIconOptions } from 'leaflet';
import type { LeafletApi } from './leaflet';

/**
 * Markers are inline SVG in a `divIcon`: Leaflet's default PNG markers find their images through
 * CSS URLs that bundling breaks. The markup is a constant; names only ever go into attributes.
 */
const PIN_SVG =
  '<svg viewBox="0 0 30 40" width="30" height="40" aria-hidden="true" focusable="false">' +
  '<path class="map-pin-body" d="M15 39C15 39 2 23.6 2 14.5a13 13 0 0 1 26 0C28 23.6 15 39 15 39z"/>' +
  '<circle class="map-pin-dot" cx="15" cy="14.5" r="5.5"/></svg>';

export function pinIcon(L: LeafletApi, label: string): DivIcon {
  return labelled(L, label, {
    className: 'map-pin',
    html: PIN_SVG,
    iconSize: [30, 40],
    iconAnchor: [15, 39],
    popupAnchor: [0, -34],
  });
}

export function clusterIcon(L: LeafletApi, count: number): DivIcon {
  const size = count < 10 ? 36 : count < 100 ? 42 : 50;
  return labelled(L, `${count} restaurants, zoom in`, {
    className: 'map-cluster',
    html: `<span aria-hidden="true">${count}</span>`,
    iconSize: [size, size],
  });
}

/**
 * A `divIcon` whose element carries an accessible name. Leaflet then adds `role="button"` and
 * `tabindex="0"` to markers created with `keyboard: true`; a marker that does nothing stays an image.
 */
function labelled(L: LeafletApi, label: string, options: DivIconOptions): DivIcon {
  const icon = L.divIcon(options);
  const createIcon = icon.createIcon.bind(icon);
  icon.createIcon = (oldIcon?: HTMLElement) => {
    const element = createIcon(oldIcon);
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', label);
    return element;
  };
  return icon;
}
