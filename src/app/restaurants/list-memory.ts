import { Injectable, signal } from '@angular/core';
import type { Params } from '@angular/router';

/** Where the person was in the list: its query (filters, search, sort), how far it was shown and scrolled. */
export interface ListPlace {
  readonly query: Params;
  readonly limit: number;
  readonly scrollY: number;
}

/** Navigation state that asks the list to come back to where it was ("← All restaurants"). */
export const RETURN_TO_LIST = { returnToList: true } as const;

/**
 * The list's place, kept while the person looks at a restaurant, so that going back (Back, or the
 * "← All restaurants" link) shows the same filters, search and sort at the same scroll position.
 */
@Injectable({ providedIn: 'root' })
export class ListMemory {
  private place?: ListPlace;
  /** The list's query, for links back to it. */
  readonly query = signal<Params>({});

  remember(place: ListPlace): void {
    this.place = place;
    this.query.set(place.query);
  }

  /** The remembered place, once: a later, ordinary visit to the list starts at the top. */
  take(): ListPlace | undefined {
    const place = this.place;
    this.place = undefined;
    return place;
  }
}

/** Same filters, search and sort: the remembered scroll position belongs to this list. */
export function sameQuery(a: Params, b: Params): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (String(a[key] ?? '') !== String(b[key] ?? '')) return false;
  return true;
}
