// The workspace's time zone and today's local date there. Every report answers with the time zone,
// so a one-day report of the browser's own date tells it; the date is then worked out again in
// that zone.
import { api } from '../../api.ts';
import { localDate } from './dates.ts';
import { reportPath } from './report-query.ts';
import type { Report } from './reports-api.ts';

export interface WorkspaceDay { timeZone: string; today: string }

export async function workspaceDay(now: () => number = Date.now): Promise<WorkspaceDay> {
  const guess = localDate(Intl.DateTimeFormat().resolvedOptions().timeZone, now());
  const r = await api<Report>('GET', reportPath({ by: 'channel', grain: 'day', interval: 15, from: guess, to: guess, keys: [] }));
  return { timeZone: r.timeZone, today: localDate(r.timeZone, now()) };
}
