// Workforce management: Erlang C staffing and the seasonal contact forecast (pure functions).
// Invalid inputs throw DomainError SB_VALIDATION naming the field; unstable queues (agents ≤ Erlangs)
// report probability of waiting 1, service level 0, ASA Infinity and occupancy 1.
export {
  trafficIntensity, erlangB, erlangC, serviceLevel, averageSpeedOfAnswer, occupancy, queueMetrics, scheduledAgents,
  agentsForServiceLevel, agentsForAsa, type QueueMetrics, type Staffing, type StaffingOptions,
} from './erlang-c.ts';
export {
  forecastContacts, staffingPlan, INTERVAL_MINUTES, MAX_HORIZON_DAYS, MAX_WEEKS,
  type IntervalMinutes, type HistoryInterval, type ForecastInput, type ForecastInterval, type Forecast, type StaffingTarget, type StaffedInterval,
} from './forecast.ts';
