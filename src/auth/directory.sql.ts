// Users and teams of a tenant. Every query goes through a TenantScope; a foreign id is "not found".
import type { Kysely } from 'kysely';
import { DomainError, newId, notFound, type Clock, type EventPublisher } from '../kernel/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { AuthTables } from './auth-tables.ts';
import type { AuthEvents } from './auth-events.ts';
import { hashPassword, DEFAULT_ARGON2, type Argon2Params } from './password.ts';
import { isRole, type Role } from './permissions.ts';
import type { Principal } from './principal.ts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: Role[];
  teamIds: string[];
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Team {
  id: string;
  name: string;
  description: string | null;
  memberIds: string[];
  createdAt: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  email?: string | null | undefined;
  password: string;
  roles: Role[];
  teamIds?: string[] | undefined;
}

export interface UserChanges {
  displayName?: string | undefined;
  email?: string | null | undefined;
  roles?: Role[] | undefined;
  teamIds?: string[] | undefined;
  password?: string | undefined;
}

/** Who acts and from where, for the audit trail. */
export interface Actor {
  principal: Principal;
  ip: string | null;
}

export const MIN_PASSWORD_LENGTH = 10;

const invalid = (field: string, message: string): DomainError =>
  new DomainError('SB_VALIDATION', 400, message, { field });

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid('password', `password must have at least ${MIN_PASSWORD_LENGTH} characters`);
}

type UserRow = AuthTables['auth_user'];

export interface DirectoryDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  bus: EventPublisher<AuthEvents>;
  argon2?: Argon2Params;
}

export class Directory {
  readonly #db: Kysely<AuthTables>;
  readonly #d: DirectoryDeps;

  constructor(deps: DirectoryDeps) {
    this.#d = deps;
    this.#db = tables<AuthTables>(deps.db);
  }

  #scope(tenantId: string): TenantScope<AuthTables> {
    return new TenantScope(this.#db, tenantId);
  }

  #now(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  async #teamIdsOf(scope: TenantScope<AuthTables>, userIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (userIds.length === 0) return map;
    const rows = await scope.selectFrom('auth_team_member').select(['user_id', 'team_id']).where('user_id', 'in', userIds).execute();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.team_id]);
    return map;
  }

  #toUser(r: UserRow, teamIds: string[]): User {
    return {
      id: r.id, username: r.username, displayName: r.display_name, email: r.email,
      roles: (JSON.parse(r.roles) as unknown[]).filter(isRole), teamIds: [...teamIds].sort(),
      disabled: Number(r.disabled) === 1, totpEnabled: Number(r.totp_enabled) === 1, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  async listUsers(tenantId: string): Promise<User[]> {
    const scope = this.#scope(tenantId);
    const rows = await scope.selectFrom('auth_user').selectAll().orderBy('username').execute();
    const teams = await this.#teamIdsOf(scope, rows.map((r) => r.id));
    return rows.map((r) => this.#toUser(r, teams.get(r.id) ?? []));
  }

  async getUser(tenantId: string, id: string): Promise<User> {
    const scope = this.#scope(tenantId);
    const r = await scope.selectFrom('auth_user').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('user');
    const teams = await this.#teamIdsOf(scope, [id]);
    return this.#toUser(r, teams.get(id) ?? []);
  }

  async #checkTeams(scope: TenantScope<AuthTables>, teamIds: string[]): Promise<void> {
    if (teamIds.length === 0) return;
    const found = await scope.selectFrom('auth_team').select('id').where('id', 'in', teamIds).execute();
    const known = new Set(found.map((t) => t.id));
    const missing = teamIds.find((t) => !known.has(t));
    if (missing) throw invalid('teamIds', `team ${missing} does not exist`);
  }

  /** Creates a user; `actor` is undefined only for the demo seed at first start. */
  async createUser(tenantId: string, input: NewUser, actor?: Actor): Promise<User> {
    checkPassword(input.password);
    if (input.roles.length === 0) throw invalid('roles', 'a user needs at least one role');
    const scope = this.#scope(tenantId);
    const username = input.username.toLowerCase();
    const exists = await scope.selectFrom('auth_user').select('id').where('username', '=', username).executeTakeFirst();
    if (exists) throw new DomainError('SB_USER_EXISTS', 409, `a user named ${username} already exists`, { field: 'username' });
    const teamIds = [...new Set(input.teamIds ?? [])];
    await this.#checkTeams(scope, teamIds);
    const hash = await hashPassword(input.password, this.#d.argon2 ?? DEFAULT_ARGON2);
    const id = newId();
    const now = this.#now();
    await scope.transaction(async (s) => {
      await s.insertInto('auth_user', {
        id, username, display_name: input.displayName, email: input.email ?? null, password_hash: hash,
        roles: JSON.stringify([...new Set(input.roles)]), disabled: 0, totp_secret: null, totp_enabled: 0, totp_last_step: null,
        created_at: now, updated_at: now,
      }).execute();
      if (teamIds.length) await s.insertInto('auth_team_member', teamIds.map((team_id) => ({ team_id, user_id: id }))).execute();
    });
    await this.#audit(tenantId, actor, 'user.created', 'user', id, { username, roles: input.roles, teamIds });
    this.#d.bus.publish('UserCreated', { tenantId, userId: id });
    return this.getUser(tenantId, id);
  }

  async updateUser(tenantId: string, id: string, changes: UserChanges, actor: Actor): Promise<User> {
    const scope = this.#scope(tenantId);
    const before = await this.getUser(tenantId, id);
    if (changes.roles !== undefined && changes.roles.length === 0) throw invalid('roles', 'a user needs at least one role');
    if (changes.password !== undefined) checkPassword(changes.password);
    if (changes.roles && actor.principal.userId === id && before.roles.includes('admin') && !changes.roles.includes('admin')) {
      throw new DomainError('SB_USER_SELF_LOCKOUT', 409, 'you cannot remove your own admin role', { field: 'roles' });
    }
    const teamIds = changes.teamIds ? [...new Set(changes.teamIds)] : undefined;
    if (teamIds) await this.#checkTeams(scope, teamIds);
    const set: Partial<UserRow> = { updated_at: this.#now() };
    if (changes.displayName !== undefined) set.display_name = changes.displayName;
    if (changes.email !== undefined) set.email = changes.email;
    if (changes.roles !== undefined) set.roles = JSON.stringify([...new Set(changes.roles)]);
    if (changes.password !== undefined) set.password_hash = await hashPassword(changes.password, this.#d.argon2 ?? DEFAULT_ARGON2);
    await scope.transaction(async (s) => {
      await s.updateTable('auth_user').set(set).where('id', '=', id).execute();
      if (teamIds) {
        await s.deleteFrom('auth_team_member').where('user_id', '=', id).execute();
        if (teamIds.length) await s.insertInto('auth_team_member', teamIds.map((team_id) => ({ team_id, user_id: id }))).execute();
      }
    });
    const changed = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
    await this.#audit(tenantId, actor, 'user.updated', 'user', id, {
      changed,
      ...(changes.roles ? { rolesBefore: before.roles, rolesAfter: changes.roles } : {}),
      ...(teamIds ? { teamIdsBefore: before.teamIds, teamIdsAfter: teamIds } : {}),
    });
    this.#d.bus.publish('UserUpdated', { tenantId, userId: id });
    return this.getUser(tenantId, id);
  }

  async setDisabled(tenantId: string, id: string, disabled: boolean, actor: Actor): Promise<User> {
    const scope = this.#scope(tenantId);
    await this.getUser(tenantId, id);
    if (disabled && actor.principal.userId === id) {
      throw new DomainError('SB_USER_SELF_LOCKOUT', 409, 'you cannot disable your own account');
    }
    await scope.transaction(async (s) => {
      await s.updateTable('auth_user').set({ disabled: disabled ? 1 : 0, updated_at: this.#now() }).where('id', '=', id).execute();
      if (disabled) await s.deleteFrom('auth_session').where('user_id', '=', id).execute();
    });
    await this.#audit(tenantId, actor, disabled ? 'user.disabled' : 'user.enabled', 'user', id, {});
    if (disabled) {
      this.#d.bus.publish('UserDisabled', { tenantId, userId: id });
      this.#d.bus.publish('UserSessionsEnded', { tenantId, userId: id });
    } else {
      this.#d.bus.publish('UserEnabled', { tenantId, userId: id });
    }
    return this.getUser(tenantId, id);
  }

  async listTeams(tenantId: string): Promise<Team[]> {
    const scope = this.#scope(tenantId);
    const rows = await scope.selectFrom('auth_team').selectAll().orderBy('name').execute();
    const members = await scope.selectFrom('auth_team_member').select(['team_id', 'user_id']).execute();
    return rows.map((r) => ({
      id: r.id, name: r.name, description: r.description, createdAt: r.created_at,
      memberIds: members.filter((m) => m.team_id === r.id).map((m) => m.user_id).sort(),
    }));
  }

  async getTeam(tenantId: string, id: string): Promise<Team> {
    const team = (await this.listTeams(tenantId)).find((t) => t.id === id);
    if (!team) throw notFound('team');
    return team;
  }

  async createTeam(tenantId: string, input: { name: string; description?: string | null | undefined }, actor?: Actor): Promise<Team> {
    const scope = this.#scope(tenantId);
    const exists = await scope.selectFrom('auth_team').select('id').where('name', '=', input.name).executeTakeFirst();
    if (exists) throw new DomainError('SB_TEAM_EXISTS', 409, `a team named ${input.name} already exists`, { field: 'name' });
    const id = newId();
    const now = this.#now();
    await scope.insertInto('auth_team', { id, name: input.name, description: input.description ?? null, created_at: now, updated_at: now }).execute();
    await this.#audit(tenantId, actor, 'team.created', 'team', id, { name: input.name });
    this.#d.bus.publish('TeamCreated', { tenantId, teamId: id });
    return this.getTeam(tenantId, id);
  }

  async updateTeam(tenantId: string, id: string, changes: { name?: string | undefined; description?: string | null | undefined }, actor: Actor): Promise<Team> {
    const scope = this.#scope(tenantId);
    const before = await this.getTeam(tenantId, id);
    if (changes.name !== undefined && changes.name !== before.name) {
      const clash = await scope.selectFrom('auth_team').select('id').where('name', '=', changes.name).executeTakeFirst();
      if (clash) throw new DomainError('SB_TEAM_EXISTS', 409, `a team named ${changes.name} already exists`, { field: 'name' });
    }
    const set: Partial<AuthTables['auth_team']> = { updated_at: this.#now() };
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    await scope.updateTable('auth_team').set(set).where('id', '=', id).execute();
    await this.#audit(tenantId, actor, 'team.updated', 'team', id, { changed: Object.keys(changes) });
    this.#d.bus.publish('TeamUpdated', { tenantId, teamId: id });
    return this.getTeam(tenantId, id);
  }

  async deleteTeam(tenantId: string, id: string, actor: Actor): Promise<void> {
    const scope = this.#scope(tenantId);
    const team = await this.getTeam(tenantId, id);
    await scope.transaction(async (s) => {
      await s.deleteFrom('auth_team_member').where('team_id', '=', id).execute();
      await s.deleteFrom('auth_team').where('id', '=', id).execute();
    });
    await this.#audit(tenantId, actor, 'team.deleted', 'team', id, { name: team.name });
    this.#d.bus.publish('TeamDeleted', { tenantId, teamId: id });
  }

  #audit(tenantId: string, actor: Actor | undefined, action: string, targetType: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#d.audit.append({
      tenantId, action, targetType, targetId, details,
      actorId: actor?.principal.userId ?? null, actorName: actor?.principal.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
