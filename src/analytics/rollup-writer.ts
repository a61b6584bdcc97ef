// Keeps the rollups: when an interaction closes (InteractionClosed) its facts are added once; when
// an agent's state changes (AgentStateChanged) the stretch that ended is added; a survey score adds
// to the contact's rows. `rebuild` recomputes a range of local days exactly from the raw records
// (interactions, the state log, surveys). Work for one tenant runs in order, one piece at a time.
//
// First-contact resolution: a handled inbound contact of a known customer is resolved until the same
// customer contacts again (inbound) within the window; that later contact, when it is rolled up,
// takes the earlier one's resolution back. Contacts of the last `fcrWindowDays` are therefore
// provisional.
import type { Clock, EventSubscriber, Logger } from '../kernel/index.ts';
import { DomainError, notFound } from '../kernel/index.ts';
import type { Interaction, InteractionEvents } from '../interactions/index.ts';
import type { CrmEvents } from '../crm/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import { contactFacts, customerDigest, isFinal, outcomeContributions, repeats, type ContactFacts, type ContactRecord, type FactContext } from './contact-facts.ts';
import { scanInteractions, type InteractionSource } from './interaction-scan.ts';
import { isSatisfied } from './kpi.ts';
import type { Measures } from './measures.ts';
import { addDays, localSpan, quarterPeriod } from './periods.ts';
import { RollupRows, type PeriodRange } from './rollup-rows.ts';
import type { AnalyticsScope, CustomerContact, RollupStore, StoredContact } from './rollups.sql.ts';
import { DEFAULT_SERVICE_LEVEL_SECONDS, queueSettings, type AnalyticsSettings } from './settings.ts';
import type { SettingsStore } from './settings.sql.ts';

/** Queues and their service-level threshold, as routing answers them. */
export interface QueueSource {
  queues(tenantId: string): Promise<readonly { id: string; name: string; settings: { serviceLevelSeconds: number } }[]>;
}

export interface RollupWriterDeps {
  store: RollupStore;
  settings: SettingsStore;
  interactions: InteractionSource;
  queues: QueueSource;
  timeZoneOf(tenantId: string): Promise<string>;
  bus?: EventSubscriber<InteractionEvents & RoutingEvents & Pick<CrmEvents, 'CustomerErased'>> | undefined;
  clock: Clock;
  log: Logger;
}

export interface WriterContext {
  timeZone: string;
  settings: AnalyticsSettings;
  facts: FactContext;
}

/** Told of every batch of contacts added to the rollups (the wallboard adds their handling). */
export type AppliedListener = (tenantId: string, facts: readonly ContactFacts[]) => void;

export interface RebuildResult {
  from: string;
  to: string;
  interactions: number;
  stateStretches: number;
}

/** Contacts whose handling begins more than this long after they arrived fall outside a rebuild of the day it began. */
export const REBUILD_MARGIN_MS = 86_400_000;

const csatMeasures = (score: number | null): Partial<Measures> =>
  (score === null ? {} : { csatResponses: 1, csatSatisfied: isSatisfied(score) ? 1 : 0, csatScoreSum: score });

const outcomeMeasures = (c: StoredContact): Partial<Measures> => ({
  fcrEligible: c.fcrEligible ? 1 : 0, fcrResolved: c.fcrEligible && c.fcrResolved ? 1 : 0, ...csatMeasures(c.csatScore),
});

export class RollupWriter {
  readonly #d: RollupWriterDeps;
  readonly #chains = new Map<string, Promise<unknown>>();
  readonly #listeners = new Set<AppliedListener>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(deps: RollupWriterDeps) {
    this.#d = deps;
    if (deps.bus) {
      this.#unsubscribe.push(deps.bus.subscribe('InteractionClosed', (p) => {
        void this.#enqueue(p.tenantId, async () => {
          const i = await this.#d.interactions.get(p.tenantId, p.interactionId);
          await this.#apply(p.tenantId, [i]);
        }).catch((err: unknown) => this.#d.log.error({ err, interactionId: p.interactionId }, 'interaction could not be rolled up'));
      }));
      this.#unsubscribe.push(deps.bus.subscribe('AgentStateChanged', (p) => {
        void this.#enqueue(p.tenantId, () => this.#stateChanged(p.tenantId, p.agentId, p.state, p.reason, Date.parse(p.at)))
          .catch((err: unknown) => this.#d.log.error({ err, agentId: p.agentId }, 'agent state could not be logged'));
      }));
      this.#unsubscribe.push(deps.bus.subscribe('CustomerErased', (p) => {
        void this.#enqueue(p.tenantId, () => this.#d.store.scope(p.tenantId).forgetCustomer(customerDigest(p.customerId)))
          .catch((err: unknown) => this.#d.log.error({ err, customerId: p.customerId }, 'erased customer could not be forgotten'));
      }));
    }
  }

  onApplied(listener: AppliedListener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** Runs work for a tenant after the work already queued for it. */
  #enqueue<R>(tenantId: string, work: () => Promise<R>): Promise<R> {
    const prev = this.#chains.get(tenantId) ?? Promise.resolve();
    const next = prev.then(work, work);
    const settled = next.catch(() => undefined);
    this.#chains.set(tenantId, settled);
    void settled.then(() => { if (this.#chains.get(tenantId) === settled) this.#chains.delete(tenantId); });
    return next;
  }

  /** Resolves once every piece of work queued so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  stop(): void {
    for (const u of this.#unsubscribe) u();
  }

  async context(tenantId: string): Promise<WriterContext> {
    const [timeZone, settings, queues] = await Promise.all([this.#d.timeZoneOf(tenantId), this.#d.settings.get(tenantId), this.#d.queues.queues(tenantId)]);
    const t = new Map(queues.map((q) => [q.id, q.settings.serviceLevelSeconds]));
    return {
      timeZone, settings,
      facts: {
        serviceLevelSeconds: (queueId) => t.get(queueId) ?? DEFAULT_SERVICE_LEVEL_SECONDS,
        shortAbandonSeconds: (queueId) => queueSettings(settings, queueId).shortAbandonSeconds,
      },
    };
  }

  /**
   * Adds closed interactions to the rollups (records that are not final, or already added, are
   * skipped); resolves with how many were added. The batch form serves bulk loads.
   */
  apply(tenantId: string, interactions: readonly Interaction[], context?: WriterContext): Promise<number> {
    return this.#enqueue(tenantId, () => this.#apply(tenantId, interactions, context));
  }

  async #apply(tenantId: string, interactions: readonly Interaction[], context?: WriterContext): Promise<number> {
    const ctx = context ?? await this.context(tenantId);
    const facts = interactions.filter(isFinal).map((i) => contactFacts(i, ctx.facts));
    if (facts.length === 0) return 0;
    const window = ctx.settings.fcrWindowDays * 86_400_000;
    const fresh = await this.#d.store.transaction(tenantId, async (tx) => {
      const known = await tx.knownContacts(facts.map((f) => f.record.interactionId));
      const batch = facts.filter((f) => !known.has(f.record.interactionId));
      if (batch.length === 0) return [];
      const surveys = await tx.surveys(batch.map((f) => f.record.interactionId));
      const keyed = batch.filter((f) => f.record.customerKey !== null);
      let earlier: CustomerContact[] = [];
      if (keyed.length > 0) {
        const arrivals = keyed.map((f) => f.record.arrivedAt);
        earlier = await tx.contactsOfCustomers(keyed.map((f) => f.record.customerKey!), Math.min(...arrivals) - window, Math.max(...arrivals) + window);
      }
      const byCustomer = new Map<string, Pick<ContactRecord, 'customerKey' | 'inbound' | 'arrivedAt'>[]>();
      for (const c of [...earlier, ...keyed.map((f) => f.record)]) {
        const list = byCustomer.get(c.customerKey!) ?? [];
        list.push(c);
        byCustomer.set(c.customerKey!, list);
      }
      const rows = new RollupRows(ctx.timeZone);
      const stored: StoredContact[] = batch.map((f) => {
        const r = f.record;
        const resolved = r.fcrEligible && !(byCustomer.get(r.customerKey ?? '') ?? []).some((later) => repeats(later, r, ctx.settings.fcrWindowDays));
        return { ...r, fcrResolved: resolved, csatScore: surveys.get(r.interactionId) ?? null };
      });
      const batchOf = new Map<string, ContactRecord[]>();
      for (const f of keyed) batchOf.set(f.record.customerKey!, [...(batchOf.get(f.record.customerKey!) ?? []), f.record]);
      const taken = earlier.filter((e) => e.fcrEligible && e.fcrResolved && (batchOf.get(e.customerKey!) ?? []).some((r) => repeats(r, e, ctx.settings.fcrWindowDays)));
      for (const [n, f] of batch.entries()) {
        rows.add(f.contributions);
        rows.add(outcomeContributions(f.record, outcomeMeasures(stored[n]!)));
      }
      for (const e of await tx.contacts(taken.map((c) => c.interactionId))) rows.add(outcomeContributions(e, { fcrResolved: -1 }));
      await tx.insertContacts(stored);
      await tx.setResolved(taken.map((e) => e.interactionId), false);
      await tx.addRollups(rows.rows());
      return batch;
    });
    if (fresh.length > 0) for (const l of this.#listeners) l(tenantId, fresh);
    return fresh.length;
  }

  async #stateChanged(tenantId: string, agentId: string, state: string, reason: string | null, at: number): Promise<void> {
    const timeZone = await this.#d.timeZoneOf(tenantId);
    await this.#d.store.transaction(tenantId, async (tx) => {
      const open = await tx.openStretch(agentId);
      if (open) {
        await tx.endStretch(open.id, Math.max(at, open.startedAt));
        const rows = new RollupRows(timeZone);
        rows.addStretch(agentId, open.state, open.reason, open.startedAt, at);
        await tx.addStateTime(rows.stateRows());
      }
      await tx.startStretch(agentId, state, reason, at);
    });
  }

  /**
   * A survey answer (1–5) for an interaction of the tenant: 404 for an unknown one, 409 when it
   * already has one. A closed contact's rows count it at once; an open one's when it closes.
   */
  async recordSurvey(tenantId: string, interactionId: string, score: number): Promise<{ interactionId: string; score: number; answeredAt: string }> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new DomainError('SB_VALIDATION', 400, 'score must be an integer from 1 to 5', { field: 'score' });
    if (!(await this.#d.interactions.exists(tenantId, interactionId))) throw notFound('interaction');
    const answeredAt = new Date(this.#d.clock.now()).toISOString();
    const timeZone = await this.#d.timeZoneOf(tenantId);
    await this.#enqueue(tenantId, () => this.#d.store.transaction(tenantId, async (tx) => {
      if (!(await tx.insertSurvey(interactionId, score, answeredAt))) {
        throw new DomainError('SB_ANALYTICS_SURVEY_EXISTS', 409, 'this interaction already has a survey score');
      }
      const contact = await tx.contact(interactionId);
      if (!contact || contact.csatScore !== null) return;
      await tx.setCsat(interactionId, score);
      const rows = new RollupRows(timeZone);
      rows.add(outcomeContributions(contact, csatMeasures(score)));
      await tx.addRollups(rows.rows());
    }));
    return { interactionId, score, answeredAt };
  }

  /**
   * Recomputes the rollups of the local days from..to (both included) from the raw records: the
   * interactions that arrived in them (and the day before, for contacts handled after midnight),
   * the state log and the surveys. Resolution of contacts in the range looks at every later contact.
   */
  rebuild(tenantId: string, from: string, to: string): Promise<RebuildResult> {
    return this.#enqueue(tenantId, () => this.#rebuild(tenantId, from, to));
  }

  async #rebuild(tenantId: string, from: string, to: string): Promise<RebuildResult> {
    const ctx = await this.context(tenantId);
    const { start, end } = localSpan(ctx.timeZone, from, to);
    const range: PeriodRange = { fromQuarter: quarterPeriod(start), toQuarter: quarterPeriod(end), fromDay: from, toDay: addDays(to, 1) };
    const scope = this.#d.store.scope(tenantId);
    await this.#d.store.transaction(tenantId, async (tx) => {
      await tx.deleteRollups(range.fromQuarter, range.toQuarter, range.fromDay, range.toDay);
      await tx.deleteContactsArrived(start, end);
    });
    const rows = new RollupRows(ctx.timeZone, range);
    let pending: ContactFacts[] = [];
    let count = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const surveys = await scope.surveys(pending.map((f) => f.record.interactionId));
      await scope.insertContacts(pending.map((f) => ({ ...f.record, fcrResolved: f.record.fcrEligible, csatScore: surveys.get(f.record.interactionId) ?? null })));
      pending = [];
    };
    await scanInteractions(this.#d.interactions, tenantId, start - REBUILD_MARGIN_MS, end, async (listed) => {
      if (!isFinal(listed)) return;
      const f = contactFacts(await this.#d.interactions.get(tenantId, listed.id), ctx.facts);
      rows.add(f.contributions);
      if (f.record.arrivedAt >= start) {
        count++;
        pending.push(f);
        if (pending.length >= 1000) await flush();
      }
    });
    await flush();

    // Resolution of the contacts now stored for the range, then their outcome rows (and those of the day before that land in it).
    const window = ctx.settings.fcrWindowDays * 86_400_000;
    let after: StoredContact | undefined;
    for (;;) {
      const page = await scope.contactsArrived(start - REBUILD_MARGIN_MS, end, 1000, after);
      if (page.length === 0) break;
      after = page[page.length - 1];
      const toCheck = page.filter((c) => c.arrivedAt >= start && c.fcrEligible);
      const unresolved = await this.#withRepeats(scope, toCheck, window, ctx.settings.fcrWindowDays);
      await scope.setResolved([...unresolved], false);
      for (const c of page) rows.add(outcomeContributions(c, outcomeMeasures(unresolved.has(c.interactionId) ? { ...c, fcrResolved: false } : c)));
    }

    const stretches = await scope.endedStretches(start, end);
    for (const s of stretches) rows.addStretch(s.agentId, s.state, s.reason, Math.max(s.startedAt, start), Math.min(s.endedAt!, end));
    await scope.addRollups(rows.rows());
    await scope.addStateTime(rows.stateRows());
    return { from, to, interactions: count, stateStretches: stretches.length };
  }

  /** Ids of the contacts that a later inbound contact of the same customer repeats within the window. */
  async #withRepeats(scope: AnalyticsScope, contacts: readonly StoredContact[], windowMs: number, windowDays: number): Promise<Set<string>> {
    const out = new Set<string>();
    const keyed = contacts.filter((c) => c.customerKey !== null);
    if (keyed.length === 0) return out;
    const arrivals = keyed.map((c) => c.arrivedAt);
    const later = await scope.contactsOfCustomers(keyed.map((c) => c.customerKey!), Math.min(...arrivals), Math.max(...arrivals) + windowMs);
    for (const c of keyed) if (later.some((l) => repeats(l, c, windowDays))) out.add(c.interactionId);
    return out;
  }
}
