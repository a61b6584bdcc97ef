// The agent-states report turned for its table: one row per period and agent, one column per
// (state, reason code) that occurs, states in the order of the agent's day. Pure.
import type { AgentStateRow } from './reports-api.ts';

const STATE_ORDER = ['Available', 'Busy', 'AfterCallWork', 'NotReady', 'Offline'];

export interface StateColumn { id: string; state: string; reason: string }
export interface PivotRow { periodStart: string; period: string; agentId: string; name: string; seconds: Map<string, number>; total: number }

/** Rows per (period, agent) and one column per (state, reason) that occurs, states in their usual order. */
export function pivot(rows: readonly AgentStateRow[]): { columns: StateColumn[]; rows: PivotRow[] } {
  const columns = new Map<string, StateColumn>();
  const out = new Map<string, PivotRow>();
  for (const r of rows) {
    const id = `${r.state}|${r.reason}`;
    if (!columns.has(id)) columns.set(id, { id, state: r.state, reason: r.reason });
    const key = `${r.periodStart}|${r.agentId}`;
    const row = out.get(key) ?? { periodStart: r.periodStart, period: r.period, agentId: r.agentId, name: r.name, seconds: new Map(), total: 0 };
    row.seconds.set(id, (row.seconds.get(id) ?? 0) + r.seconds);
    row.total += r.seconds;
    out.set(key, row);
  }
  const rank = (s: string) => (STATE_ORDER.includes(s) ? STATE_ORDER.indexOf(s) : STATE_ORDER.length);
  return {
    columns: [...columns.values()].sort((a, b) => rank(a.state) - rank(b.state) || a.state.localeCompare(b.state) || a.reason.localeCompare(b.reason)),
    rows: [...out.values()],
  };
}
