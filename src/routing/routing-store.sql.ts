// The ACD's state of record in SQLite/PostgreSQL: queue settings (routing_queue), agents' routing
// profiles and states (routing_agent), and every contact still waiting, offered or assigned
// (routing_contact), so that a restart loses none and each keeps its place. Tenant-scoped.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { AgentState, Channel, SkillRequirement } from './routing-model.ts';
import type { QueueSettings } from './queue-settings.ts';

interface RoutingTables {
  routing_queue: { id: string; tenant_id: string; name: string; config: string; created_at: string; updated_at: string };
  routing_agent: { tenant_id: string; user_id: string; skills: string; capacity: string; state: string; reason: string | null; state_since: string; updated_at: string };
  routing_contact: {
    id: string; tenant_id: string; queue_id: string; channel: string; enqueued_at: string; queued_at: string; priority: number;
    requirements: string; state: string; agent_id: string | null; data: string;
  };
}

export interface StoredQueue { id: string; name: string; settings: QueueSettings; createdAt: string; updatedAt: string }

export interface StoredAgent {
  id: string;
  skills: Record<string, number>;
  capacity: Partial<Record<Channel, number>>;
  state: AgentState;
  reason: string | null;
  stateSince: string;
}

export interface StoredContact {
  id: string;
  queueId: string;
  channel: Channel;
  enqueuedAt: number;
  queuedAt: number;
  priority: number;
  requirements: SkillRequirement[];
  state: 'waiting' | 'offered' | 'assigned';
  agentId: string | null;
  kind: 'contact' | 'callback';
  data: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class RoutingStore {
  readonly #db: Kysely<RoutingTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<RoutingTables>(db);
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  /** Workspaces with queues or agents (those whose ACD must be loaded at start). */
  async tenants(): Promise<string[]> {
    const q = await this.#db.selectFrom('routing_queue').select('tenant_id').distinct().execute();
    const a = await this.#db.selectFrom('routing_agent').select('tenant_id').distinct().execute();
    return [...new Set([...q, ...a].map((r) => r.tenant_id))];
  }

  async queues(tenantId: string): Promise<StoredQueue[]> {
    const rows = await this.#scope(tenantId).selectFrom('routing_queue').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, settings: JSON.parse(r.config) as QueueSettings, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async queueNameTaken(tenantId: string, name: string, exceptId?: string): Promise<boolean> {
    let q = this.#scope(tenantId).selectFrom('routing_queue').select('id').where('name', '=', name);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return !!(await q.executeTakeFirst());
  }

  async putQueue(tenantId: string, q: StoredQueue): Promise<void> {
    const s = this.#scope(tenantId);
    const r = await s.updateTable('routing_queue').set({ name: q.name, config: JSON.stringify(q.settings), updated_at: q.updatedAt }).where('id', '=', q.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await s.insertInto('routing_queue', { id: q.id, name: q.name, config: JSON.stringify(q.settings), created_at: q.createdAt, updated_at: q.updatedAt }).execute();
    }
  }

  async removeQueue(tenantId: string, id: string): Promise<boolean> {
    const r = await this.#scope(tenantId).deleteFrom('routing_queue').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async agents(tenantId: string): Promise<StoredAgent[]> {
    const rows = await this.#scope(tenantId).selectFrom('routing_agent').selectAll().execute();
    return rows.map((r) => ({
      id: r.user_id, skills: JSON.parse(r.skills) as Record<string, number>, capacity: JSON.parse(r.capacity) as Partial<Record<Channel, number>>,
      state: r.state as AgentState, reason: r.reason, stateSince: r.state_since,
    }));
  }

  async putAgent(tenantId: string, a: StoredAgent, now: number): Promise<void> {
    const s = this.#scope(tenantId);
    const values = { skills: JSON.stringify(a.skills), capacity: JSON.stringify(a.capacity), state: a.state, reason: a.reason, state_since: a.stateSince, updated_at: iso(now) };
    const r = await s.updateTable('routing_agent').set(values).where('user_id', '=', a.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await s.insertInto('routing_agent', { user_id: a.id, ...values }).execute();
  }

  async contacts(tenantId: string): Promise<StoredContact[]> {
    const rows = await this.#scope(tenantId).selectFrom('routing_contact').selectAll().orderBy('enqueued_at').execute();
    return rows.map((r) => {
      const data = JSON.parse(r.data) as { kind?: 'contact' | 'callback'; data?: Record<string, unknown> };
      return {
        id: r.id, queueId: r.queue_id, channel: r.channel as Channel, enqueuedAt: Date.parse(r.enqueued_at), queuedAt: Date.parse(r.queued_at),
        priority: Number(r.priority), requirements: JSON.parse(r.requirements) as SkillRequirement[], state: r.state as StoredContact['state'],
        agentId: r.agent_id, kind: data.kind ?? 'contact', data: data.data ?? {},
      };
    });
  }

  async putContact(tenantId: string, c: StoredContact): Promise<void> {
    const s = this.#scope(tenantId);
    const values = {
      queue_id: c.queueId, channel: c.channel, enqueued_at: iso(c.enqueuedAt), queued_at: iso(c.queuedAt), priority: c.priority,
      requirements: JSON.stringify(c.requirements), state: c.state, agent_id: c.agentId, data: JSON.stringify({ kind: c.kind, data: c.data }),
    };
    const r = await s.updateTable('routing_contact').set(values).where('id', '=', c.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await s.insertInto('routing_contact', { id: c.id, ...values }).execute();
  }

  async setContactState(tenantId: string, id: string, state: StoredContact['state'], agentId: string | null, queueId?: string, queuedAt?: number): Promise<void> {
    await this.#scope(tenantId).updateTable('routing_contact')
      .set({ state, agent_id: agentId, ...(queueId ? { queue_id: queueId } : {}), ...(queuedAt ? { queued_at: iso(queuedAt) } : {}) })
      .where('id', '=', id).execute();
  }

  async removeContact(tenantId: string, id: string): Promise<void> {
    await this.#scope(tenantId).deleteFrom('routing_contact').where('id', '=', id).execute();
  }
}
