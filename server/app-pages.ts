/**
 * Which navigations lead to a page that exists, so a deep link to a restaurant that does not
 * exist (or to no page at all) gets index.html with a real 404 status: search engines, link
 * checkers and monitoring see the truth, while the app still loads and shows its not-found page.
 * It mirrors the app's routes (src/app/app.routes.ts): `/` and `/restaurant/:id`.
 */
import type { Storage } from './storage/storage.ts';

const RESTAURANT_PAGE = /^\/restaurant\/(\d{1,15})\/?$/;

export function appPageExists(storage: Pick<Storage, 'restaurants'>): (path: string) => Promise<boolean> {
  return async (rawPath) => {
    // "//restaurant/3" and "/./restaurant//3" are spellings of the same page (static.ts serves them).
    const path = rawPath.replace(/\/\.(?=\/|$)/g, '').replace(/\/{2,}/g, '/');
    if (path === '/' || path === '') return true;
    const match = RESTAURANT_PAGE.exec(path);
    return match !== null && (await storage.restaurants.exists(Number(match[1])));
  };
}
