// Login, sessions, API tokens and two-factor setup. Session cookies and API tokens are random
// secrets shown once; only their SHA-256 is stored, so a database leak reveals no usable credential.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, newId, randomToken, type Clock, type EventPublisher } from '../kernel/index.ts';
import { TenantScope, type TenantStore } from '../tenancy/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { AuthTables } from './auth-tables.ts';
import type { AuthEvents } from './auth-events.ts';
import { hashPassword, verifyPassword, DEFAULT_ARGON2, type Argon2Params } from './password.ts';
import { isPermission, isRole, permissionsOf, type Permission } from './permissions.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';
import type { Principal } from './principal.ts';
import type { Actor } from './directory.sql.ts';

export const API_TOKEN_PREFIX = 'sbt_';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface LoginInput {
  tenant: string;
  username: string;
  password: string;
  totp?: string | undefined;
  ip: string;
}

export interface ApiTokenView {
  id: string;
  name: string;
  permissions: Permission[];
  createdAt: string;
  lastUsedAt: string | null;
  createdBy: string;
}

export interface AuthenticatorDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  bus: EventPublisher<AuthEvents>;
  tenants: TenantStore;
  throttle: LoginThrottle;
  sessionTtlMs: number;
  argon2?: Argon2Params;
}

const invalidCredentials = (): DomainError => new DomainError('SB_AUTH_INVALID_CREDENTIALS', 401, 'wrong workspace, username or password');

export class Authenticator {
  readonly #db: Kysely<AuthTables>;
  readonly #d: AuthenticatorDeps;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: AuthenticatorDeps) {
    this.#d = deps;
    this.#db = tables<AuthTables>(deps.db);
  }

  #iso(ms = this.#d.clock.now()): string {
    return new Date(ms).toISOString();
  }

  /** A hash to verify against when the account does not exist, so both cases cost the same time. */
  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomToken(16), this.#d.argon2 ?? DEFAULT_ARGON2);
    return this.#dummyHash;
  }

  /** Returns the new session's secret token and its principal. */
  async login(input: LoginInput): Promise<{ token: string; principal: Principal }> {
    const account = `${input.tenant.toLowerCase()}\u0000${input.username.toLowerCase()}`;
    const retry = this.#d.throttle.retryAfterSeconds(account, input.ip);
    const tenant = await this.#d.tenants.bySlug(input.tenant.toLowerCase());
    const tenantId = tenant?.id ?? null;
    if (retry > 0) {
      await this.#d.audit.append({ tenantId, action: 'auth.login_throttled', ip: input.ip, details: { username: input.username } });
      throw new DomainError('SB_AUTH_THROTTLED', 429, `too many failed logins; try again in ${retry} s`, { retryAfterSeconds: retry });
    }
    const user = tenant
      ? await new TenantScope(this.#db, tenant.id).selectFrom('auth_user').selectAll().where('username', '=', input.username.toLowerCase()).executeTakeFirst()
      : undefined;
    const passwordOk = await verifyPassword(input.password, user?.password_hash ?? await this.#dummy());
    const fail = async (reason: string, err: DomainError): Promise<never> => {
      this.#d.throttle.recordFailure(account, input.ip);
      await this.#d.audit.append({
        tenantId, action: 'auth.login_failed', ip: input.ip, actorId: user?.id ?? null,
        details: { username: input.username, reason },
      });
      throw err;
    };
    if (!tenant || !user) return fail('unknown-account', invalidCredentials());
    if (!passwordOk) return fail('wrong-password', invalidCredentials());
    if (Number(user.disabled) === 1) return fail('disabled', invalidCredentials());
    if (Number(user.totp_enabled) === 1 && user.totp_secret) {
      if (!input.totp) throw new DomainError('SB_AUTH_TOTP_REQUIRED', 401, 'enter the code from your authenticator app');
      const step = matchTotp(user.totp_secret, input.totp, this.#d.clock.now());
      if (step === undefined || (user.totp_last_step !== null && step <= Number(user.totp_last_step))) {
        return fail('wrong-totp', new DomainError('SB_AUTH_TOTP_INVALID', 401, 'the two-factor code is not valid'));
      }
      await new TenantScope(this.#db, tenant.id).updateTable('auth_user').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    }
    this.#d.throttle.recordSuccess(account);
    const token = randomToken(32);
    const sessionId = sha256(token);
    const now = this.#d.clock.now();
    await new TenantScope(this.#db, tenant.id).insertInto('auth_session', {
      id: sessionId, user_id: user.id, created_at: this.#iso(now), expires_at: this.#iso(now + this.#d.sessionTtlMs), ip: input.ip,
    }).execute();
    const roles = (JSON.parse(user.roles) as unknown[]).filter(isRole);
    const principal: Principal = {
      kind: 'session', tenantId: tenant.id, userId: user.id, name: user.username, roles, permissions: permissionsOf(roles), credentialId: sessionId,
    };
    await this.#d.audit.append({ tenantId: tenant.id, action: 'auth.login', actorId: user.id, actorName: user.username, ip: input.ip, targetType: 'session', targetId: sessionId.slice(0, 12) });
    return { token, principal };
  }

  /** Resolves a session cookie; expired sessions are deleted and answer undefined. */
  async session(token: string): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined;
    const id = sha256(token);
    const s = await this.#db.selectFrom('auth_session').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) return undefined;
    if (s.expires_at <= this.#iso()) {
      await this.#endSession(s.tenant_id, s.user_id, s.id);
      return undefined;
    }
    const user = await new TenantScope(this.#db, s.tenant_id).selectFrom('auth_user').selectAll().where('id', '=', s.user_id).executeTakeFirst();
    if (!user || Number(user.disabled) === 1) return undefined;
    const roles = (JSON.parse(user.roles) as unknown[]).filter(isRole);
    return { kind: 'session', tenantId: s.tenant_id, userId: user.id, name: user.username, roles, permissions: permissionsOf(roles), credentialId: s.id };
  }

  async logout(principal: Principal, ip: string): Promise<void> {
    if (principal.kind !== 'session') return;
    await this.#endSession(principal.tenantId, principal.userId, principal.credentialId);
    await this.#d.audit.append({ tenantId: principal.tenantId, action: 'auth.logout', actorId: principal.userId, actorName: principal.name, ip });
  }

  async #endSession(tenantId: string, userId: string, sessionId: string): Promise<void> {
    await new TenantScope(this.#db, tenantId).deleteFrom('auth_session').where('id', '=', sessionId).execute();
    this.#d.bus.publish('SessionEnded', { tenantId, userId, sessionId });
  }

  /** Resolves `Authorization: Bearer sbt_...`; the token's permissions are capped by its creator's current ones. */
  async apiToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return undefined;
    const t = await this.#db.selectFrom('auth_api_token').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
    if (!t || t.revoked_at) return undefined;
    const scope = new TenantScope(this.#db, t.tenant_id);
    const creator = await scope.selectFrom('auth_user').selectAll().where('id', '=', t.created_by).executeTakeFirst();
    if (!creator || Number(creator.disabled) === 1) return undefined;
    const creatorPerms = new Set(permissionsOf((JSON.parse(creator.roles) as unknown[]).filter(isRole)));
    const permissions = (JSON.parse(t.permissions) as unknown[]).filter(isPermission).filter((p) => creatorPerms.has(p));
    await scope.updateTable('auth_api_token').set({ last_used_at: this.#iso() }).where('id', '=', t.id).execute();
    return { kind: 'token', tenantId: t.tenant_id, userId: creator.id, name: `token:${t.name}`, roles: [], permissions, credentialId: t.id };
  }

  async listTokens(tenantId: string): Promise<ApiTokenView[]> {
    const rows = await new TenantScope(this.#db, tenantId).selectFrom('auth_api_token').selectAll()
      .where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({
      id: r.id, name: r.name, permissions: (JSON.parse(r.permissions) as unknown[]).filter(isPermission),
      createdAt: r.created_at, lastUsedAt: r.last_used_at, createdBy: r.created_by,
    }));
  }

  /** Creates a token limited to permissions its creator holds; the secret is returned once. */
  async createToken(actor: Actor, input: { name: string; permissions: Permission[] }): Promise<ApiTokenView & { token: string }> {
    const held = new Set(actor.principal.permissions);
    const excess = input.permissions.find((p) => !held.has(p));
    if (excess) throw new DomainError('SB_VALIDATION', 400, `you cannot grant ${excess}, which you do not hold`, { field: 'permissions' });
    const token = API_TOKEN_PREFIX + randomToken(32);
    const id = newId();
    const now = this.#iso();
    const permissions = [...new Set(input.permissions)];
    await new TenantScope(this.#db, actor.principal.tenantId).insertInto('auth_api_token', {
      id, name: input.name, token_hash: sha256(token), permissions: JSON.stringify(permissions),
      created_by: actor.principal.userId, created_at: now, last_used_at: null, revoked_at: null,
    }).execute();
    await this.#d.audit.append({
      tenantId: actor.principal.tenantId, action: 'token.created', actorId: actor.principal.userId, actorName: actor.principal.name,
      ip: actor.ip, targetType: 'token', targetId: id, details: { name: input.name, permissions },
    });
    return { id, name: input.name, permissions, createdAt: now, lastUsedAt: null, createdBy: actor.principal.userId, token };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    const r = await new TenantScope(this.#db, actor.principal.tenantId).updateTable('auth_api_token')
      .set({ revoked_at: this.#iso() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DomainError('SB_NOT_FOUND', 404, 'token not found');
    await this.#d.audit.append({
      tenantId: actor.principal.tenantId, action: 'token.revoked', actorId: actor.principal.userId, actorName: actor.principal.name,
      ip: actor.ip, targetType: 'token', targetId: id,
    });
  }

  /** Starts two-factor setup: stores a new secret (not yet enabled) and returns it with its otpauth URL. */
  async totpSetup(actor: Actor): Promise<{ secret: string; otpauthUrl: string }> {
    const scope = new TenantScope(this.#db, actor.principal.tenantId);
    const user = await scope.selectFrom('auth_user').select(['totp_enabled', 'username']).where('id', '=', actor.principal.userId).executeTakeFirstOrThrow();
    if (Number(user.totp_enabled) === 1) throw new DomainError('SB_AUTH_TOTP_ALREADY_ENABLED', 409, 'two-factor login is already on; turn it off first');
    const tenant = await this.#d.tenants.byId(actor.principal.tenantId);
    const secret = newTotpSecret();
    await scope.updateTable('auth_user').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', actor.principal.userId).execute();
    return { secret, otpauthUrl: totpUri(secret, `${user.username}@${tenant?.slug ?? ''}`, 'Switchboard') };
  }

  /** Turns two-factor login on (`enable`) or off; both need a current code. */
  async totpConfirm(actor: Actor, code: string, enable: boolean): Promise<void> {
    const scope = new TenantScope(this.#db, actor.principal.tenantId);
    const user = await scope.selectFrom('auth_user').selectAll().where('id', '=', actor.principal.userId).executeTakeFirstOrThrow();
    if (!user.totp_secret || (enable && Number(user.totp_enabled) === 1) || (!enable && Number(user.totp_enabled) !== 1)) {
      throw new DomainError('SB_AUTH_TOTP_STATE', 409, enable ? 'start two-factor setup first' : 'two-factor login is not on');
    }
    const step = matchTotp(user.totp_secret, code, this.#d.clock.now());
    if (step === undefined || (user.totp_last_step !== null && step <= Number(user.totp_last_step))) {
      throw new DomainError('SB_AUTH_TOTP_INVALID', 400, 'the two-factor code is not valid', { field: 'code' });
    }
    await scope.updateTable('auth_user').set({
      totp_enabled: enable ? 1 : 0, totp_last_step: enable ? step : null, totp_secret: enable ? user.totp_secret : null, updated_at: this.#iso(),
    }).where('id', '=', user.id).execute();
    await this.#d.audit.append({
      tenantId: actor.principal.tenantId, action: enable ? 'auth.totp_enabled' : 'auth.totp_disabled',
      actorId: user.id, actorName: user.username, ip: actor.ip, targetType: 'user', targetId: user.id,
    });
  }
}
