import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * The answer to a request that failed. A client error fastify detected itself (bad JSON, a body
 * over the route's limit: 413, a schema violation) keeps its status and fastify's message, which
 * names the problem and holds no server detail. Anything else is a 500 that says only an error
 * id: the detail (a SQL message, a stack) goes to the log under that id, never to the client.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: err.code ?? 'bad_request', message: err.message });
    }
    const id = randomUUID();
    req.log.error({ errorId: id, err, route: req.routeOptions.url, method: req.method }, 'request failed');
    return reply
      .code(500)
      .send({ error: 'internal', message: `internal error; see the server log for error id ${id}`, id });
  });
}
