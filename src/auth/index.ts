export { PERMISSIONS, ROLES, ROLE_PERMISSIONS, permissionsOf, isRole, isPermission, type Permission, type Role } from './permissions.ts';
export { type Principal } from './principal.ts';
export { type AuthEvents } from './auth-events.ts';
export { hashPassword, verifyPassword, DEFAULT_ARGON2, type Argon2Params } from './password.ts';
export { LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
export { totpCode } from './totp.ts';
export { Directory, MIN_PASSWORD_LENGTH, type User, type Team, type NewUser, type UserChanges, type Actor } from './directory.sql.ts';
export { Authenticator, API_TOKEN_PREFIX, type ApiTokenView, type LoginInput } from './authenticator.sql.ts';
export { type AuthTables } from './auth-tables.ts';
