import type { FastifyInstance } from 'fastify';
import { VigilError } from '../core/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The right a caller needs for this route, e.g. "alerts:write"; "public" for none. */
    permission?: string;
  }
}

/** One route and the permission it declares: the function matrix (S12) as data. */
export interface RoutePermission {
  method: string;
  url: string;
  permission: string;
}

/**
 * Collects every route's declared permission and refuses a route that declares none, so no
 * route can be added without saying who may call it.
 */
export function routePermissions(app: FastifyInstance): RoutePermission[] {
  const list: RoutePermission[] = [];
  app.addHook('onRoute', (route) => {
    const permission = (route.config as { permission?: string } | undefined)?.permission;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'HEAD')) return;
    if (!permission) {
      throw new VigilError(
        'APP_ROUTE',
        `route ${methods.join(',')} ${route.url} declares no permission (config.permission)`,
      );
    }
    for (const method of methods) if (method !== 'HEAD') list.push({ method, url: route.url, permission });
  });
  return list;
}
