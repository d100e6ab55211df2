/** `ng serve`: the dev server proxies /app-config.json, /restaurants and /reviews to the API server (proxy.conf.json). */
export const environment = {
  production: false,
  /** Leaflet tile template; an empty string shows the markers on a plain background, with a note. */
  mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  mapAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};
