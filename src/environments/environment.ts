/** Production build. An empty `apiBaseUrl` means the API is on the app's own origin. */
export const environment = {
  production: true,
  apiBaseUrl: '',
  /** Leaflet tile template; an empty string shows the markers on a plain background, with a note. */
  mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  mapAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};
