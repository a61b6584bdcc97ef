// The numbers callers dial (DIDs), in voice_number: each belongs to one workspace and is answered by
// one IVR flow. Carriers write the same number in several ways (+8675512345678, 8675512345678,
// 075512345678 national), so a number is stored as dialled digits with an optional leading '+' and
// looked up by its digits with and without it. A workspace also says what callers of a number it
// does not have hear: an announcement, then 404 Not Found or 480 Temporarily Unavailable.
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { PhoneActor } from './phones.ts';

interface NumberTables {
  voice_number: { id: string; tenant_id: string; number: string; label: string | null; flow_id: string | null; created_at: string };
  voice_setting: { tenant_id: string; unknown_number_status: number; unknown_number_announce: number; updated_at: string };
}

export interface DialledNumber {
  id: string;
  number: string;
  label: string | null;
  /** The IVR flow that answers it; null: the number is parked (callers hear the unknown-number treatment). */
  flowId: string | null;
  createdAt: string;
}

export interface UnknownNumberTreatment {
  /** 404 Not Found or 480 Temporarily Unavailable. */
  status: 404 | 480;
  /** Play "the number you have dialled is not in service" as early media before the status. */
  announce: boolean;
}

export const NUMBER_PATTERN = /^\+?[0-9]{3,20}$/;

const toNumber = (r: NumberTables['voice_number']): DialledNumber => ({ id: r.id, number: r.number, label: r.label, flowId: r.flow_id, createdAt: r.created_at });

/** The forms a carrier may send a stored number in. */
function variants(dialled: string): string[] {
  const digits = dialled.replace(/^\+/, '');
  return [digits, `+${digits}`];
}

export class Numbers {
  readonly #db: Kysely<NumberTables>;
  readonly #clock: Clock;
  readonly #audit: { append(rec: AuditRecord): Promise<void> };

  constructor(deps: { db: SqlDatabase; clock: Clock; audit: { append(rec: AuditRecord): Promise<void> } }) {
    this.#db = tables<NumberTables>(deps.db);
    this.#clock = deps.clock;
    this.#audit = deps.audit;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async list(tenantId: string): Promise<DialledNumber[]> {
    return (await this.#scope(tenantId).selectFrom('voice_number').selectAll().orderBy('number').execute()).map(toNumber);
  }

  /**
   * The workspace and flow of a dialled number, whichever workspace has it: the one unscoped read
   * of this table, because a carrier's INVITE names a number, not a workspace.
   */
  async resolve(dialled: string): Promise<(DialledNumber & { tenantId: string }) | undefined> {
    if (!NUMBER_PATTERN.test(dialled)) return undefined;
    const row = await this.#db.selectFrom('voice_number').selectAll().where('number', 'in', variants(dialled)).executeTakeFirst();
    return row ? { ...toNumber(row), tenantId: row.tenant_id } : undefined;
  }

  async create(tenantId: string, n: { number: string; label?: string | null; flowId?: string | null }, actor?: PhoneActor): Promise<DialledNumber> {
    if (!NUMBER_PATTERN.test(n.number)) throw new DomainError('SB_VALIDATION', 400, 'number must be 3 to 20 digits with an optional leading +', { field: 'number' });
    if (await this.#db.selectFrom('voice_number').select('id').where('number', 'in', variants(n.number)).executeTakeFirst()) {
      // Numbers are unique across workspaces; the message does not say whose it is.
      throw new DomainError('SB_NUMBER_TAKEN', 409, `number ${n.number} is not available`);
    }
    const row = { id: newId(), number: n.number, label: n.label ?? null, flow_id: n.flowId ?? null, created_at: new Date(this.#clock.now()).toISOString() };
    await this.#scope(tenantId).insertInto('voice_number', row).execute();
    await this.#record(tenantId, actor, 'number.created', row.id, { number: row.number, flowId: row.flow_id });
    return toNumber({ ...row, tenant_id: tenantId });
  }

  async update(tenantId: string, id: string, patch: { label?: string | null; flowId?: string | null }, actor?: PhoneActor): Promise<DialledNumber> {
    const set: Partial<NumberTables['voice_number']> = {};
    if (patch.label !== undefined) set.label = patch.label;
    if (patch.flowId !== undefined) set.flow_id = patch.flowId;
    if (Object.keys(set).length > 0) {
      const r = await this.#scope(tenantId).updateTable('voice_number').set(set).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('number');
    }
    const row = await this.#scope(tenantId).selectFrom('voice_number').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('number');
    await this.#record(tenantId, actor, 'number.updated', id, { flowId: row.flow_id });
    return toNumber(row);
  }

  async remove(tenantId: string, id: string, actor?: PhoneActor): Promise<void> {
    const r = await this.#scope(tenantId).deleteFrom('voice_number').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('number');
    await this.#record(tenantId, actor, 'number.deleted', id, {});
  }

  async unknownNumberTreatment(tenantId: string): Promise<UnknownNumberTreatment> {
    const row = await this.#scope(tenantId).selectFrom('voice_setting').selectAll().executeTakeFirst();
    return { status: row && Number(row.unknown_number_status) === 480 ? 480 : 404, announce: row ? Number(row.unknown_number_announce) === 1 : true };
  }

  async setUnknownNumberTreatment(tenantId: string, t: UnknownNumberTreatment, actor?: PhoneActor): Promise<void> {
    const values = { unknown_number_status: t.status, unknown_number_announce: t.announce ? 1 : 0, updated_at: new Date(this.#clock.now()).toISOString() };
    const s = this.#scope(tenantId);
    const r = await s.updateTable('voice_setting').set(values).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await s.insertInto('voice_setting', values).execute();
    await this.#record(tenantId, actor, 'voice_setting.updated', tenantId, { unknownNumberStatus: t.status, announce: t.announce });
  }

  #record(tenantId: string, actor: PhoneActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#audit.append({ tenantId, action, targetType: 'number', targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null });
  }
}
