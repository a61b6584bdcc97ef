// Customers in SQLite/PostgreSQL (tables crm_*), every query through TenantScope. Identities are unique
// per tenant on (kind, value); lookups by identity, duplicate rules and lists each use an index.
import { sql, type Kysely } from 'kysely';
import { newId } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import {
  IDENTITY_KINDS, isIdentityKind, type Consent, type ConsentKind, type Customer, type FieldDefinition, type FieldType, type FieldValue, type Identity, type LegalHold, type Note,
} from './customer-model.ts';
import type { NormalizedIdentity } from './identity.ts';
import type { MergeMoves, Profile } from './merge-plan.ts';
import { nameKey, searchKey } from './profile.ts';
import type { TimelineEntry, TimelineSource } from './timeline.ts';

export interface CrmTables {
  crm_customer: {
    id: string; tenant_id: string; name: string | null; company: string | null; language: string | null; time_zone: string | null;
    fields: string; search_name: string | null; search_company: string | null; name_key: string | null;
    consent_recording: number | null; consent_recording_at: string | null; consent_marketing: number | null; consent_marketing_at: string | null;
    legal_hold_reason: string | null; legal_hold_since: string | null; merged_into: string | null; merged_at: string | null;
    erased_at: string | null; erased_by: string | null; erase_reason: string | null; created_at: string; updated_at: string;
  };
  crm_identity: {
    id: string; tenant_id: string; customer_id: string; kind: string; value: string; original: string; match_key: string | null; created_at: string;
  };
  crm_tag: { tenant_id: string; customer_id: string; tag: string };
  crm_note: { id: string; tenant_id: string; customer_id: string; author_id: string | null; author_name: string; body: string; at: string };
  crm_field: { tenant_id: string; key: string; label: string; type: string; options: string; required: number; position: number; updated_at: string };
  crm_setting: { tenant_id: string; key: string; value: string | null; updated_at: string };
  crm_merge: {
    id: string; tenant_id: string; survivor_id: string; merged_id: string; moved: string; at: string; actor_id: string | null;
    undone_at: string | null; undone_by: string | null;
  };
  crm_idempotency: {
    tenant_id: string; key: string; fingerprint: string; customer_id: string | null; status: number | null; response: string | null; created_at: string;
  };
}

type CustomerRow = CrmTables['crm_customer'];
type IdentityRow = CrmTables['crm_identity'];

/** What a merge moved, as kept in crm_merge.moved (ids and attribute names only, no personal data). */
export interface MergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  moved: MergeMoves & { identityIds: string[]; noteIds: string[] };
  at: string;
  undoneAt: string | null;
}

export interface IdempotencyRecord {
  fingerprint: string;
  customerId: string | null;
  status: number | null;
  response: string | null;
  createdAt: string;
}

export interface CustomerFilter {
  /** Customers carrying this tag. */
  tag?: string | undefined;
  /** Prefix of the name, the company, or an identity's normalized value (case-insensitive). */
  q?: string | undefined;
  /** Changed at or after this ISO time. */
  updatedSince?: string | undefined;
}

/** Position in the list order (created_at, then id, both descending). */
export interface ListPosition {
  createdAt: string;
  id: string;
}

/** Two customers that may be one person, and the rules that matched (see README.md). */
export interface DuplicatePair {
  a: string;
  b: string;
  reason: 'phone_last_digits' | 'email_mailbox' | 'name_company';
}

const consentOf = (given: number | null, at: string | null): Consent => ({ given: given === null ? null : Number(given) === 1, at });
const bit = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

function toIdentity(r: IdentityRow): Identity {
  if (!isIdentityKind(r.kind)) throw new Error(`crm_identity ${r.id} has an unknown kind`);
  return { id: r.id, kind: r.kind, value: r.value, original: r.original, createdAt: r.created_at };
}

/** Oldest first; identities added together by kind (phone, email, then channel ids), then value. */
const identityOrder = (a: Identity, b: Identity) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1)
    : a.kind !== b.kind ? IDENTITY_KINDS.indexOf(a.kind) - IDENTITY_KINDS.indexOf(b.kind)
      : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;

function toCustomer(r: CustomerRow, identities: Identity[], tags: string[]): Customer {
  return {
    id: r.id, name: r.name, company: r.company, language: r.language, timeZone: r.time_zone,
    tags, fields: JSON.parse(r.fields) as Record<string, FieldValue>,
    consent: { recording: consentOf(r.consent_recording, r.consent_recording_at), marketing: consentOf(r.consent_marketing, r.consent_marketing_at) },
    identities,
    legalHold: r.legal_hold_reason !== null && r.legal_hold_since !== null ? { reason: r.legal_hold_reason, since: r.legal_hold_since } : null,
    mergedInto: r.merged_into, erasedAt: r.erased_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** The columns a profile is stored in, with the keys search and duplicate rules compare. */
function profileColumns(p: Profile) {
  const consent = (k: ConsentKind) => p.consent[k];
  return {
    name: p.name, company: p.company, language: p.language, time_zone: p.timeZone, fields: JSON.stringify(p.fields),
    search_name: searchKey(p.name), search_company: searchKey(p.company), name_key: nameKey(p.name, p.company),
    consent_recording: bit(consent('recording').given), consent_recording_at: consent('recording').at,
    consent_marketing: bit(consent('marketing').given), consent_marketing_at: consent('marketing').at,
  };
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** True for a unique-index violation on either dialect (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown } | null;
  return e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555;
}

/** The screen-pop query: the customer owning (kind, value), through the unique index crm_identity_value. */
export const identityLookup = (scope: TenantScope<CrmTables>, kind: string, value: string) =>
  scope.selectFrom('crm_identity')
    .innerJoin('crm_customer', 'crm_customer.id', 'crm_identity.customer_id')
    .selectAll('crm_customer')
    .where('crm_identity.kind', '=', kind)
    .where('crm_identity.value', '=', value);

/**
 * Customers sharing a phone's last national digits or an e-mail mailbox: each identity probes the index
 * crm_identity_match for others of its kind and key (both orders of a pair come back; merged and erased
 * customers hold no identities).
 */
export const identityDuplicates = (scope: TenantScope<CrmTables>, limit: number) =>
  scope.selectFrom('crm_identity')
    .innerJoin('crm_identity as other', (j) => j
      .onRef('other.tenant_id', '=', 'crm_identity.tenant_id')
      .onRef('other.kind', '=', 'crm_identity.kind')
      .onRef('other.match_key', '=', 'crm_identity.match_key')
      .onRef('other.customer_id', '<>', 'crm_identity.customer_id'))
    .select(['crm_identity.customer_id as a', 'other.customer_id as b', 'crm_identity.kind as kind'])
    .where('crm_identity.match_key', 'is not', null)
    .where('crm_identity.kind', 'in', ['phone', 'email'])
    .distinct()
    .orderBy('a').orderBy('b').orderBy('kind')
    .limit(limit);

/** Active customers with the same name and company, through the index crm_customer_name_key. */
export const nameDuplicates = (scope: TenantScope<CrmTables>, limit: number) =>
  scope.selectFrom('crm_customer')
    .innerJoin('crm_customer as other', (j) => j
      .onRef('other.tenant_id', '=', 'crm_customer.tenant_id')
      .onRef('other.name_key', '=', 'crm_customer.name_key')
      .onRef('other.id', '>', 'crm_customer.id'))
    .select(['crm_customer.id as a', 'other.id as b'])
    .where('crm_customer.name_key', 'is not', null)
    .where('crm_customer.merged_into', 'is', null).where('other.merged_into', 'is', null)
    .where('crm_customer.erased_at', 'is', null).where('other.erased_at', 'is', null)
    .orderBy('a').orderBy('b')
    .limit(limit);

/** One tenant's customer tables; `transaction` hands out the same API bound to a transaction. */
export class CustomerStore {
  readonly #scope: TenantScope<CrmTables>;

  constructor(scope: TenantScope<CrmTables>) {
    this.#scope = scope;
  }

  static of(db: SqlDatabase, tenantId: string): CustomerStore {
    return new CustomerStore(new TenantScope(tables<CrmTables>(db), tenantId));
  }

  transaction<R>(fn: (store: CustomerStore) => Promise<R>): Promise<R> {
    return this.#scope.transaction((scope) => fn(new CustomerStore(scope)));
  }

  async #hydrate(rows: CustomerRow[]): Promise<Customer[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [identities, tags] = await Promise.all([
      this.#scope.selectFrom('crm_identity').selectAll().where('customer_id', 'in', ids).execute(),
      this.#scope.selectFrom('crm_tag').select(['customer_id', 'tag']).where('customer_id', 'in', ids).orderBy('tag').execute(),
    ]);
    return rows.map((r) => toCustomer(
      r,
      identities.filter((i) => i.customer_id === r.id).map(toIdentity).sort(identityOrder),
      tags.filter((t) => t.customer_id === r.id).map((t) => t.tag),
    ));
  }

  async get(id: string): Promise<Customer | undefined> {
    const row = await this.#scope.selectFrom('crm_customer').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.#hydrate([row]))[0] : undefined;
  }

  async getMany(ids: string[]): Promise<Customer[]> {
    if (ids.length === 0) return [];
    const rows = await this.#scope.selectFrom('crm_customer').selectAll().where('id', 'in', ids).execute();
    const byId = new Map((await this.#hydrate(rows)).map((c) => [c.id, c]));
    return ids.map((id) => byId.get(id)).filter((c): c is Customer => c !== undefined);
  }

  async mergedInto(id: string): Promise<{ mergedInto: string | null } | undefined> {
    const row = await this.#scope.selectFrom('crm_customer').select('merged_into').where('id', '=', id).executeTakeFirst();
    return row ? { mergedInto: row.merged_into } : undefined;
  }

  /** Ids whose merged_into is one of `ids` (one level of the merge tree). */
  async mergedChildren(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.#scope.selectFrom('crm_customer').select('id').where('merged_into', 'in', ids).orderBy('merged_at').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async insert(id: string, profile: Profile, now: string): Promise<void> {
    await this.#scope.insertInto('crm_customer', {
      id, ...profileColumns(profile), legal_hold_reason: null, legal_hold_since: null, merged_into: null, merged_at: null,
      erased_at: null, erased_by: null, erase_reason: null, created_at: now, updated_at: now,
    }).execute();
    await this.#setTags(id, profile.tags);
  }

  async updateProfile(id: string, profile: Profile, now: string): Promise<void> {
    await this.#scope.updateTable('crm_customer').set({ ...profileColumns(profile), updated_at: now }).where('id', '=', id).execute();
    await this.#setTags(id, profile.tags);
  }

  async touch(id: string, now: string): Promise<void> {
    await this.#scope.updateTable('crm_customer').set({ updated_at: now }).where('id', '=', id).execute();
  }

  async #setTags(id: string, tags: readonly string[]): Promise<void> {
    const have = (await this.#scope.selectFrom('crm_tag').select('tag').where('customer_id', '=', id).execute()).map((r) => r.tag);
    const gone = have.filter((t) => !tags.includes(t));
    const added = tags.filter((t) => !have.includes(t));
    if (gone.length > 0) await this.#scope.deleteFrom('crm_tag').where('customer_id', '=', id).where('tag', 'in', gone).execute();
    if (added.length > 0) await this.#scope.insertInto('crm_tag', added.map((tag) => ({ customer_id: id, tag }))).execute();
  }

  async identityOwner(kind: string, value: string): Promise<string | undefined> {
    const row = await this.#scope.selectFrom('crm_identity').select('customer_id').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
    return row?.customer_id;
  }

  async insertIdentity(customerId: string, n: NormalizedIdentity, now: string): Promise<void> {
    await this.#scope.insertInto('crm_identity', {
      id: newId(), customer_id: customerId, kind: n.kind, value: n.value, original: n.original, match_key: n.matchKey, created_at: now,
    }).execute();
  }

  async deleteIdentity(customerId: string, identityId: string): Promise<boolean> {
    const r = await this.#scope.deleteFrom('crm_identity').where('id', '=', identityId).where('customer_id', '=', customerId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async resolve(kind: string, value: string): Promise<Customer | undefined> {
    const row = await identityLookup(this.#scope, kind, value).executeTakeFirst();
    return row ? (await this.#hydrate([row]))[0] : undefined;
  }

  /** A page of active customers (not merged, not erased), newest first, after `after`. */
  /** `identityPrefixes`: more prefixes an identity value may start with (a phone number as typed, in E.164). */
  async list(filter: CustomerFilter, limit: number, after: ListPosition | undefined, identityPrefixes: readonly string[] = []): Promise<Customer[]> {
    let q = this.#scope.selectFrom('crm_customer').selectAll('crm_customer').where('crm_customer.merged_into', 'is', null).where('crm_customer.erased_at', 'is', null);
    if (filter.tag !== undefined) {
      const tag = filter.tag;
      q = q.where((eb) => eb.exists(this.#scope.selectFrom('crm_tag').select('crm_tag.tag').where('crm_tag.customer_id', '=', sql.ref<string>('crm_customer.id')).where('crm_tag.tag', '=', tag)));
    }
    if (filter.updatedSince !== undefined) q = q.where('crm_customer.updated_at', '>=', filter.updatedSince);
    const text = searchKey(filter.q ?? null);
    if (text) {
      const prefix = likePrefix(text);
      const values = [prefix, ...identityPrefixes.map((p) => likePrefix(p.toLowerCase()))];
      q = q.where((eb) => eb.or([
        sql<boolean>`${sql.ref('crm_customer.search_name')} like ${prefix} escape '\\'`,
        sql<boolean>`${sql.ref('crm_customer.search_company')} like ${prefix} escape '\\'`,
        eb.exists(this.#scope.selectFrom('crm_identity').select('crm_identity.id').where('crm_identity.customer_id', '=', sql.ref<string>('crm_customer.id'))
          .where((ib) => ib.or(values.map((v) => sql<boolean>`lower(${sql.ref('crm_identity.value')}) like ${v} escape '\\'`)))),
      ]));
    }
    if (after) {
      q = q.where((eb) => eb.or([
        eb('crm_customer.created_at', '<', after.createdAt),
        eb.and([eb('crm_customer.created_at', '=', after.createdAt), eb('crm_customer.id', '<', after.id)]),
      ]));
    }
    const rows = await q.orderBy('crm_customer.created_at', 'desc').orderBy('crm_customer.id', 'desc').limit(limit).execute();
    return this.#hydrate(rows);
  }

  async moveIdentities(fromId: string, toId: string): Promise<string[]> {
    const ids = (await this.#scope.selectFrom('crm_identity').select('id').where('customer_id', '=', fromId).execute()).map((r) => r.id);
    if (ids.length > 0) await this.#scope.updateTable('crm_identity').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
    return ids;
  }

  async moveNotes(fromId: string, toId: string): Promise<string[]> {
    const ids = (await this.#scope.selectFrom('crm_note').select('id').where('customer_id', '=', fromId).execute()).map((r) => r.id);
    if (ids.length > 0) await this.#scope.updateTable('crm_note').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
    return ids;
  }

  /** Moves back the listed identities and notes that are still on `fromId`. */
  async moveBack(identityIds: string[], noteIds: string[], fromId: string, toId: string): Promise<void> {
    for (const chunk of chunks(identityIds)) {
      await this.#scope.updateTable('crm_identity').set({ customer_id: toId }).where('customer_id', '=', fromId).where('id', 'in', chunk).execute();
    }
    for (const chunk of chunks(noteIds)) {
      await this.#scope.updateTable('crm_note').set({ customer_id: toId }).where('customer_id', '=', fromId).where('id', 'in', chunk).execute();
    }
  }

  async setMergedInto(id: string, into: string | null, now: string): Promise<void> {
    await this.#scope.updateTable('crm_customer').set({ merged_into: into, merged_at: into ? now : null, updated_at: now }).where('id', '=', id).execute();
  }

  async insertMerge(rec: Omit<MergeRecord, 'undoneAt'>, actorId: string | null): Promise<void> {
    await this.#scope.insertInto('crm_merge', {
      id: rec.id, survivor_id: rec.survivorId, merged_id: rec.mergedId, moved: JSON.stringify(rec.moved), at: rec.at, actor_id: actorId,
      undone_at: null, undone_by: null,
    }).execute();
  }

  async getMerge(id: string): Promise<MergeRecord | undefined> {
    const r = await this.#scope.selectFrom('crm_merge').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, survivorId: r.survivor_id, mergedId: r.merged_id, moved: JSON.parse(r.moved) as MergeRecord['moved'], at: r.at, undoneAt: r.undone_at } : undefined;
  }

  async markMergeUndone(id: string, now: string, by: string | null): Promise<void> {
    await this.#scope.updateTable('crm_merge').set({ undone_at: now, undone_by: by }).where('id', '=', id).execute();
  }

  async setLegalHold(id: string, hold: LegalHold | null, now: string): Promise<void> {
    await this.#scope.updateTable('crm_customer')
      .set({ legal_hold_reason: hold?.reason ?? null, legal_hold_since: hold?.since ?? null, updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * Overwrites the personal data of `ids`: profile, custom fields and note bodies become empty, identities
   * and tags are deleted (so their values are free again), stored idempotent responses are dropped.
   * The rows stay as tombstones with when, by whom and why.
   */
  async erase(ids: string[], t: { at: string; by: string | null; reason: string }): Promise<void> {
    for (const chunk of chunks(ids)) {
      await this.#scope.updateTable('crm_customer').set({
        name: null, company: null, language: null, time_zone: null, fields: '{}', search_name: null, search_company: null, name_key: null,
        consent_recording: null, consent_recording_at: null, consent_marketing: null, consent_marketing_at: null,
        legal_hold_reason: null, legal_hold_since: null, erased_at: t.at, erased_by: t.by, erase_reason: t.reason, updated_at: t.at,
      }).where('id', 'in', chunk).execute();
      await this.#scope.deleteFrom('crm_identity').where('customer_id', 'in', chunk).execute();
      await this.#scope.deleteFrom('crm_tag').where('customer_id', 'in', chunk).execute();
      await this.#scope.updateTable('crm_note').set({ body: '' }).where('customer_id', 'in', chunk).execute();
      await this.#scope.deleteFrom('crm_idempotency').where('customer_id', 'in', chunk).execute();
    }
  }

  async insertNote(n: Note): Promise<void> {
    await this.#scope.insertInto('crm_note', { id: n.id, customer_id: n.customerId, author_id: n.authorId, author_name: n.authorName, body: n.body, at: n.at }).execute();
  }

  async fields(): Promise<FieldDefinition[]> {
    const rows = await this.#scope.selectFrom('crm_field').selectAll().orderBy('position').execute();
    return rows.map((r) => ({ key: r.key, label: r.label, type: r.type as FieldType, options: JSON.parse(r.options) as string[], required: Number(r.required) === 1 }));
  }

  async replaceFields(defs: readonly FieldDefinition[], now: string): Promise<void> {
    await this.#scope.deleteFrom('crm_field').execute();
    if (defs.length === 0) return;
    await this.#scope.insertInto('crm_field', defs.map((d, position) => ({
      key: d.key, label: d.label, type: d.type, options: JSON.stringify(d.options), required: d.required ? 1 : 0, position, updated_at: now,
    }))).execute();
  }

  async setting(key: string): Promise<string | null> {
    const row = await this.#scope.selectFrom('crm_setting').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async putSetting(key: string, value: string | null, now: string): Promise<void> {
    const r = await this.#scope.updateTable('crm_setting').set({ value, updated_at: now }).where('key', '=', key).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await this.#scope.insertInto('crm_setting', { key, value, updated_at: now }).execute();
  }

  /** Pairs of active customers matched by a duplicate rule, each pair once (a < b). */
  async duplicatePairs(limit: number): Promise<DuplicatePair[]> {
    const identityPairs = (await identityDuplicates(this.#scope, limit * 2).execute()).filter((p) => p.a < p.b);
    const namePairs = await nameDuplicates(this.#scope, limit).execute();
    return [
      ...identityPairs.map((p): DuplicatePair => ({ a: p.a, b: p.b, reason: p.kind === 'phone' ? 'phone_last_digits' : 'email_mailbox' })),
      ...namePairs.map((p): DuplicatePair => ({ a: p.a, b: p.b, reason: 'name_company' })),
    ];
  }

  async idempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const r = await this.#scope.selectFrom('crm_idempotency').selectAll().where('key', '=', key).executeTakeFirst();
    return r ? { fingerprint: r.fingerprint, customerId: r.customer_id, status: r.status === null ? null : Number(r.status), response: r.response, createdAt: r.created_at } : undefined;
  }

  /** Claims a key for a request in progress; false when the key is already there. */
  async claimIdempotency(key: string, fingerprint: string, now: string): Promise<boolean> {
    try {
      await this.#scope.insertInto('crm_idempotency', { key, fingerprint, customer_id: null, status: null, response: null, created_at: now }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async completeIdempotency(key: string, customerId: string, status: number, response: string): Promise<void> {
    await this.#scope.updateTable('crm_idempotency').set({ customer_id: customerId, status, response }).where('key', '=', key).execute();
  }

  async releaseIdempotency(key: string): Promise<void> {
    await this.#scope.deleteFrom('crm_idempotency').where('key', '=', key).where('response', 'is', null).execute();
  }

  async purgeIdempotency(olderThan: string): Promise<void> {
    await this.#scope.deleteFrom('crm_idempotency').where('created_at', '<', olderThan).execute();
  }
}

function* chunks<T>(items: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const SUMMARY_CHARS = 140;

/** Notes as a timeline source: newest first, over the customer and the ids merged into it. */
export class NoteTimelineSource implements TimelineSource {
  readonly #db: Kysely<CrmTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<CrmTables>(db);
  }

  async entries(tenantId: string, customerIds: string[], opts: { before?: string; limit: number }): Promise<TimelineEntry[]> {
    if (customerIds.length === 0) return [];
    let q = new TenantScope(this.#db, tenantId).selectFrom('crm_note').selectAll().where('customer_id', 'in', customerIds);
    if (opts.before !== undefined) q = q.where('at', '<', opts.before);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'asc').limit(opts.limit).execute();
    return rows.map((r) => {
      const line = r.body.replace(/\s+/g, ' ').trim();
      return {
        at: r.at, kind: 'note', id: r.id, summary: line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line,
        data: { customerId: r.customer_id, authorId: r.author_id, authorName: r.author_name, body: r.body },
      };
    });
  }
}
