// First start with an empty database: a demo workspace with an admin, a supervisor and two agents.
import { randomInt } from 'node:crypto';
import type { Directory, Role } from '../auth/index.ts';
import type { TenantStore } from '../tenancy/index.ts';
import type { Phones } from '../voice/index.ts';

export interface DemoLogin {
  username: string;
  password: string;
  roles: Role[];
}

export interface DemoPhone {
  username: string;
  password: string;
  owner: string;
}

export interface DemoSeed {
  tenantId: string;
  tenantSlug: string;
  /** username -> user id */
  userIds: Record<string, string>;
  logins: DemoLogin[];
  /** SIP accounts, realm = the tenant slug. */
  phones: DemoPhone[];
}

const DEMO_USERS: { username: string; displayName: string; roles: Role[]; phone?: string }[] = [
  { username: 'admin', displayName: 'Ada Admin', roles: ['admin'] },
  { username: 'supervisor', displayName: 'Sam Supervisor', roles: ['supervisor'], phone: '1000' },
  { username: 'agent1', displayName: '王小明 (Agent 1)', roles: ['agent'], phone: '1001' },
  { username: 'agent2', displayName: '陳美玲 (Agent 2)', roles: ['agent'], phone: '1002' },
];

/** A readable generated password: 4 groups of 4 from an alphabet without look-alikes (~75 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

/** Seeds only when there is no tenant at all; returns undefined otherwise. */
export async function seedDemo(deps: { tenants: TenantStore; directory: Directory; phones: Phones; now: Date }, password?: string): Promise<DemoSeed | undefined> {
  if ((await deps.tenants.count()) > 0) return undefined;
  const tenant = await deps.tenants.create({ slug: 'demo', name: 'Demo Contact Center', timeZone: 'Asia/Shanghai' }, deps.now);
  const team = await deps.directory.createTeam(tenant.id, { name: 'Front line', description: 'Demo agents' });
  const logins: DemoLogin[] = [];
  const phones: DemoPhone[] = [];
  const userIds: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const pw = password ?? generatePassword();
    const user = await deps.directory.createUser(tenant.id, {
      username: u.username, displayName: u.displayName, password: pw, roles: u.roles,
      teamIds: u.roles.includes('agent') || u.roles.includes('supervisor') ? [team.id] : [],
    });
    logins.push({ username: u.username, password: pw, roles: u.roles });
    userIds[u.username] = user.id;
    if (u.phone) {
      const phonePassword = password ?? generatePassword();
      await deps.phones.create(tenant.id, { username: u.phone, displayName: u.displayName, password: phonePassword, userId: user.id });
      phones.push({ username: u.phone, password: phonePassword, owner: u.username });
    }
  }
  return { tenantId: tenant.id, tenantSlug: tenant.slug, userIds, logins, phones };
}
