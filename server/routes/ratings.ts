/**
 * GET /ratings[/]   ?restaurant_id=
 *   → [{ "restaurant_id": 3, "average": 4.33, "count": 3 }, …]
 *
 * Our extension: the average rating and number of reviews of every restaurant that has reviews
 * (a restaurant without any is absent), or of one. It is a route of its own, not extra fields on
 * `GET /restaurants`, so the classic list keeps exactly the shape classic clients know.
 */
import type { FastifyPluginAsync } from 'fastify';
import { type RatingsQuery, errorResponses, ratingSummarySchema, ratingsQuery } from '../schemas.ts';
import type { RouteOptions } from './restaurants.ts';

export const ratingRoutes: FastifyPluginAsync<Pick<RouteOptions, 'storage'>> = async (app, { storage }) => {
  app.get<{ Querystring: RatingsQuery }>(
    '/ratings',
    {
      schema: {
        querystring: ratingsQuery,
        response: { 200: { type: 'array', items: ratingSummarySchema }, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.query.restaurant_id;
      return storage.ratings.list(id === undefined ? undefined : Number(id));
    },
  );
};
