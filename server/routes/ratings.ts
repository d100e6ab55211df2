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

export const ratingRoutes: FastifyPluginAsync<Pick<RouteOptions, 'storage' | 'lists'>> = async (app, { storage, lists }) => {
  app.get<{ Querystring: RatingsQuery }>(
    '/ratings',
    {
      // Cached answers are compressed once, by list-cache.ts; the rest by the plugin.
      compress: lists ? false : undefined,
      schema: {
        querystring: ratingsQuery,
        response: { 200: { type: 'array', items: ratingSummarySchema }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const raw = request.query.restaurant_id;
      const id = raw === undefined ? undefined : Number(raw);
      if (!lists) return storage.ratings.list(id);
      // Every restaurant's figures are one aggregate over all reviews (150 ms at 100,000 reviews
      // on SQLite, blocking the event loop): made once per data change, like the lists.
      return lists.send(request, reply, `ratings ${id ?? 'all'}`, async () => reply.serialize(await storage.ratings.list(id)));
    },
  );
};
