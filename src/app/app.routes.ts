import type { Routes } from '@angular/router';

/**
 * Every page is its own chunk, the list too: the initial chunk is the framework and the shell,
 * and the restaurant page never loads the list's code. The router asks for the page's chunk as
 * it starts, beside the sync code app.config.ts starts loading.
 */
export const routes: Routes = [
  {
    path: '',
    loadComponent: () => import('./restaurants/restaurant-list').then((m) => m.RestaurantList),
    title: 'Restaurants · Restaurant Reviews',
  },
  {
    path: 'restaurant/:id',
    loadComponent: () => import('./restaurants/restaurant-page').then((m) => m.RestaurantPage),
    // The page sets the restaurant's name as the title once it knows it.
    title: 'Restaurant · Restaurant Reviews',
  },
  {
    path: '**',
    loadComponent: () => import('./core/not-found').then((m) => m.NotFound),
    title: 'Page not found · Restaurant Reviews',
  },
];
