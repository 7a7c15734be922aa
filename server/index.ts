export {
  createServer,
  parseListen,
  type ServerOptions,
  type ServerAuth,
  type Readiness,
} from './create-server.js';
export { routePermissions, type RoutePermission } from './permissions.js';
export {
  serverConfigSections,
  authConfigFrom,
  argon2From,
  customRolesFrom,
  type AuthConfig,
} from './config.js';
export { rbacMatrix, formatMatrix, type MatrixRow } from './rbac-matrix.js';
export * from './auth/index.js';
export { auditHook, type AuditSink } from './audit-hook.js';
export { loadTlsMaterial, type TlsMaterial } from './tls.js';
export { makeSelfSignedCertificate, certificateFingerprint, type CertificatePair } from './self-signed.js';
