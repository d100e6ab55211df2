/** `ng serve`: the dev server proxies /restaurants and /reviews to the API (proxy.conf.json). */
export const environment = {
  production: false,
  apiBaseUrl: '',
  /** Leaflet tile template; an empty string shows the markers on a plain background, with a note. */
  mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  mapAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};
