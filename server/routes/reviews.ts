/**
 * The classic stage-3 review routes, with validation and our two write-path extensions.
 *
 * GET    /reviews[/]         ?restaurant_id= &limit= &skip=
 * GET    /reviews/{id}[/]
 * POST   /reviews[/]         { restaurant_id, name, rating, comments, client_id? }
 *                               → 201 + edit_token, or 200 when client_id was already stored
 * PUT    /reviews/{id}[/]    { name?, rating?, comments?, edit_token }   (or ?edit_token=)
 * DELETE /reviews/{id}[/]    ?edit_token=                                (or in the body)
 *
 * Idempotent creation: a client that re-sends a POST (it never saw the answer) with the same
 * client_id gets the review stored the first time, with status 200, and nothing new is written.
 *
 * Edit tokens: the 201 answer carries `edit_token`; changing or deleting the review requires it.
 * The token travels in the body or the query string, never in a header, because the classic
 * CORS policy allows no custom request headers. A replayed POST (200) does NOT carry the token:
 * client_id is public (every GET shows it, and the app's outbox relies on that), so anyone could
 * replay somebody else's client_id and would receive the token to delete their review.
 */
import type { FastifyRequest } from 'fastify';
import { absentBodyAsEmpty } from '../content-types.ts';
import { HttpError } from '../errors.ts';
import {
  createdReviewSchema,
  editTokenBody,
  editTokenQuery,
  errorResponses,
  idParams,
  newReviewBody,
  reviewSchema,
  reviewUpdateBody,
  reviewsQuery,
} from '../schemas.ts';
import type { ChangeResult } from '../storage/review-store.ts';
import type { Storage } from '../storage/storage.ts';
import type { RoutePlugin } from './restaurants.ts';

export const FORBIDDEN_MESSAGE = 'A valid edit_token is required to change this review';

export const reviewRoutes: RoutePlugin = async (
  app,
  { storage, writeLimit, lists },
) => {
  const { reviews } = storage;

  app.get(
    '/reviews',
    {
      // Cached answers are compressed once, by list-cache.ts.
      compress: lists ? false : undefined,
      schema: {
        querystring: reviewsQuery,
        response: { 200: { type: 'array', items: reviewSchema }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { restaurant_id, limit, skip } = request.query;
      const page = {
        limit: limit === undefined ? undefined : Number(limit),
        skip: skip === undefined ? undefined : Number(skip),
      };
      const restaurantId = restaurant_id === undefined ? undefined : Number(restaurant_id);
      // An unknown restaurant_id gives [], as on the classic server: it is a filter, not a lookup.
      const list = () =>
        restaurantId === undefined ? reviews.list(page) : reviews.listForRestaurant(restaurantId, page);
      if (!lists) return list();
      const variant = `reviews ${JSON.stringify({ restaurantId, ...page })}`;
      return lists.send(request, reply, variant, async () => reply.serialize(await list()));
    },
  );

  app.get(
    '/reviews/:id',
    { schema: { params: idParams, response: { 200: reviewSchema, ...errorResponses } } },
    async (request) => {
      const id = Number(request.params.id);
      return (await reviews.get(id)) ?? reviewNotFound(id);
    },
  );

  app.post(
    '/reviews',
    {
      preValidation: [writeLimit],
      schema: {
        body: newReviewBody,
        response: { 200: createdReviewSchema, 201: createdReviewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const restaurantId = Number(body.restaurant_id);
      const result = await reviews.create({
        restaurant_id: restaurantId,
        name: body.name.trim(),
        rating: Number(body.rating),
        comments: body.comments.trim(),
        client_id: body.client_id,
      });
      switch (result.outcome) {
        case 'created':
          reply.code(201);
          return { ...result.review, edit_token: result.editToken };
        case 'replayed':
          reply.code(200);
          return result.review;
        case 'unknown-restaurant':
          throw new HttpError(400, `Restaurant ${restaurantId} does not exist`, 'restaurant_id');
      }
    },
  );

  app.put(
    '/reviews/:id',
    {
      preValidation: [absentBodyAsEmpty, writeLimit],
      schema: {
        params: idParams,
        querystring: editTokenQuery,
        body: reviewUpdateBody,
        response: { 200: reviewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      const { edit_token, name, rating, comments } = request.body;
      const result = await reviews.change(id, edit_token ?? request.query.edit_token, {
        name: name?.trim(),
        rating: rating === undefined ? undefined : Number(rating),
        comments: comments?.trim(),
      });
      return changed(id, result);
    },
  );

  app.delete(
    '/reviews/:id',
    {
      preValidation: [absentBodyAsEmpty, writeLimit],
      schema: {
        params: idParams,
        querystring: editTokenQuery,
        body: editTokenBody,
        response: { 200: reviewSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = Number(request.params.id);
      const editToken = request.body.edit_token ?? request.query.edit_token;
      return changed(id, await reviews.delete(id, editToken));
    },
  );
};

/** Used by the rate limiter: is this a POST of a review the server already holds? */
export function isReviewReplay(storage: Storage) {
  return async (request: FastifyRequest): Promise<boolean> => {
    if (request.method !== 'POST') return false;
    // Runs before validation, so the body may be anything.
    const body = request.body as { client_id?: unknown } | null | undefined;
    const clientId = body?.client_id;
    if (typeof clientId !== 'string' || clientId.length > 64) return false;
    return storage.reviews.hasClientId(clientId);
  };
}

function changed(id: number, result: ChangeResult) {
  switch (result.outcome) {
    case 'done':
      return result.review;
    case 'not-found':
      return reviewNotFound(id);
    case 'forbidden':
      throw new HttpError(403, FORBIDDEN_MESSAGE);
  }
}

function reviewNotFound(id: number): never {
  throw new HttpError(404, `Review ${id} does not exist`);
}
