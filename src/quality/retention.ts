// Recording retention (pure): a recording finished at T is kept for `days` whole days of 24 h and
// is due for deletion from T + days × 24 h on. No I/O and no clock; instants are epoch ms (UTC).
import { DomainError } from '../kernel/index.ts';

/** The longest policy accepted: ten years. */
export const MAX_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;

/** A retention in days, or null to keep recordings until someone deletes them. */
export type RetentionDays = number | null;

/** Throws SB_VALIDATION (field `days`) unless `days` is null or a whole number 1..MAX_RETENTION_DAYS. */
export function checkRetentionDays(days: unknown): RetentionDays {
  if (days === null) return null;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new DomainError('SB_VALIDATION', 400, `days must be a whole number from 1 to ${MAX_RETENTION_DAYS}, or null to keep recordings`, { field: 'days' });
  }
  return days;
}

/** The newest finishing instant (ISO 8601 UTC) of a recording that is due at `now`. */
export function retentionCutoff(now: number, days: number): string {
  return new Date(now - days * DAY_MS).toISOString();
}

/** Whether a recording finished at `recordedAt` (ISO 8601) is due for deletion at `now`. */
export function isDue(recordedAt: string, now: number, days: RetentionDays): boolean {
  return days !== null && Date.parse(recordedAt) + days * DAY_MS <= now;
}
