// The analytics domain put together: the rollup writer (closed interactions, agent states,
// surveys, rebuild), the wallboard and the reports, over one database and the ports to routing,
// the directory, the interaction records and the tenant's time zone.
import type { Clock, EventPublisher, EventSubscriber, Logger } from '../kernel/index.ts';
import type { InteractionEvents } from '../interactions/index.ts';
import type { CrmEvents } from '../crm/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { SqlDatabase, SqlDialectName } from '../storage/index.ts';
import type { AnalyticsEvents } from './analytics-events.ts';
import type { InteractionSource } from './interaction-scan.ts';
import { Wallboard, type LiveAcd } from './realtime.ts';
import { checkSpan, MAX_REPORT_DAYS, Reports, type ReportDirectory } from './reports.ts';
import { RollupWriter, type RebuildResult } from './rollup-writer.ts';
import { RollupStore } from './rollups.sql.ts';
import { settingsOf, type AnalyticsSettings, type SettingsInput } from './settings.ts';
import { SettingsStore } from './settings.sql.ts';

export interface AnalyticsDeps {
  db: SqlDatabase;
  dialect: SqlDialectName;
  interactions: InteractionSource;
  /** Routing: live queues, their statistics and agents. */
  acd: LiveAcd;
  directory: Omit<ReportDirectory, 'queues'>;
  timeZoneOf(tenantId: string): Promise<string>;
  bus: EventSubscriber<InteractionEvents & RoutingEvents & Pick<CrmEvents, 'CustomerErased'>> & EventPublisher<AnalyticsEvents>;
  clock: Clock;
  log: Logger;
}

export class Analytics {
  readonly store: RollupStore;
  readonly settingsStore: SettingsStore;
  readonly writer: RollupWriter;
  readonly wallboard: Wallboard;
  readonly reports: Reports;
  readonly #clock: Clock;
  readonly #acd: LiveAcd;

  constructor(d: AnalyticsDeps) {
    this.#clock = d.clock;
    this.#acd = d.acd;
    this.store = new RollupStore(d.db, d.dialect);
    this.settingsStore = new SettingsStore(d.db);
    this.writer = new RollupWriter({
      store: this.store, settings: this.settingsStore, interactions: d.interactions, queues: d.acd, timeZoneOf: d.timeZoneOf, bus: d.bus, clock: d.clock, log: d.log,
    });
    this.wallboard = new Wallboard({ acd: d.acd, people: d.directory, rollups: this.store, interactions: d.interactions, writer: this.writer, bus: d.bus, clock: d.clock, log: d.log });
    this.reports = new Reports({
      rollups: this.store, settings: this.settingsStore, timeZoneOf: d.timeZoneOf, clock: d.clock,
      directory: { queues: (t) => d.acd.queues(t), listUsers: (t) => d.directory.listUsers(t), listTeams: (t) => d.directory.listTeams(t) },
    });
  }

  settings(tenantId: string): Promise<AnalyticsSettings> {
    return this.settingsStore.get(tenantId);
  }

  /** Replaces the workspace's KPI settings (queues must exist); the wallboard counts with them at once. */
  async putSettings(tenantId: string, input: SettingsInput): Promise<AnalyticsSettings> {
    const queues = new Set((await this.#acd.queues(tenantId)).map((q) => q.id));
    const s = settingsOf(input, queues);
    await this.settingsStore.put(tenantId, s, new Date(this.#clock.now()).toISOString());
    await this.wallboard.refresh(tenantId);
    return s;
  }

  /** Recomputes the rollups of local days from..to (both included, at most a year) from the raw records. */
  rebuild(tenantId: string, from: string, to: string): Promise<RebuildResult> {
    checkSpan(from, to, MAX_REPORT_DAYS);
    return this.writer.rebuild(tenantId, from, to);
  }

  recordSurvey(tenantId: string, interactionId: string, score: number) {
    return this.writer.recordSurvey(tenantId, interactionId, score);
  }

  async settled(): Promise<void> {
    await this.writer.settled();
    await this.wallboard.settled();
  }

  stop(): void {
    this.writer.stop();
    this.wallboard.stop();
  }
}
