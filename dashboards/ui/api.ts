import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';

/**
 * Calls this server's own API as the caller: the same route, the same checks and the same
 * domain code as a client of the API gets, with the caller's cookie (and CSRF token) or token.
 * Pages therefore never do what the caller's role could not do through the API.
 */
export async function callApi(
  app: FastifyInstance,
  req: FastifyRequest,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
  csrf?: string,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { host: req.headers.host ?? 'localhost' };
  if (req.headers.cookie) headers.cookie = req.headers.cookie;
  if (req.headers.authorization) headers.authorization = req.headers.authorization;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return app.inject({
    method,
    url,
    headers,
    remoteAddress: req.ip,
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });
}

/** The error text of an API answer, for showing on the page. */
export function apiError(res: LightMyRequestResponse): string {
  try {
    const e = (res.json() as { error?: unknown }).error;
    return typeof e === 'string' ? e : `HTTP ${res.statusCode}`;
  } catch {
    return `HTTP ${res.statusCode}`;
  }
}
