// JSON schemas shared by routes and the generated OpenAPI document.
import { PERMISSIONS, ROLES } from '../auth/index.ts';

export const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const roleSchema = { type: 'string', enum: [...ROLES] } as const;
export const permissionSchema = { type: 'string', enum: [...PERMISSIONS] } as const;
export const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'username', 'displayName', 'email', 'roles', 'teamIds', 'disabled', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, username: { type: 'string' }, displayName: { type: 'string' }, email: { type: ['string', 'null'] },
    roles: { type: 'array', items: roleSchema }, teamIds: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' }, totpEnabled: { type: 'boolean' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const;

export const teamSchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'memberIds', 'createdAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] },
    memberIds: { type: 'array', items: { type: 'string' } }, createdAt: { type: 'string' },
  },
} as const;

export const meSchema = {
  type: 'object',
  required: ['id', 'tenantId', 'tenantSlug', 'tenantName', 'username', 'displayName', 'email', 'roles', 'permissions', 'totpEnabled', 'teams'],
  properties: {
    id: { type: 'string' }, tenantId: { type: 'string' }, tenantSlug: { type: 'string' }, tenantName: { type: 'string' },
    username: { type: 'string' }, displayName: { type: 'string' }, email: { type: ['string', 'null'] },
    roles: { type: 'array', items: roleSchema }, permissions: { type: 'array', items: permissionSchema }, totpEnabled: { type: 'boolean' },
    teams: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } },
  },
} as const;

export const listOf = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;
