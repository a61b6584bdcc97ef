// Bindings in SQLite/PostgreSQL (table sip_binding), so registrations survive a restart.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../../storage/index.ts';
import type { Binding, RegistrarStore } from './registrar-store.ts';

export interface SipTables {
  sip_binding: {
    tenant_id: string; aor: string; contact: string; call_id: string; cseq: number; expires_at: number; q: number;
    source_protocol: string; source_address: string; source_port: number; connection_id: string | null;
    instance_id: string | null; updated_at: number;
  };
}

type Row = SipTables['sip_binding'];

const toBinding = (r: Row): Binding => ({
  tenantId: r.tenant_id, aor: r.aor, contact: r.contact, callId: r.call_id, cseq: Number(r.cseq), expiresAt: Number(r.expires_at), q: Number(r.q),
  source: { protocol: r.source_protocol as Binding['source']['protocol'], address: r.source_address, port: Number(r.source_port), connectionId: r.connection_id ?? undefined },
  instanceId: r.instance_id ?? undefined, updatedAt: Number(r.updated_at),
});

export class SqlRegistrarStore implements RegistrarStore {
  readonly #db: Kysely<SipTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<SipTables>(db);
  }

  async list(tenantId: string, aor: string, now: number): Promise<Binding[]> {
    const rows = await this.#db.selectFrom('sip_binding').selectAll().where('tenant_id', '=', tenantId).where('aor', '=', aor).where('expires_at', '>', now).orderBy('contact').execute();
    return rows.map(toBinding);
  }

  async put(b: Binding): Promise<void> {
    const row: Row = {
      tenant_id: b.tenantId, aor: b.aor, contact: b.contact, call_id: b.callId, cseq: b.cseq, expires_at: b.expiresAt, q: b.q,
      source_protocol: b.source.protocol, source_address: b.source.address, source_port: b.source.port, connection_id: b.source.connectionId ?? null,
      instance_id: b.instanceId ?? null, updated_at: b.updatedAt,
    };
    await this.#db.insertInto('sip_binding').values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'aor', 'contact']).doUpdateSet({
        call_id: row.call_id, cseq: row.cseq, expires_at: row.expires_at, q: row.q, source_protocol: row.source_protocol,
        source_address: row.source_address, source_port: row.source_port, connection_id: row.connection_id, instance_id: row.instance_id, updated_at: row.updated_at,
      }))
      .execute();
  }

  async remove(tenantId: string, aor: string, contact: string): Promise<void> {
    await this.#db.deleteFrom('sip_binding').where('tenant_id', '=', tenantId).where('aor', '=', aor).where('contact', '=', contact).execute();
  }

  async removeAll(tenantId: string, aor: string): Promise<void> {
    await this.#db.deleteFrom('sip_binding').where('tenant_id', '=', tenantId).where('aor', '=', aor).execute();
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.#db.deleteFrom('sip_binding').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
