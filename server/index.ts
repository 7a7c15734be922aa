export { createServer, parseListen, type ServerOptions, type Readiness } from './create-server.js';
export { routePermissions, type RoutePermission } from './permissions.js';
export { auditHook, type AuditSink } from './audit-hook.js';
export { loadTlsMaterial, type TlsMaterial } from './tls.js';
export { makeSelfSignedCertificate, certificateFingerprint, type CertificatePair } from './self-signed.js';
