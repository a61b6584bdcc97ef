// IVR flows in SQLite/PostgreSQL (ivr_flow, ivr_flow_version): every save is a new version; one
// version at a time is published and is what callers hear. A version can only be published once
// it passes validation (shape and meaning, with the workspace's queues and calendars). Changes are
// audited; tenant-scoped.
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { validateFlow, type FlowDocument, type FlowIssue, type FlowReferences } from './flow-document.ts';
import type { PublishedFlow } from './interpreter.ts';

interface IvrTables {
  ivr_flow: { id: string; tenant_id: string; name: string; description: string | null; published_version: number | null; created_at: string; updated_at: string };
  ivr_flow_version: { flow_id: string; version: number; tenant_id: string; document: string; created_by: string | null; created_at: string; published_at: string | null };
}

export interface Flow {
  id: string;
  name: string;
  description: string | null;
  publishedVersion: number | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersion {
  version: number;
  document: unknown;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
  /** What stands between this version and publishing (empty: it can be published). */
  issues: FlowIssue[];
}

export interface FlowActor { userId: string | null; name: string; ip?: string | null }

export interface FlowsDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
  /** The workspace's queues and calendars, for checking what a flow names. */
  references(tenantId: string): FlowReferences;
}

export class Flows {
  readonly #db: Kysely<IvrTables>;
  readonly #d: FlowsDeps;

  constructor(deps: FlowsDeps) {
    this.#db = tables<IvrTables>(deps.db);
    this.#d = deps;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  #now(): string {
    return new Date(this.#d.clock.now()).toISOString();
  }

  async list(tenantId: string): Promise<Flow[]> {
    const s = this.#scope(tenantId);
    const rows = await s.selectFrom('ivr_flow').selectAll().orderBy('name').execute();
    const latest = await s.selectFrom('ivr_flow_version').select(['flow_id']).select((eb) => eb.fn.max('version').as('v')).groupBy('flow_id').execute();
    const byFlow = new Map(latest.map((r) => [r.flow_id, Number(r.v)]));
    return rows.map((r) => this.#toFlow(r, byFlow.get(r.id) ?? 0));
  }

  #toFlow(r: IvrTables['ivr_flow'], latest: number): Flow {
    return {
      id: r.id, name: r.name, description: r.description, publishedVersion: r.published_version === null ? null : Number(r.published_version),
      latestVersion: latest, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  async get(tenantId: string, id: string): Promise<Flow> {
    const s = this.#scope(tenantId);
    const r = await s.selectFrom('ivr_flow').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('flow');
    const v = await s.selectFrom('ivr_flow_version').select((eb) => eb.fn.max('version').as('v')).where('flow_id', '=', id).executeTakeFirst();
    return this.#toFlow(r, Number(v?.v ?? 0));
  }

  /** A new flow with its first version (a draft until published). */
  async create(tenantId: string, input: { name: string; description?: string | null; document: unknown }, actor?: FlowActor): Promise<Flow> {
    const s = this.#scope(tenantId);
    if (await s.selectFrom('ivr_flow').select('id').where('name', '=', input.name).executeTakeFirst()) {
      throw new DomainError('SB_IVR_FLOW_EXISTS', 409, `a flow named ${input.name} already exists`);
    }
    const id = newId();
    const now = this.#now();
    await s.transaction(async (t) => {
      await t.insertInto('ivr_flow', { id, name: input.name, description: input.description ?? null, published_version: null, created_at: now, updated_at: now }).execute();
      await t.insertInto('ivr_flow_version', { flow_id: id, version: 1, document: JSON.stringify(input.document), created_by: actor?.userId ?? null, created_at: now, published_at: null }).execute();
    });
    await this.#record(tenantId, actor, 'ivr.flow.created', id, { name: input.name });
    return this.get(tenantId, id);
  }

  /** Saves a new version of the document; returns it with what would stop it being published. */
  async saveVersion(tenantId: string, id: string, document: unknown, actor?: FlowActor): Promise<FlowVersion> {
    const flow = await this.get(tenantId, id);
    const version = flow.latestVersion + 1;
    const now = this.#now();
    const s = this.#scope(tenantId);
    await s.insertInto('ivr_flow_version', { flow_id: id, version, document: JSON.stringify(document), created_by: actor?.userId ?? null, created_at: now, published_at: null }).execute();
    await s.updateTable('ivr_flow').set({ updated_at: now }).where('id', '=', id).execute();
    await this.#record(tenantId, actor, 'ivr.flow.saved', id, { version });
    return this.version(tenantId, id, version);
  }

  async version(tenantId: string, id: string, version: number): Promise<FlowVersion> {
    const r = await this.#scope(tenantId).selectFrom('ivr_flow_version').selectAll().where('flow_id', '=', id).where('version', '=', version).executeTakeFirst();
    if (!r) throw notFound('flow version');
    const document = JSON.parse(r.document) as unknown;
    const check = await validateFlow(document, this.#d.references(tenantId));
    return {
      version: Number(r.version), document, createdAt: r.created_at, createdBy: r.created_by, publishedAt: r.published_at,
      issues: check.ok ? [] : check.issues,
    };
  }

  /** Publishes a version (default: the latest); 422 with every issue when it is not valid. */
  async publish(tenantId: string, id: string, version?: number, actor?: FlowActor): Promise<Flow> {
    const flow = await this.get(tenantId, id);
    const v = await this.version(tenantId, id, version ?? flow.latestVersion);
    if (v.issues.length > 0) {
      throw new DomainError('SB_IVR_FLOW_INVALID', 422, `flow version ${v.version} cannot be published: ${v.issues[0]!.path} ${v.issues[0]!.message}`, { issues: v.issues, field: v.issues[0]!.path });
    }
    const now = this.#now();
    const s = this.#scope(tenantId);
    await s.transaction(async (t) => {
      await t.updateTable('ivr_flow_version').set({ published_at: now }).where('flow_id', '=', id).where('version', '=', v.version).execute();
      await t.updateTable('ivr_flow').set({ published_version: v.version, updated_at: now }).where('id', '=', id).execute();
    });
    await this.#record(tenantId, actor, 'ivr.flow.published', id, { version: v.version });
    return this.get(tenantId, id);
  }

  /** The version callers hear, or undefined when none is published (or the flow is gone). */
  async published(tenantId: string, id: string): Promise<PublishedFlow | undefined> {
    const s = this.#scope(tenantId);
    const f = await s.selectFrom('ivr_flow').select(['published_version']).where('id', '=', id).executeTakeFirst();
    if (!f || f.published_version === null) return undefined;
    const r = await s.selectFrom('ivr_flow_version').select(['document']).where('flow_id', '=', id).where('version', '=', f.published_version).executeTakeFirst();
    if (!r) return undefined;
    return { id, version: Number(f.published_version), document: JSON.parse(r.document) as FlowDocument };
  }

  async remove(tenantId: string, id: string, actor?: FlowActor): Promise<void> {
    const s = this.#scope(tenantId);
    const deleted = await s.transaction(async (t) => {
      await t.deleteFrom('ivr_flow_version').where('flow_id', '=', id).execute();
      return t.deleteFrom('ivr_flow').where('id', '=', id).executeTakeFirst();
    });
    if (Number(deleted.numDeletedRows) === 0) throw notFound('flow');
    await this.#record(tenantId, actor, 'ivr.flow.deleted', id, {});
  }

  #record(tenantId: string, actor: FlowActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#d.audit.append({ tenantId, action, targetType: 'ivr_flow', targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null });
  }
}
