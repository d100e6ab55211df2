/**
 * `GET /app-config.json`: the runtime settings the app needs before it can talk to its API.
 *
 * A document of its own, so that nothing the build produced is rewritten at serve time (ngsw
 * checks every file in ngsw.json by hash) and one build runs against any API. `no-cache`: the
 * browser (and ngsw's data group, see ngsw-config.json) asks the server every time it can.
 */
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG_PATH, type AppConfig } from '../src/shared/app-config.ts';

export function registerAppConfig(app: FastifyInstance, config: AppConfig): void {
  const body = JSON.stringify(config);
  app.get(APP_CONFIG_PATH, (_request, reply) => {
    reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(body);
  });
}
