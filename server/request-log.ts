/**
 * One log line per request, written when the response is finished, instead of Fastify's two
 * ("incoming request" + "request completed"): half the logging cost on the hot path.
 * Edit tokens may travel in the query string, so they are masked before the URL is logged.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  /** The completion line already says 404. */
  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: redactSecrets(request.url),
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else request.log.info(line, 'request');
  }
}

export function redactSecrets(url: string): string {
  if (!url.includes('edit_token=')) return url;
  return url.replace(/edit_token=[^&#]*/g, 'edit_token=[redacted]');
}
