// Keeps the rollups: when an interaction closes (InteractionClosed) its facts are added once; when
// an agent's state changes (AgentStateChanged) the stretch that ended is added; a survey score adds
// to the contact's rows. Records that arrive in bulk (an import of history) are added by the same `apply`, a
// batch at a time: the same rows as adding each as it closes, summed in memory by period and key
// and written once per batch. `rebuild` recomputes a range of local days exactly from the raw
// records (interactions, the state log, surveys), in bulk too. Work for one tenant runs in order,
// one piece at a time.
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
import { contactFacts, customerDigest, isFinal, outcomeContributions, repeatedBy, repeats, type ContactFacts, type ContactRecord, type FactContext } from './contact-facts.ts';
import { scanRecords, type InteractionSource } from './interaction-scan.ts';
import { isSatisfied } from './kpi.ts';
import type { Measures } from './measures.ts';
import { addDays, localSpan, quarterPeriod } from './periods.ts';
import { RollupRows, type PeriodRange } from './rollup-rows.ts';
import type { AnalyticsScope, ResolvedContact, RollupStore, StoredContact } from './rollups.sql.ts';
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

/** Records a rebuild reads per page, and contacts it resolves per page. */
const REBUILD_PAGE = 5000;
/** Records a rebuild sums in memory before it adds their rows to the stored ones. */
const REBUILD_FLUSH = 100_000;
const DAY_MS = 86_400_000;

const csatMeasures = (score: number | null): Partial<Measures> =>
  (score === null ? {} : { csatResponses: 1, csatSatisfied: isSatisfied(score) ? 1 : 0, csatScoreSum: score });

const outcomeMeasures = (c: ResolvedContact): Partial<Measures> => ({
  fcrEligible: c.fcrEligible ? 1 : 0, fcrResolved: c.fcrEligible && c.fcrResolved ? 1 : 0, ...csatMeasures(c.csatScore),
});

/** Adds a contact's resolution and survey to its rows; a contact with neither adds nothing. */
const addOutcome = (rows: RollupRows, c: ResolvedContact): void => {
  if (c.fcrEligible || c.csatScore !== null) rows.add(outcomeContributions(c, outcomeMeasures(c)));
};

/** The earliest and latest arrival of contacts. */
function arrivalSpan(contacts: readonly Pick<ContactRecord, 'arrivedAt'>[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const c of contacts) {
    if (c.arrivedAt < min) min = c.arrivedAt;
    if (c.arrivedAt > max) max = c.arrivedAt;
  }
  return [min, max];
}

/** A contact of the batch was rolled up before: the batch is written again, leaving it out. */
class AddedBefore extends Error {}

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
          await this.#add(p.tenantId, [i]);
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
   * Adds closed interactions to the rollups: one as it closes, or records that arrive in bulk (an
   * import of history, a benchmark) a batch at a time, with the same rows either way. A batch's
   * rows are summed in memory by period and key and written once, and its contacts in one
   * statement; one lookup of its customers' stored contacts gives their resolution and the earlier
   * contacts it takes back (whose rows get −1 resolved). Records that are not
   * final, or already added, are skipped; resolves with how many were added. Batches of thousands
   * of records (ordered by arrival) are written fastest.
   */
  apply(tenantId: string, interactions: readonly Interaction[], context?: WriterContext): Promise<number> {
    return this.#enqueue(tenantId, () => this.#add(tenantId, interactions, context));
  }

  async #add(tenantId: string, interactions: readonly Interaction[], context?: WriterContext): Promise<number> {
    const ctx = context ?? await this.context(tenantId);
    const days = ctx.settings.fcrWindowDays;
    const seen = new Set<string>();
    const facts: ContactFacts[] = [];
    for (const i of interactions) {
      if (!isFinal(i) || seen.has(i.id)) continue;
      seen.add(i.id);
      facts.push(contactFacts(i, ctx.facts));
    }
    if (facts.length === 0) return 0;
    // Written as though none was added before (the common case, and one statement fewer); when one
    // was, the transaction is rolled back and the batch written again without those.
    const write = (checked: boolean) => this.#d.store.transaction(tenantId, (tx) => this.#write(tx, ctx, facts, checked));
    const fresh = await write(false).catch((err: unknown) => {
      if (err instanceof AddedBefore) return write(true);
      throw err;
    });
    if (fresh.length > 0) for (const l of this.#listeners) l(tenantId, fresh);
    return fresh.length;
  }

  /** Stores the contacts of `facts` and adds their rows; `checked` leaves out those added before, else finding one throws AddedBefore. */
  async #write(tx: AnalyticsScope, ctx: WriterContext, facts: readonly ContactFacts[], checked: boolean): Promise<readonly ContactFacts[]> {
    const days = ctx.settings.fcrWindowDays;
    let batch = facts;
    if (checked) {
      const known = await tx.knownContacts(facts.map((f) => f.record.interactionId));
      batch = facts.filter((f) => !known.has(f.record.interactionId));
      if (batch.length === 0) return [];
    }
    const records = batch.map((f) => f.record);
    const ids = new Set(records.map((r) => r.interactionId));
    const keyed = records.filter((r) => r.customerKey !== null);
    const [from, to] = arrivalSpan(keyed);
    const earlier = keyed.length > 0 ? await tx.contactsOfCustomers(keyed.map((r) => r.customerKey!), from - days * DAY_MS, to + days * DAY_MS) : [];
    if (!checked && earlier.some((e) => ids.has(e.interactionId))) throw new AddedBefore();
    const surveys = await tx.surveys(records.map((r) => r.interactionId));
    // Resolved unless a later inbound contact of the same customer, stored or in the batch, repeats it.
    const repeated = repeatedBy(keyed, [...earlier, ...keyed], days);
    const stored = records.map((r): ResolvedContact => ({ ...r, fcrResolved: r.fcrEligible && !repeated.has(r.interactionId), csatScore: surveys.get(r.interactionId) ?? null }));
    // Earlier contacts still resolved (no stored contact repeats them) that the batch repeats are resolved no more.
    const eligible = earlier.filter((e) => e.fcrEligible);
    const repeatedBefore = repeatedBy(eligible, earlier, days);
    const takenIds = repeatedBy(eligible.filter((e) => !repeatedBefore.has(e.interactionId)), keyed, days);
    const taken = earlier.filter((e) => takenIds.has(e.interactionId));
    const rows = new RollupRows(ctx.timeZone);
    for (const [n, f] of batch.entries()) {
      rows.add(f.contributions);
      addOutcome(rows, stored[n]!);
    }
    for (const e of taken) rows.add(outcomeContributions(e, { fcrResolved: -1 }));
    if (await tx.insertContacts(stored) !== stored.length) {
      if (!checked) throw new AddedBefore();
      throw new Error('contacts of the batch were rolled up by another writer meanwhile');
    }
    await tx.addRollups(rows.rows());
    return batch;
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
    // Rows are added to the stored ones, so they can be written whenever enough are summed.
    let rows = new RollupRows(ctx.timeZone, range);
    let summed = 0;
    const flush = async (atLeast: number) => {
      if (summed < atLeast || summed === 0) return;
      await scope.addRollups(rows.rows());
      rows = new RollupRows(ctx.timeZone, range);
      summed = 0;
    };
    let count = 0;
    await scanRecords(this.#d.interactions, tenantId, start - REBUILD_MARGIN_MS, end, REBUILD_PAGE, async (page) => {
      const contacts: ContactRecord[] = [];
      for (const i of page) {
        if (!isFinal(i)) continue;
        const f = contactFacts(i, ctx.facts);
        rows.add(f.contributions);
        summed++;
        if (f.record.arrivedAt >= start) contacts.push(f.record);
      }
      count += contacts.length;
      const surveys = await scope.surveys(contacts.map((c) => c.interactionId));
      await scope.insertContacts(contacts.map((c) => ({ ...c, csatScore: surveys.get(c.interactionId) ?? null })));
      await flush(REBUILD_FLUSH);
    });

    // Resolution of the contacts now stored for the range, then their outcome rows (and those of the day before that land in it).
    const days = ctx.settings.fcrWindowDays;
    let after: StoredContact | undefined;
    for (;;) {
      const page = await scope.contactsArrived(start - REBUILD_MARGIN_MS, end, REBUILD_PAGE, after);
      if (page.length === 0) break;
      after = page[page.length - 1];
      const keyed = page.filter((c) => c.fcrEligible && c.customerKey !== null);
      const [first, last] = arrivalSpan(keyed);
      const later = keyed.length > 0 ? await scope.contactsOfCustomers(keyed.map((c) => c.customerKey!), first, last + days * DAY_MS) : [];
      const repeated = repeatedBy(keyed, later, days);
      for (const c of page) addOutcome(rows, { ...c, fcrResolved: c.fcrEligible && !repeated.has(c.interactionId) });
      summed += page.length;
      await flush(REBUILD_FLUSH);
    }
    await flush(1);

    const stretches = await scope.endedStretches(start, end);
    const states = new RollupRows(ctx.timeZone, range);
    for (const s of stretches) states.addStretch(s.agentId, s.state, s.reason, Math.max(s.startedAt, start), Math.min(s.endedAt!, end));
    await scope.addStateTime(states.stateRows());
    return { from, to, interactions: count, stateStretches: stretches.length };
  }
}
