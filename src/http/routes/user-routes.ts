import type { FastifyInstance } from 'fastify';
import { ROLE_PERMISSIONS, ROLES, type Directory, type Role } from '../../auth/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf, permissionSchema, roleSchema, teamSchema, userSchema } from '../schemas.ts';

const email = { type: ['string', 'null'], maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' } as const;

const createUserBody = {
  type: 'object',
  required: ['username', 'displayName', 'password', 'roles'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' },
    displayName: { type: 'string', minLength: 1, maxLength: 128 },
    email,
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    roles: { type: 'array', minItems: 1, maxItems: 4, items: roleSchema },
    teamIds: { type: 'array', maxItems: 100, items: id },
  },
} as const;

const updateUserBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 128 },
    email,
    roles: { type: 'array', minItems: 1, maxItems: 4, items: roleSchema },
    teamIds: { type: 'array', maxItems: 100, items: id },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const;

const teamBody = (required: string[]) => ({
  type: 'object',
  required,
  additionalProperties: false,
  minProperties: 1,
  properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, description: { type: ['string', 'null'], maxLength: 1000 } },
}) as const;

type NewUserBody = { username: string; displayName: string; email?: string | null; password: string; roles: Role[]; teamIds?: string[] };
type UserChangesBody = { displayName?: string; email?: string | null; roles?: Role[]; teamIds?: string[]; password?: string };

export async function userRoutes(app: FastifyInstance, d: { directory: Directory }): Promise<void> {
  const actor = (req: Parameters<typeof principalOf>[0]) => ({ principal: principalOf(req), ip: req.ip });

  app.get('/api/users', {
    config: requires('users.read'),
    schema: { tags: ['users'], summary: 'List users', response: { 200: listOf(userSchema) } },
  }, async (req) => ({ items: await d.directory.listUsers(principalOf(req).tenantId) }));

  app.get<{ Params: { id: string } }>('/api/users/:id', {
    config: requires('users.read'),
    schema: { tags: ['users'], summary: 'One user', params: idParams, response: { 200: userSchema } },
  }, async (req) => d.directory.getUser(principalOf(req).tenantId, req.params.id));

  app.post<{ Body: NewUserBody }>('/api/users', {
    config: requires('users.write'),
    schema: { tags: ['users'], summary: 'Create a user', body: createUserBody, response: { 201: userSchema } },
  }, async (req, reply) => {
    const user = await d.directory.createUser(principalOf(req).tenantId, req.body, actor(req));
    return reply.status(201).send(user);
  });

  app.patch<{ Params: { id: string }; Body: UserChangesBody }>('/api/users/:id', {
    config: requires('users.write'),
    schema: { tags: ['users'], summary: 'Change a user', params: idParams, body: updateUserBody, response: { 200: userSchema } },
  }, async (req) => d.directory.updateUser(principalOf(req).tenantId, req.params.id, req.body, actor(req)));

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: { id: string } }>(`/api/users/:id/${verb}`, {
      config: requires('users.write'),
      schema: { tags: ['users'], summary: disabled ? 'Disable a user (ends their sessions)' : 'Enable a user', params: idParams, response: { 200: userSchema } },
    }, async (req) => d.directory.setDisabled(principalOf(req).tenantId, req.params.id, disabled, actor(req)));
  }

  app.get('/api/roles', {
    config: requires('roles.read'),
    schema: {
      tags: ['users'], summary: 'Roles and their permissions',
      response: { 200: listOf({ type: 'object', properties: { role: roleSchema, permissions: { type: 'array', items: permissionSchema } } }) },
    },
  }, async () => ({ items: ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })) }));

  app.get('/api/teams', {
    config: requires('teams.read'),
    schema: { tags: ['teams'], summary: 'List teams', response: { 200: listOf(teamSchema) } },
  }, async (req) => ({ items: await d.directory.listTeams(principalOf(req).tenantId) }));

  app.get<{ Params: { id: string } }>('/api/teams/:id', {
    config: requires('teams.read'),
    schema: { tags: ['teams'], summary: 'One team', params: idParams, response: { 200: teamSchema } },
  }, async (req) => d.directory.getTeam(principalOf(req).tenantId, req.params.id));

  app.post<{ Body: { name: string; description?: string | null } }>('/api/teams', {
    config: requires('teams.write'),
    schema: { tags: ['teams'], summary: 'Create a team', body: teamBody(['name']), response: { 201: teamSchema } },
  }, async (req, reply) => reply.status(201).send(await d.directory.createTeam(principalOf(req).tenantId, req.body, actor(req))));

  app.patch<{ Params: { id: string }; Body: { name?: string; description?: string | null } }>('/api/teams/:id', {
    config: requires('teams.write'),
    schema: { tags: ['teams'], summary: 'Change a team', params: idParams, body: teamBody([]), response: { 200: teamSchema } },
  }, async (req) => d.directory.updateTeam(principalOf(req).tenantId, req.params.id, req.body, actor(req)));

  app.delete<{ Params: { id: string } }>('/api/teams/:id', {
    config: requires('teams.write'),
    schema: { tags: ['teams'], summary: 'Delete a team', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.directory.deleteTeam(principalOf(req).tenantId, req.params.id, actor(req));
    return reply.status(204).send();
  });
}
