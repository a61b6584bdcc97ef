import type { Permission, Role } from './permissions.ts';

/** Who is making a request: a logged-in user (session) or an integration (API token). */
export interface Principal {
  kind: 'session' | 'token';
  tenantId: string;
  /** The user, or for a token the user who created it. */
  userId: string;
  name: string;
  roles: Role[];
  permissions: Permission[];
  /** Session id (hash of the cookie token) or API token id. */
  credentialId: string;
}
