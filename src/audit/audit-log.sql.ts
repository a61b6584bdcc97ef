// The audit trail: append-only rows, one hash chain per tenant. Each row's hash covers its fields and
// the previous row's hash; audit_chain_head pins the newest row. Editing, deleting or reordering any
// row breaks verification (docs/architecture.md, "Audit trail").
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import type { Clock } from '../kernel/index.ts';

export interface AuditTables {
  audit_event: {
    chain: string; seq: number; tenant_id: string | null; at: string; actor_id: string | null; actor_name: string | null;
    action: string; target_type: string | null; target_id: string | null; ip: string | null; details: string;
    prev_hash: string; hash: string;
  };
  audit_chain_head: { chain: string; seq: number; hash: string };
}

export interface AuditRecord {
  tenantId: string | null;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** Sequence number of the first row that fails, or null. */
  brokenAt: number | null;
}

const SYSTEM_CHAIN = '-';
const GENESIS = '0'.repeat(64);
const chainOf = (tenantId: string | null): string => tenantId ?? SYSTEM_CHAIN;

type Row = AuditTables['audit_event'];

function rowHash(r: Omit<Row, 'hash'>): string {
  const fields = [r.chain, r.seq, r.tenant_id, r.at, r.actor_id, r.actor_name, r.action, r.target_type, r.target_id, r.ip, r.details];
  return createHash('sha256').update(r.prev_hash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

export class AuditLog {
  readonly #db: Kysely<AuditTables>;
  readonly #clock: Clock;
  /** Appends to one chain are serialized in-process; the (chain, seq) key catches races between nodes. */
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(db: SqlDatabase, clock: Clock) {
    this.#db = tables<AuditTables>(db);
    this.#clock = clock;
  }

  append(rec: AuditRecord): Promise<void> {
    const chain = chainOf(rec.tenantId);
    const prev = this.#tails.get(chain) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => this.#appendWithRetry(chain, rec));
    this.#tails.set(chain, next);
    void next.finally(() => { if (this.#tails.get(chain) === next) this.#tails.delete(chain); }).catch(() => {});
    return next;
  }

  async #appendWithRetry(chain: string, rec: AuditRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#appendOnce(chain, rec);
        return;
      } catch (err) {
        if (attempt >= 4) throw err;
      }
    }
  }

  async #appendOnce(chain: string, rec: AuditRecord): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const head = await trx.selectFrom('audit_chain_head').selectAll().where('chain', '=', chain).executeTakeFirst();
      const base = {
        chain,
        seq: (head?.seq ?? 0) + 1,
        tenant_id: rec.tenantId,
        at: new Date(this.#clock.now()).toISOString(),
        actor_id: rec.actorId ?? null,
        actor_name: rec.actorName ?? null,
        action: rec.action,
        target_type: rec.targetType ?? null,
        target_id: rec.targetId ?? null,
        ip: rec.ip ?? null,
        details: JSON.stringify(rec.details ?? {}),
        prev_hash: head?.hash ?? GENESIS,
      };
      const row: Row = { ...base, hash: rowHash(base) };
      await trx.insertInto('audit_event').values(row).execute();
      if (head) {
        const r = await trx.updateTable('audit_chain_head').set({ seq: row.seq, hash: row.hash })
          .where('chain', '=', chain).where('seq', '=', head.seq).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new Error('audit chain head moved concurrently');
      } else {
        await trx.insertInto('audit_chain_head').values({ chain, seq: row.seq, hash: row.hash }).execute();
      }
    });
  }

  /** Newest first; `before` is a sequence number for paging. */
  async list(tenantId: string, opts: { limit: number; before?: number | undefined }): Promise<AuditEntry[]> {
    let q = this.#db.selectFrom('audit_event').selectAll().where('chain', '=', chainOf(tenantId));
    if (opts.before !== undefined) q = q.where('seq', '<', opts.before);
    const rows = await q.orderBy('seq', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({
      seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action,
      targetType: r.target_type, targetId: r.target_id, ip: r.ip, details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }

  /** Walks a tenant's chain from the first row: recomputes every hash, checks the links, the sequence and the head. */
  async verify(tenantId: string | null): Promise<AuditVerification> {
    const chain = chainOf(tenantId);
    const head = await this.#db.selectFrom('audit_chain_head').selectAll().where('chain', '=', chain).executeTakeFirst();
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    const pageSize = 1000;
    for (;;) {
      const rows = await this.#db.selectFrom('audit_event').selectAll().where('chain', '=', chain)
        .where('seq', '>=', expectedSeq).orderBy('seq', 'asc').limit(pageSize).execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        const { hash, ...rest } = r;
        if (seq !== expectedSeq || r.prev_hash !== prevHash || rowHash({ ...rest, seq }) !== hash) {
          return { ok: false, checked, brokenAt: Math.min(seq, expectedSeq) };
        }
        prevHash = hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < pageSize) break;
    }
    const lastSeq = expectedSeq - 1;
    if ((head?.seq ?? 0) !== lastSeq || (head ? head.hash !== prevHash : false)) {
      return { ok: false, checked, brokenAt: lastSeq + 1 };
    }
    return { ok: true, checked, brokenAt: null };
  }
}
