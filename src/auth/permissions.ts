// Roles map to named permissions; the server checks a permission on every route.

export const PERMISSIONS = [
  'users.read', 'users.write',
  'teams.read', 'teams.write',
  'roles.read',
  'audit.read',
  'tokens.manage',
  'phones.read', 'phones.manage', 'trunks.manage',
  'agent.desktop',
  'supervisor.monitor',
  'calendars.read', 'calendars.manage',
  'customers.read', 'customers.write', 'customers.merge', 'customers.erase', 'customers.import',
  'flows.read', 'flows.manage', 'numbers.manage',
  'queues.read', 'queues.manage', 'agents.manage',
  'interactions.read',
  'tickets.read', 'tickets.write', 'tickets.manage',
  'wfm.read',
  'reports.read', 'reports.manage', 'surveys.record',
  'recordings.play', 'recordings.manage',
  'integrations.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'supervisor', 'agent', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  supervisor: [
    'users.read', 'teams.read', 'roles.read', 'phones.read', 'agent.desktop', 'supervisor.monitor', 'calendars.read', 'customers.read', 'customers.write',
    'flows.read', 'queues.read', 'agents.manage', 'interactions.read', 'tickets.read', 'tickets.write', 'wfm.read', 'recordings.play',
    'reports.read',
  ],
  agent: ['agent.desktop', 'customers.read', 'customers.write', 'tickets.read', 'tickets.write'],
  auditor: ['users.read', 'teams.read', 'roles.read', 'audit.read', 'interactions.read'],
};

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
export const isPermission = (v: unknown): v is Permission => typeof v === 'string' && (PERMISSIONS as readonly string[]).includes(v);

export function permissionsOf(roles: readonly Role[]): Permission[] {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r]) set.add(p);
  return PERMISSIONS.filter((p) => set.has(p));
}
