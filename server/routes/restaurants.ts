/**
 * The classic stage-3 restaurant routes, plus our `updated_since` filter for delta sync.
 *
 * GET  /restaurants[/]       ?is_favorite=true|false &neighborhood= &cuisine_type= &limit= &skip=
 *                            &updated_since=<epoch ms | ISO 8601 with zone>
 * GET  /restaurants/{id}[/]
 * PUT  /restaurants/{id}[/]  ?is_favorite=true|false, or a body { "is_favorite": true | "true" }
 *                            &wished_at=<epoch ms>   (our client: the later wish wins)
 *
 * Trailing slashes are optional everywhere (Fastify's ignoreTrailingSlash).
 *
 * `updated_since` returns the restaurants whose updatedAt is strictly later than the given
 * instant. Write timestamps never repeat (storage/clock.ts), so a client that passes the newest
 * updatedAt it has seen gets exactly the changes it missed.
 */
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import type { preValidationAsyncHookHandler } from 'fastify';
import { absentBodyAsEmpty } from '../content-types.ts';
import { HttpError } from '../errors.ts';
import {
  errorResponses,
  favoriteBody,
  favoriteQuery,
  idParams,
  restaurantSchema,
  restaurantsQuery,
} from '../schemas.ts';
import type { ListCache } from '../list-cache.ts';
import type { Storage } from '../storage/storage.ts';
import { parseTimestamp } from '../timestamps.ts';
import { DELTA_HEADER } from '../../src/shared/api.ts';
import { FAVORITE_WISH_HEADER } from '../../src/shared/change-feed.ts';

export interface RouteOptions {
  storage: Storage;
  /** The rate limiter's hook, installed on every write route. */
  writeLimit: preValidationAsyncHookHandler;
  /** Cached list answers (list-cache.ts); absent: every list is serialized per request. */
  lists?: ListCache;
}

/** A plugin whose request and reply types come from its routes' JSON schemas (schemas.ts). */
export type RoutePlugin = FastifyPluginAsyncJsonSchemaToTs<{ Options: RouteOptions }>;

export const restaurantRoutes: RoutePlugin = async (
  app,
  { storage, writeLimit, lists },
) => {
  const { restaurants } = storage;

  app.get(
    '/restaurants',
    {
      // Cached answers are compressed once, by list-cache.ts; the rest by the plugin.
      compress: lists ? false : undefined,
      schema: {
        querystring: restaurantsQuery,
        response: { 200: { type: 'array', items: restaurantSchema }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const query = request.query;
      // Tells the client the filter was applied. A server that ignores (or misreads) the
      // parameter sends no such header, and the client falls back to the full list.
      if (query.updated_since !== undefined) reply.header(DELTA_HEADER, 'updated_since');
      const filter = {
        isFavorite: query.is_favorite === undefined ? undefined : query.is_favorite === 'true',
        neighborhood: query.neighborhood,
        cuisineType: query.cuisine_type,
        updatedSince:
          query.updated_since === undefined ? undefined : parseTimestamp(query.updated_since),
        limit: query.limit === undefined ? undefined : Number(query.limit),
        skip: query.skip === undefined ? undefined : Number(query.skip),
      };
      if (!lists) return restaurants.list(filter);
      // The variant is the parsed filter, so spellings of one filter share an entry.
      const variant = `restaurants ${JSON.stringify(filter)}`;
      return lists.send(request, reply, variant, async () => reply.serialize(await restaurants.list(filter)));
    },
  );

  app.get(
    '/restaurants/:id',
    { schema: { params: idParams, response: { 200: restaurantSchema, ...errorResponses } } },
    async (request) => {
      const id = Number(request.params.id);
      return (await restaurants.get(id)) ?? notFound(id);
    },
  );

  app.put(
    '/restaurants/:id',
    {
      preValidation: [absentBodyAsEmpty, writeLimit],
      schema: {
        params: idParams,
        querystring: favoriteQuery,
        // The classic client sends no body at all: absentBodyAsEmpty makes that an empty one.
        body: favoriteBody,
        response: { 200: restaurantSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      // The query string is where the classic client puts it, so it wins over the body.
      const wish = request.query.is_favorite ?? request.body.is_favorite;
      if (wish === undefined) {
        const message = 'is_favorite is required (in the query string or the body)';
        throw new HttpError(400, message, 'is_favorite');
      }
      const wishedAt = request.query.wished_at;
      const result = await restaurants.setFavorite(
        id,
        wish === true || wish === 'true',
        wishedAt === undefined ? undefined : Number(wishedAt),
      );
      if (result.outcome === 'not-found') return notFound(id);
      // Only for a client that sent the time: the classic answer stays exactly as it was. A
      // header, not a body field, keeps the classic body shape (CORS exposes it, see cors.ts).
      if (wishedAt !== undefined) reply.header(FAVORITE_WISH_HEADER, result.outcome);
      return result.restaurant;
    },
  );
};

function notFound(id: number): never {
  throw new HttpError(404, `Restaurant ${id} does not exist`);
}
