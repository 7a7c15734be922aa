export { createServer, parseListen, type ServerOptions, type Readiness } from './create-server.js';
export { routePermissions, type RoutePermission } from './permissions.js';
