import type { Routes } from '@angular/router';
import { RestaurantList } from './restaurants/restaurant-list';

export const routes: Routes = [
  // The list is the first paint of most visits, so it is eager; the rest loads on demand.
  { path: '', component: RestaurantList, title: 'Restaurants · Restaurant Reviews' },
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
