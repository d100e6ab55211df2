/** Production build. The API address is not here: it is read at run time (src/app/core/runtime-config.ts). */
export const environment = {
  production: true,
  /** Leaflet tile template; an empty string shows the markers on a plain background, with a note. */
  mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  mapAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};
