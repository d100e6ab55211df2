import type * as Leaflet from 'leaflet';

export type LeafletApi = typeof Leaflet;

let loading: Promise<LeafletApi> | undefined;

/**
 * Leaflet and its cluster plugin, fetched on first use only: neither is part of the first paint.
 * A failed load (offline before the chunk was cached) is forgotten, so a later map can try again.
 */
export function loadLeaflet(): Promise<LeafletApi> {
  loading ??= (async () => {
    const module = await import('leaflet');
    // Leaflet 1.9 is CommonJS: its namespace's default is the `L` object, which the cluster plugin
    // (a script written for a global `L`, which Leaflet also sets) extends in place.
    const L = ((module as unknown as { default?: LeafletApi }).default ?? module) as LeafletApi;
    await import('leaflet.markercluster');
    return L;
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
