// SIP trunks to carriers: where outbound calls go, and the credentials for the carrier's digest
// challenge (answered only for the trunk's own realm). Tenant-scoped; changes are audited.
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { PhoneActor } from './phones.ts';

export interface Trunk {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** The realm whose challenges are answered; defaults to the host. */
  realm: string;
  username: string | null;
  /** The number presented as the caller on outbound calls, if the carrier wants one. */
  callerId: string | null;
  createdAt: string;
}

export interface NewTrunk {
  name: string;
  host: string;
  port?: number | undefined;
  transport?: 'udp' | 'tcp' | undefined;
  realm?: string | null | undefined;
  username?: string | null | undefined;
  password?: string | null | undefined;
  callerId?: string | null | undefined;
}

interface TrunkTables {
  voice_trunk: {
    id: string; tenant_id: string; name: string; host: string; port: number; transport: string; realm: string | null;
    username: string | null; password: string | null; caller_id: string | null; created_at: string;
  };
}
type Row = TrunkTables['voice_trunk'];

const toTrunk = (r: Row): Trunk => ({
  id: r.id, name: r.name, host: r.host, port: Number(r.port), transport: r.transport === 'tcp' ? 'tcp' : 'udp', realm: r.realm ?? r.host,
  username: r.username, callerId: r.caller_id, createdAt: r.created_at,
});

export class Trunks {
  readonly #db: Kysely<TrunkTables>;
  readonly #clock: Clock;
  readonly #audit: { append(rec: AuditRecord): Promise<void> };

  constructor(deps: { db: SqlDatabase; clock: Clock; audit: { append(rec: AuditRecord): Promise<void> } }) {
    this.#db = tables<TrunkTables>(deps.db);
    this.#clock = deps.clock;
    this.#audit = deps.audit;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async list(tenantId: string): Promise<Trunk[]> {
    return (await this.#scope(tenantId).selectFrom('voice_trunk').selectAll().orderBy('name').execute()).map(toTrunk);
  }

  /** The trunk with its password, for placing a call; never handed to the API. */
  async withCredentials(tenantId: string, id: string): Promise<{ trunk: Trunk; password: string | null }> {
    const row = await this.#scope(tenantId).selectFrom('voice_trunk').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('trunk');
    return { trunk: toTrunk(row), password: row.password };
  }

  async create(tenantId: string, t: NewTrunk, actor?: PhoneActor): Promise<Trunk> {
    if ((await this.list(tenantId)).some((x) => x.name === t.name)) throw new DomainError('SB_TRUNK_EXISTS', 409, `a trunk named ${t.name} already exists`);
    const row = {
      id: newId(), name: t.name, host: t.host.toLowerCase(), port: t.port ?? 5060, transport: t.transport ?? 'udp', realm: t.realm ?? null,
      username: t.username ?? null, password: t.password ?? null, caller_id: t.callerId ?? null, created_at: new Date(this.#clock.now()).toISOString(),
    };
    await this.#scope(tenantId).insertInto('voice_trunk', row).execute();
    await this.#record(tenantId, actor, 'trunk.created', row.id, { name: row.name, host: row.host });
    return toTrunk({ ...row, tenant_id: tenantId });
  }

  async remove(tenantId: string, id: string, actor?: PhoneActor): Promise<void> {
    const r = await this.#scope(tenantId).deleteFrom('voice_trunk').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('trunk');
    await this.#record(tenantId, actor, 'trunk.deleted', id, {});
  }

  /** The tenant's trunk whose address sent a request, if any (an inbound call from the carrier). */
  async bySource(tenantId: string, address: string, port: number): Promise<Trunk | undefined> {
    return (await this.list(tenantId)).find((t) => t.host === address && t.port === port);
  }

  #record(tenantId: string, actor: PhoneActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType: 'trunk', targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
