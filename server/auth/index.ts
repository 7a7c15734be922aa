export { AuthService, type AuthServiceOptions, type AccessReviewRow } from './service.js';
export { BUILTIN_ROLES, RoleRegistry, hasPermission, permissionCovers, type RoleDef } from './roles.js';
export { mayCall, rolePrincipal, PUBLIC, AUTHENTICATED, ENROL, OWN_PASSWORD } from './access.js';
export {
  installAuthHook,
  hostName,
  SESSION_COOKIE,
  CSRF_HEADER,
  CSRF_FIELD,
  type AuthHookOptions,
} from './hook.js';
export { sessionRoutes, type SessionRoutesOptions } from './session-routes.js';
export {
  passwordProblem,
  hashPassword,
  verifyPassword,
  needsRehash,
  DEFAULT_ARGON2,
  MIN_PASSWORD_LENGTH,
  type Argon2Params,
} from './passwords.js';
export { DEFAULT_GRANT_MS, oneTimePassword, type Grant, type UserSummary } from './accounts.js';
export { TOKEN_PREFIX, type TokenSummary } from './tokens.js';
export { spendTotp, spendRecoveryCode, enrolment, newRecoveryCodes, type Enrolment } from './totp.js';
export { signIn, userPrincipal, type LockoutPolicy } from './sign-in.js';
export type { AuthDb, AuthTables } from './db.js';
