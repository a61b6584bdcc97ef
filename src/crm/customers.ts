// Customers: one customer across every channel. Identities resolve to their customer (the screen pop),
// profiles are validated, duplicates suggested, merges recorded so that an admin can undo them, and a
// customer's personal data can be erased unless a legal hold applies. Every change is audited with ids
// only; events go out after the commit.
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, IDEMPOTENCY_TTL_MS, newId, notFound, runOnce, type Clock, type EventPublisher, type IdempotencyKeys } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import type { CrmEvents } from './crm-events.ts';
import { applyFieldChanges, checkDefinitions, parseCell, type FieldDefinitionInput } from './custom-fields.ts';
import { readCustomerCsv, writeCustomerCsv, type CsvCustomerRow } from './customer-csv.ts';
import {
  CONSENT_KINDS, type CrmActor, type CrmSettings, type Customer, type CustomerChanges, type FieldDefinition, type FieldValue, type IdentityInput,
  type NewCustomer, type Note,
} from './customer-model.ts';
import { CustomerStore, isUniqueViolation, NoteTimelineSource, type CustomerFilter, type DuplicatePair, type ListPosition } from './customer-store.sql.ts';
import { normalizeIdentity, normalizeRegion, phoneSearchPrefixes, tryNormalizeIdentity, type NormalizedIdentity } from './identity.ts';
import { planMerge, planUnmerge, type Profile } from './merge-plan.ts';
import { normalizeLanguage, normalizeTags, normalizeText, normalizeTimeZone } from './profile.ts';
import { cutPage, parseCursor, sourceQuery, type TimelinePage, type TimelineSource } from './timeline.ts';

export interface CustomersDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
  bus: EventPublisher<CrmEvents>;
}

export interface CustomerQuery extends CustomerFilter {
  /** 1 to 200, default 50. */
  limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** Newest customer first (created_at, then id, descending): a stable order, new customers only appear on the first page. */
export interface CustomerPage {
  items: Customer[];
  nextCursor: string | null;
}

export interface DuplicateSuggestion {
  customers: { id: string; name: string | null; company: string | null }[];
  reasons: DuplicatePair['reason'][];
}

export interface ImportRowReport {
  row: number;
  outcome: 'created' | 'updated' | 'rejected';
  customerId?: string;
  reason?: string;
}

export interface ImportReport {
  rows: ImportRowReport[];
  created: number;
  updated: number;
  rejected: number;
}

/** What `createOnce` answers: the first answer for a key, replayed for 24 h. */
export interface IdempotentCreate {
  status: number;
  customer: Customer;
  replayed: boolean;
}

export { IDEMPOTENCY_TTL_MS };
export const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;
const MAX_NOTE = 10_000;
const MAX_REASON = 500;
/** Merge chains are short; a longer one is a broken row, not a customer. */
const MAX_CHAIN = 64;
const REGION = 'default_region';

const EMPTY_PROFILE: Profile = {
  name: null, company: null, language: null, timeZone: null, tags: [], fields: {},
  consent: { recording: { given: null, at: null }, marketing: { given: null, at: null } },
};

const profileOf = (c: Customer): Profile =>
  ({ name: c.name, company: c.company, language: c.language, timeZone: c.timeZone, tags: c.tags, fields: c.fields, consent: c.consent });

function changedAttributes(a: Profile, b: Profile): string[] {
  const out: string[] = [];
  for (const k of ['name', 'company', 'language', 'timeZone'] as const) if (a[k] !== b[k]) out.push(k);
  if (a.tags.join('\u0000') !== b.tags.join('\u0000')) out.push('tags');
  const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  for (const k of keys) if (a.fields[k] !== b.fields[k]) out.push(`fields.${k}`);
  for (const k of CONSENT_KINDS) if (a.consent[k].given !== b.consent[k].given || a.consent[k].at !== b.consent[k].at) out.push(`consent.${k}`);
  return out;
}

/** The customer tables' idempotency keys as the kernel's port. */
const idempotencyKeys = (store: CustomerStore): IdempotencyKeys => ({
  purge: (olderThan) => store.purgeIdempotency(olderThan),
  claim: (key, fingerprint, now) => store.claimIdempotency(key, fingerprint, now),
  get: (key) => store.idempotency(key),
  complete: (key, customerId, status, response) => store.completeIdempotency(key, customerId, status, response),
  release: (key) => store.releaseIdempotency(key),
});

const identityKey = (n: NormalizedIdentity) => `${n.kind}\u0000${n.value}`;

function dedupe(list: NormalizedIdentity[]): NormalizedIdentity[] {
  const seen = new Set<string>();
  return list.filter((n) => (seen.has(identityKey(n)) ? false : (seen.add(identityKey(n)), true)));
}

const taken = (owner: string, kind: string, field?: string) =>
  new DomainError('SB_CRM_IDENTITY_TAKEN', 409, `this ${kind} identity already belongs to customer ${owner}`, { customerId: owner, kind, ...(field ? { field } : {}) });
const mergedError = (c: Customer) =>
  new DomainError('SB_CRM_MERGED', 409, `customer ${c.id} was merged into customer ${c.mergedInto}`, { customerId: c.mergedInto });
const erasedError = (id: string) => new DomainError('SB_CRM_ERASED', 409, `customer ${id} was erased`, { customerId: id });

function encodeListCursor(p: ListPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

function decodeListCursor(cursor: string | undefined): ListPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { createdAt: v[0], id: v[1] };
  } catch { /* falls through to the error below */ }
  throw new DomainError('SB_VALIDATION', 400, 'cursor is not a cursor from a previous page', { field: 'cursor' });
}

export class Customers {
  readonly #db: SqlDatabase;
  readonly #clock: Clock;
  readonly #audit: CustomersDeps['audit'];
  readonly #bus: EventPublisher<CrmEvents>;
  readonly #sources: TimelineSource[];

  constructor(deps: CustomersDeps) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#audit = deps.audit;
    this.#bus = deps.bus;
    this.#sources = [new NoteTimelineSource(deps.db)];
  }

  #store(tenantId: string): CustomerStore {
    return CustomerStore.of(this.#db, tenantId);
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  /** Adds a timeline source (interactions, tickets, ...); returns a function that removes it. */
  addTimelineSource(source: TimelineSource): () => void {
    this.#sources.push(source);
    return () => {
      const i = this.#sources.indexOf(source);
      if (i >= 0) this.#sources.splice(i, 1);
    };
  }

  // ---- settings and custom field definitions

  async settings(tenantId: string): Promise<CrmSettings> {
    return { defaultRegion: await this.#store(tenantId).setting(REGION) };
  }

  async updateSettings(tenantId: string, s: Partial<CrmSettings>, actor?: CrmActor): Promise<CrmSettings> {
    if (s.defaultRegion !== undefined) {
      const region = s.defaultRegion === null ? null : normalizeRegion(s.defaultRegion);
      await this.#store(tenantId).putSetting(REGION, region, this.#now());
      await this.#record(tenantId, actor, 'crm.settings_changed', tenantId, { defaultRegion: region }, 'crm_settings');
    }
    return this.settings(tenantId);
  }

  fields(tenantId: string): Promise<FieldDefinition[]> {
    return this.#store(tenantId).fields();
  }

  /** Replaces the workspace's custom field definitions; values already stored are kept and checked when next written. */
  async defineFields(tenantId: string, defs: readonly FieldDefinitionInput[], actor?: CrmActor): Promise<FieldDefinition[]> {
    const checked = checkDefinitions(defs);
    await this.#store(tenantId).transaction((tx) => tx.replaceFields(checked, this.#now()));
    await this.#record(tenantId, actor, 'crm.fields_changed', tenantId, { keys: checked.map((d) => d.key) }, 'crm_fields');
    return checked;
  }

  // ---- reading

  async get(tenantId: string, id: string): Promise<Customer> {
    const c = await this.#store(tenantId).get(id);
    if (!c) throw notFound('customer');
    return c;
  }

  /** The customer owning an identity (raw phone strings and SIP/tel URIs accepted); undefined when none, or the value is no valid identity. */
  async resolve(tenantId: string, input: IdentityInput): Promise<Customer | undefined> {
    const store = this.#store(tenantId);
    const n = tryNormalizeIdentity(input, { defaultRegion: await store.setting(REGION) });
    return n ? store.resolve(n.kind, n.value) : undefined;
  }

  /** Like `resolve`, but an invalid value is a 400 and no customer a 404. */
  async lookup(tenantId: string, input: IdentityInput): Promise<Customer> {
    const store = this.#store(tenantId);
    const n = normalizeIdentity(input, { defaultRegion: await store.setting(REGION) });
    const c = await store.resolve(n.kind, n.value);
    if (!c) throw notFound('customer');
    return c;
  }

  async list(tenantId: string, q: CustomerQuery = {}): Promise<CustomerPage> {
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const store = this.#store(tenantId);
    const after = decodeListCursor(q.cursor);
    const prefixes = q.q ? phoneSearchPrefixes(q.q, await store.setting(REGION)) : [];
    const rows = await store.list(q, limit + 1, after, prefixes);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeListCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  /** The customer an id stands for now: itself, or the end of its chain of merges. 404 for an unknown id. */
  async canonicalId(tenantId: string, id: string): Promise<string> {
    return this.#canonicalIn(this.#store(tenantId), id);
  }

  /** Every id merged into `survivorId`, directly or through a chain (not including it). */
  async mergedIds(tenantId: string, survivorId: string): Promise<string[]> {
    return this.#mergedIdsIn(this.#store(tenantId), survivorId);
  }

  async #canonicalIn(store: CustomerStore, id: string): Promise<string> {
    let current = id;
    for (let hop = 0; hop <= MAX_CHAIN; hop++) {
      const row = await store.mergedInto(current);
      if (!row) throw notFound('customer');
      if (row.mergedInto === null) return current;
      current = row.mergedInto;
    }
    throw new Error(`customer ${id}: merge chain longer than ${MAX_CHAIN}`);
  }

  async #mergedIdsIn(store: CustomerStore, survivorId: string): Promise<string[]> {
    const all: string[] = [];
    let frontier = [survivorId];
    for (let depth = 0; frontier.length > 0 && depth <= MAX_CHAIN; depth++) {
      frontier = (await store.mergedChildren(frontier)).filter((x) => x !== survivorId && !all.includes(x));
      all.push(...frontier);
    }
    return all;
  }

  /** Newest first over every source, for the customer and every id merged into it; `before` is the previous page's `nextCursor`. */
  async timeline(tenantId: string, id: string, opts: { before?: string | undefined; limit?: number | undefined } = {}): Promise<TimelinePage> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const cursor = opts.before === undefined ? undefined : parseCursor(opts.before);
    const store = this.#store(tenantId);
    const canonical = await this.#canonicalIn(store, id);
    const c = await store.get(canonical);
    if (!c) throw notFound('customer');
    if (c.erasedAt) return { items: [], nextCursor: null };
    const ids = [canonical, ...await this.#mergedIdsIn(store, canonical)];
    const query = sourceQuery(limit, cursor);
    const answers = await Promise.all(this.#sources.map((s) => s.entries(tenantId, ids, query)));
    return cutPage(answers, limit, cursor);
  }

  // ---- writing

  async #active(store: CustomerStore, id: string): Promise<Customer> {
    const c = await store.get(id);
    if (!c) throw notFound('customer');
    if (c.erasedAt) throw erasedError(id);
    if (c.mergedInto) throw mergedError(c);
    return c;
  }

  async #context(store: CustomerStore): Promise<{ defs: FieldDefinition[]; region: string | null }> {
    const [defs, region] = await Promise.all([store.fields(), store.setting(REGION)]);
    return { defs, region };
  }

  #prepare(base: Profile, ch: CustomerChanges, defs: readonly FieldDefinition[], creating: boolean, now: string): Profile {
    const p: Profile = { ...base, consent: { ...base.consent } };
    if (ch.name !== undefined) p.name = normalizeText(ch.name, 'name');
    if (ch.company !== undefined) p.company = normalizeText(ch.company, 'company');
    if (ch.language !== undefined) p.language = normalizeLanguage(ch.language);
    if (ch.timeZone !== undefined) p.timeZone = normalizeTimeZone(ch.timeZone);
    if (ch.tags !== undefined) p.tags = normalizeTags(ch.tags);
    p.fields = applyFieldChanges(defs, base.fields, ch.fields ?? {}, creating);
    for (const k of CONSENT_KINDS) {
      const given = ch.consent?.[k];
      if (given !== undefined && given !== p.consent[k].given) p.consent[k] = { given, at: given === null ? null : now };
    }
    return p;
  }

  /** Gives `customerId` the identities it does not have yet; one owned by another customer is a 409. */
  async #claim(store: CustomerStore, customerId: string, identities: readonly NormalizedIdentity[], now: string, fields?: readonly string[]): Promise<number> {
    let added = 0;
    for (const [i, n] of identities.entries()) {
      const owner = await store.identityOwner(n.kind, n.value);
      if (owner === customerId) continue;
      if (owner) throw taken(owner, n.kind, fields?.[i]);
      await store.insertIdentity(customerId, n, now);
      added++;
    }
    return added;
  }

  /** Runs `fn` in a transaction; a race on the identity index (two claims at once) becomes the same 409 as a claim checked in time. */
  async #write<R>(store: CustomerStore, identities: readonly NormalizedIdentity[], fn: (tx: CustomerStore) => Promise<R>): Promise<R> {
    try {
      return await store.transaction(fn);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      for (const n of identities) {
        const owner = await store.identityOwner(n.kind, n.value);
        if (owner) throw taken(owner, n.kind);
      }
      throw err;
    }
  }

  #normalizeAll(inputs: readonly IdentityInput[], region: string | null, field: (i: number) => string): NormalizedIdentity[] {
    return dedupe(inputs.map((x, i) => normalizeIdentity(x, { defaultRegion: region, field: field(i) })));
  }

  async create(tenantId: string, input: NewCustomer, actor?: CrmActor): Promise<Customer> {
    const store = this.#store(tenantId);
    const { defs, region } = await this.#context(store);
    const now = this.#now();
    const profile = this.#prepare(EMPTY_PROFILE, input, defs, true, now);
    const identities = this.#normalizeAll(input.identities ?? [], region, (i) => `identities.${i}.value`);
    const id = newId();
    await this.#write(store, identities, async (tx) => {
      await tx.insert(id, profile, now);
      await this.#claim(tx, id, identities, now, identities.map((_, i) => `identities.${i}.value`));
    });
    await this.#record(tenantId, actor, 'customer.created', id, { identities: identities.length });
    return this.get(tenantId, id);
  }

  /**
   * `create` under an idempotency key (draft-ietf-httpapi-idempotency-key-header): the same key with the
   * same body within 24 h answers the first answer again; another body is a 422, a request still running
   * a 409. Failures are not remembered, so a failed request may be retried with its key.
   */
  async createOnce(tenantId: string, key: string, input: NewCustomer, actor?: CrmActor): Promise<IdempotentCreate> {
    const r = await runOnce(idempotencyKeys(this.#store(tenantId)), { key, body: input, now: this.#clock.now(), codePrefix: 'SB_CRM' }, async () => {
      const customer = await this.create(tenantId, input, actor);
      return { status: 201, value: customer, id: customer.id };
    });
    return { status: r.status, customer: r.value, replayed: r.replayed };
  }

  async update(tenantId: string, id: string, changes: CustomerChanges, actor?: CrmActor): Promise<Customer> {
    const store = this.#store(tenantId);
    const { defs } = await this.#context(store);
    const now = this.#now();
    const changed = await store.transaction(async (tx) => {
      const c = await this.#active(tx, id);
      const next = this.#prepare(profileOf(c), changes, defs, false, now);
      const diff = changedAttributes(profileOf(c), next);
      if (diff.length > 0) await tx.updateProfile(id, next, now);
      return diff;
    });
    if (changed.length > 0) await this.#record(tenantId, actor, 'customer.updated', id, { changed });
    return this.get(tenantId, id);
  }

  async addIdentity(tenantId: string, id: string, input: IdentityInput, actor?: CrmActor): Promise<Customer> {
    const store = this.#store(tenantId);
    const n = normalizeIdentity(input, { defaultRegion: await store.setting(REGION) });
    const now = this.#now();
    const added = await this.#write(store, [n], async (tx) => {
      await this.#active(tx, id);
      const count = await this.#claim(tx, id, [n], now, ['value']);
      if (count > 0) await tx.touch(id, now);
      return count;
    });
    if (added > 0) await this.#record(tenantId, actor, 'customer.identity_added', id, { kind: n.kind });
    return this.get(tenantId, id);
  }

  async removeIdentity(tenantId: string, id: string, identityId: string, actor?: CrmActor): Promise<Customer> {
    const store = this.#store(tenantId);
    const now = this.#now();
    await store.transaction(async (tx) => {
      await this.#active(tx, id);
      if (!await tx.deleteIdentity(id, identityId)) throw notFound('identity');
      await tx.touch(id, now);
    });
    await this.#record(tenantId, actor, 'customer.identity_removed', id, { identityId });
    return this.get(tenantId, id);
  }

  async addNote(tenantId: string, id: string, body: string, actor: CrmActor): Promise<Note> {
    const text = body.normalize('NFC').trim();
    if (!text || text.length > MAX_NOTE) throw new DomainError('SB_VALIDATION', 400, `body must be 1 to ${MAX_NOTE} characters`, { field: 'body' });
    const store = this.#store(tenantId);
    const note: Note = { id: newId(), customerId: id, authorId: actor.userId, authorName: actor.name, body: text, at: this.#now() };
    await store.transaction(async (tx) => {
      await this.#active(tx, id);
      await tx.insertNote(note);
      await tx.touch(id, note.at);
    });
    await this.#record(tenantId, actor, 'customer.note_added', id, { noteId: note.id });
    return note;
  }

  async setLegalHold(tenantId: string, id: string, reason: string | null, actor?: CrmActor): Promise<Customer> {
    const store = this.#store(tenantId);
    const now = this.#now();
    const text = reason === null ? null : normalizeText(reason, 'reason', MAX_REASON);
    await store.transaction(async (tx) => {
      const c = await this.#active(tx, id);
      await tx.setLegalHold(id, text ? { reason: text, since: c.legalHold?.since ?? now } : null, now);
    });
    await this.#record(tenantId, actor, text ? 'customer.legal_hold_set' : 'customer.legal_hold_cleared', id, {});
    return this.get(tenantId, id);
  }

  // ---- merge

  /** Merges `mergedId` into `survivorId` (see merge-plan.ts for who wins); the merge can be undone with `unmerge`. */
  async merge(tenantId: string, survivorId: string, mergedId: string, actor?: CrmActor): Promise<{ mergeId: string; survivor: Customer }> {
    if (survivorId === mergedId) throw new DomainError('SB_CRM_MERGE_INVALID', 409, 'a customer cannot be merged into itself');
    const store = this.#store(tenantId);
    const now = this.#now();
    const mergeId = newId();
    await store.transaction(async (tx) => {
      const survivor = await this.#active(tx, survivorId);
      const merged = await this.#active(tx, mergedId);
      const plan = planMerge(profileOf(survivor), profileOf(merged));
      const identityIds = await tx.moveIdentities(mergedId, survivorId);
      const noteIds = await tx.moveNotes(mergedId, survivorId);
      await tx.updateProfile(survivorId, plan.profile, now);
      await tx.setMergedInto(mergedId, survivorId, now);
      await tx.insertMerge({ id: mergeId, survivorId, mergedId, moved: { ...plan.moves, identityIds, noteIds }, at: now }, actor?.userId ?? null);
    });
    await this.#record(tenantId, actor, 'customer.merged', survivorId, { mergedId, mergeId });
    this.#bus.publish('CustomersMerged', { tenantId, survivorId, mergedId, mergeId });
    return { mergeId, survivor: await this.get(tenantId, survivorId) };
  }

  /**
   * Undoes a merge: the identities and notes that moved and are still on the survivor go back, and what
   * the survivor took from the merged profile is cleared where it was not changed since. A survivor
   * that was itself merged later must be unmerged first.
   */
  async unmerge(tenantId: string, mergeId: string, actor?: CrmActor): Promise<{ survivor: Customer; restored: Customer }> {
    const store = this.#store(tenantId);
    const now = this.#now();
    const rec = await store.transaction(async (tx) => {
      const m = await tx.getMerge(mergeId);
      if (!m) throw notFound('merge');
      if (m.undoneAt) throw new DomainError('SB_CRM_MERGE_UNDONE', 409, `merge ${mergeId} was already undone`);
      const survivor = await tx.get(m.survivorId);
      const merged = await tx.get(m.mergedId);
      if (!survivor || !merged) throw notFound('customer');
      if (survivor.erasedAt || merged.erasedAt) throw erasedError(survivor.erasedAt ? survivor.id : merged.id);
      if (survivor.mergedInto) {
        throw new DomainError('SB_CRM_MERGE_NOT_REVERSIBLE', 409, `customer ${survivor.id} was since merged into ${survivor.mergedInto}: undo that merge first`, { customerId: survivor.mergedInto });
      }
      if (merged.mergedInto !== survivor.id) throw new DomainError('SB_CRM_MERGE_NOT_REVERSIBLE', 409, `customer ${merged.id} is no longer merged into ${survivor.id}`);
      const profile = planUnmerge(m.moved, profileOf(survivor), profileOf(merged));
      await tx.moveBack(m.moved.identityIds, m.moved.noteIds, survivor.id, merged.id);
      await tx.updateProfile(survivor.id, profile, now);
      await tx.setMergedInto(merged.id, null, now);
      await tx.markMergeUndone(mergeId, now, actor?.userId ?? null);
      return m;
    });
    await this.#record(tenantId, actor, 'customer.unmerged', rec.survivorId, { mergedId: rec.mergedId, mergeId });
    this.#bus.publish('CustomersUnmerged', { tenantId, survivorId: rec.survivorId, mergedId: rec.mergedId, mergeId });
    return { survivor: await this.get(tenantId, rec.survivorId), restored: await this.get(tenantId, rec.mergedId) };
  }

  // ---- duplicates

  /**
   * Pairs of active customers that may be one person: a phone with the same last 8 national digits, an
   * e-mail mailbox that differs only in its sub-address (RFC 5233) or case, or the same name and company.
   */
  async duplicates(tenantId: string, opts: { limit?: number | undefined } = {}): Promise<DuplicateSuggestion[]> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    const store = this.#store(tenantId);
    const pairs = new Map<string, { a: string; b: string; reasons: DuplicatePair['reason'][] }>();
    for (const p of await store.duplicatePairs(limit * 3)) {
      const key = `${p.a}\u0000${p.b}`;
      const entry = pairs.get(key) ?? { a: p.a, b: p.b, reasons: [] };
      if (!entry.reasons.includes(p.reason)) entry.reasons.push(p.reason);
      pairs.set(key, entry);
    }
    const chosen = [...pairs.values()].sort((x, y) => (x.a === y.a ? (x.b < y.b ? -1 : 1) : x.a < y.a ? -1 : 1)).slice(0, limit);
    const customers = new Map((await store.getMany([...new Set(chosen.flatMap((p) => [p.a, p.b]))])).map((c) => [c.id, c]));
    return chosen.map((p) => ({
      customers: [p.a, p.b].map((id) => ({ id, name: customers.get(id)?.name ?? null, company: customers.get(id)?.company ?? null })),
      reasons: p.reasons.sort(),
    }));
  }

  // ---- erasure

  /**
   * Erases a customer's personal data (and that of every id merged into it): see CustomerStore.erase.
   * A legal hold on any of them blocks it with a 409. Publishes CustomerErased for each id.
   */
  async erase(tenantId: string, id: string, reason: string, actor?: CrmActor): Promise<Customer> {
    const why = normalizeText(reason, 'reason', MAX_REASON);
    if (!why) throw new DomainError('SB_VALIDATION', 400, 'reason must say why the customer is erased', { field: 'reason' });
    const store = this.#store(tenantId);
    const now = this.#now();
    const result = await store.transaction(async (tx) => {
      const canonical = await this.#canonicalIn(tx, id);
      const group = [canonical, ...await this.#mergedIdsIn(tx, canonical)];
      const customers = await tx.getMany(group);
      if (customers[0]?.erasedAt) return { canonical, group: [] as string[] };
      const held = customers.find((c) => c.legalHold);
      if (held?.legalHold) {
        throw new DomainError('SB_CRM_LEGAL_HOLD', 409, `customer ${held.id} is under a legal hold since ${held.legalHold.since} (${held.legalHold.reason}); it cannot be erased`, {
          customerId: held.id, since: held.legalHold.since, reason: held.legalHold.reason,
        });
      }
      await tx.erase(group, { at: now, by: actor?.userId ?? null, reason: why });
      return { canonical, group };
    });
    if (result.group.length > 0) {
      await this.#record(tenantId, actor, 'customer.erased', result.canonical, { customerIds: result.group });
      for (const customerId of result.group) this.#bus.publish('CustomerErased', { tenantId, customerId });
    }
    return this.get(tenantId, result.canonical);
  }

  // ---- CSV

  /** Imports a customer CSV (customer-csv.ts): each row creates or updates a customer, or is rejected with a reason. */
  async importCsv(tenantId: string, text: string, actor?: CrmActor): Promise<ImportReport> {
    const store = this.#store(tenantId);
    const { defs, region } = await this.#context(store);
    const rows = readCustomerCsv(text, defs);
    const claimed = new Map<string, number>();
    const report: ImportRowReport[] = [];
    for (const r of rows) {
      try {
        report.push(await this.#importRow(tenantId, store, r, defs, region, claimed, actor));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        report.push({ row: r.row, outcome: 'rejected', reason: err.message });
      }
    }
    const count = (o: ImportRowReport['outcome']) => report.filter((x) => x.outcome === o).length;
    const summary = { created: count('created'), updated: count('updated'), rejected: count('rejected') };
    await this.#record(tenantId, actor, 'customers.imported', tenantId, summary, 'crm_import');
    return { rows: report, ...summary };
  }

  async #importRow(
    tenantId: string, store: CustomerStore, r: CsvCustomerRow, defs: readonly FieldDefinition[], region: string | null, claimed: Map<string, number>, actor: CrmActor | undefined,
  ): Promise<ImportRowReport> {
    if (r.problem) throw new DomainError('SB_CRM_CSV_INVALID', 400, `the row ${r.problem}`);
    const found = r.identities.map((i) => ({ field: i.field, n: normalizeIdentity({ kind: i.kind, value: i.value }, { defaultRegion: region, field: i.field }) }));
    const unique = found.filter((x, i) => found.findIndex((y) => identityKey(y.n) === identityKey(x.n)) === i);
    for (const { field, n } of unique) {
      const prior = claimed.get(identityKey(n));
      if (prior !== undefined) throw new DomainError('SB_CRM_IDENTITY_TAKEN', 409, `${field} is also on row ${prior} of this file`, { field });
    }
    const identities = unique.map((x) => x.n);
    const fields: Record<string, FieldValue> = {};
    for (const def of defs) {
      const cell = r.fields[def.key];
      if (cell !== undefined) fields[def.key] = parseCell(def, cell, def.key);
    }
    if (!r.name && !r.company && identities.length === 0 && !r.id) throw new DomainError('SB_VALIDATION', 400, 'the row has no name, company or identity');
    const changes: CustomerChanges = { name: r.name, company: r.company, language: r.language, timeZone: r.timeZone, fields };
    const now = this.#now();
    const outcome = await this.#write(store, identities, async (tx): Promise<{ outcome: 'created' | 'updated'; customerId: string; changed: string[] }> => {
      let target: string | undefined;
      if (r.id && await tx.mergedInto(r.id)) target = await this.#canonicalIn(tx, r.id);
      if (!target) {
        const owners = [...new Set((await Promise.all(identities.map((n) => tx.identityOwner(n.kind, n.value)))).filter((o): o is string => o !== undefined))];
        if (owners.length > 1) {
          throw new DomainError('SB_CRM_IDENTITY_TAKEN', 409, `the row's identities belong to different customers (${owners.join(', ')})`, { customerIds: owners });
        }
        target = owners[0];
      }
      if (target) {
        const c = await this.#active(tx, target);
        const next = this.#prepare(profileOf(c), { ...changes, tags: r.tags ? [...c.tags, ...r.tags] : undefined }, defs, false, now);
        const changed = changedAttributes(profileOf(c), next);
        if (changed.length > 0) await tx.updateProfile(target, next, now);
        if (await this.#claim(tx, target, identities, now, unique.map((x) => x.field)) > 0) {
          changed.push('identities');
          await tx.touch(target, now);
        }
        return { outcome: 'updated', customerId: target, changed };
      }
      const id = newId();
      await tx.insert(id, this.#prepare(EMPTY_PROFILE, { ...changes, tags: r.tags }, defs, true, now), now);
      await this.#claim(tx, id, identities, now, unique.map((x) => x.field));
      return { outcome: 'created', customerId: id, changed: [] };
    });
    for (const n of identities) claimed.set(identityKey(n), r.row);
    if (outcome.outcome === 'created') await this.#record(tenantId, actor, 'customer.created', outcome.customerId, { identities: identities.length, source: 'import' });
    else if (outcome.changed.length > 0) await this.#record(tenantId, actor, 'customer.updated', outcome.customerId, { changed: outcome.changed, source: 'import' });
    return { row: r.row, outcome: outcome.outcome, customerId: outcome.customerId };
  }

  /** Every active customer matching `filter`, as CSV with a header row. */
  async exportCsv(tenantId: string, filter: CustomerFilter = {}, actor?: CrmActor): Promise<string> {
    const store = this.#store(tenantId);
    const defs = await store.fields();
    const all: Customer[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(tenantId, { ...filter, limit: MAX_PAGE, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await this.#record(tenantId, actor, 'customers.exported', tenantId, { count: all.length }, 'crm_export');
    return writeCustomerCsv(all, defs);
  }

  #record(tenantId: string, actor: CrmActor | undefined, action: string, targetId: string, details: Record<string, unknown>, targetType = 'customer'): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType, targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
