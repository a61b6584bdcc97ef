// The desktop's rows in SQLite/PostgreSQL (desktop_setting, desktop_contact), tenant-scoped; only
// this file names the tables.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';

interface DesktopTables {
  desktop_setting: { tenant_id: string; user_id: string; station_phone_id: string | null; auto_answer: number; updated_at: string };
  desktop_contact: { tenant_id: string; user_id: string; interaction_id: string; connected_at: string };
}

export interface StoredSettings {
  stationPhoneId: string | null;
  autoAnswer: boolean;
}

export interface HandledContact {
  interactionId: string;
  connectedAt: string;
}

export class DesktopStore {
  readonly #db: Kysely<DesktopTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<DesktopTables>(db);
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async settings(tenantId: string, userId: string): Promise<StoredSettings> {
    const row = await this.#scope(tenantId).selectFrom('desktop_setting').select(['station_phone_id', 'auto_answer']).where('user_id', '=', userId).executeTakeFirst();
    return { stationPhoneId: row?.station_phone_id ?? null, autoAnswer: Number(row?.auto_answer ?? 0) === 1 };
  }

  async putSettings(tenantId: string, userId: string, s: StoredSettings, at: string): Promise<void> {
    const scope = this.#scope(tenantId);
    const values = { station_phone_id: s.stationPhoneId, auto_answer: s.autoAnswer ? 1 : 0, updated_at: at };
    await scope.transaction(async (tx) => {
      const r = await tx.updateTable('desktop_setting').set(values).where('user_id', '=', userId).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) await tx.insertInto('desktop_setting', { user_id: userId, ...values }).execute();
    });
  }

  /** Records that the agent was connected to the interaction (the first time counts). */
  async addHandled(tenantId: string, userId: string, interactionId: string, connectedAt: string): Promise<void> {
    const scope = this.#scope(tenantId);
    const known = await scope.selectFrom('desktop_contact').select('interaction_id').where('user_id', '=', userId).where('interaction_id', '=', interactionId).executeTakeFirst();
    if (known) return;
    await scope.insertInto('desktop_contact', { user_id: userId, interaction_id: interactionId, connected_at: connectedAt }).execute();
  }

  async handled(tenantId: string, userId: string, interactionId: string): Promise<boolean> {
    const row = await this.#scope(tenantId).selectFrom('desktop_contact').select('interaction_id').where('user_id', '=', userId).where('interaction_id', '=', interactionId).executeTakeFirst();
    return !!row;
  }

  /** The agent's contacts connected in [from, to), newest first. */
  async handledBetween(tenantId: string, userId: string, from: string, to: string, limit: number): Promise<HandledContact[]> {
    const rows = await this.#scope(tenantId).selectFrom('desktop_contact').select(['interaction_id', 'connected_at'])
      .where('user_id', '=', userId).where('connected_at', '>=', from).where('connected_at', '<', to)
      .orderBy('connected_at', 'desc').orderBy('interaction_id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ interactionId: r.interaction_id, connectedAt: r.connected_at }));
  }
}
