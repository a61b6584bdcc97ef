// Contact-center analytics (README.md maps files to definitions): KPIs computed from recorded facts
// (kpi.ts), rollups written as interactions close and rebuilt from raw records, reports by period
// and dimension in the tenant's time zone, the live wallboard, agent state time and survey scores.
export { Analytics, type AnalyticsDeps } from './analytics.ts';
export type { AnalyticsEvents } from './analytics-events.ts';
export {
  SERVICE_LEVEL_FORMULAS, COUNTING, DEFAULT_COUNTING, kpisOf, type Kpis, type ServiceLevelFormula, type Counting, type CountingOptions,
} from './kpi.ts';
export { MEASURES, emptyMeasures, type Measure, type Measures, type StateTime } from './measures.ts';
export { DIMENSIONS, contactFacts, isFinal, type Dimension, type ContactFacts, type ContactRecord, type Contribution, type FactContext } from './contact-facts.ts';
export { GRAINS, INTERVAL_MINUTES, type Grain, type IntervalMinutes, type Period } from './periods.ts';
export { DEFAULT_SETTINGS, SETTINGS_SCHEMA, type AnalyticsSettings, type QueueKpiSettings, type SettingsInput } from './settings.ts';
export { Wallboard, WALLBOARD_COALESCE_MS, AGENT_STATE_NAMES, type LiveAcd, type QueueBoard, type AgentBoard, type TodayFigures } from './realtime.ts';
export {
  Reports, REPORT_COLUMNS, MAX_REPORT_DAYS, MAX_INTERVAL_REPORT_DAYS, reportCsv, agentStatesCsv,
  type Report, type ReportRow, type ReportQuery, type AgentStateRow,
} from './reports.ts';
export { RollupWriter, REBUILD_MARGIN_MS, type RebuildResult, type WriterContext } from './rollup-writer.ts';
export { RollupStore, type RollupRow, type StateRow } from './rollups.sql.ts';
export type { InteractionSource } from './interaction-scan.ts';
