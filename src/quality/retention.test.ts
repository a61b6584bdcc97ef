import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { checkRetentionDays, isDue, MAX_RETENTION_DAYS, retentionCutoff } from './retention.ts';

const DAY = 86_400_000;

test('a recording is kept exactly its days of 24 h, then due', () => {
  const made = Date.parse('2026-03-01T10:00:00.000Z');
  assert.equal(isDue('2026-03-01T10:00:00.000Z', made + 30 * DAY - 1, 30), false);
  assert.equal(isDue('2026-03-01T10:00:00.000Z', made + 30 * DAY, 30), true);
  assert.equal(isDue('2026-03-01T10:00:00.000Z', made + 10_000 * DAY, null), false, 'no policy keeps recordings');
});

test('the cutoff is the newest finishing instant that is due', () => {
  const now = Date.parse('2026-04-10T00:00:00.000Z');
  assert.equal(retentionCutoff(now, 7), '2026-04-03T00:00:00.000Z');
  assert.equal(isDue(retentionCutoff(now, 7), now, 7), true);
  assert.equal(isDue(new Date(Date.parse(retentionCutoff(now, 7)) + 1).toISOString(), now, 7), false);
});

test('days are null or a whole number from 1 to ten years', () => {
  assert.equal(checkRetentionDays(null), null);
  assert.equal(checkRetentionDays(1), 1);
  assert.equal(checkRetentionDays(MAX_RETENTION_DAYS), MAX_RETENTION_DAYS);
  for (const bad of [0, -1, 1.5, MAX_RETENTION_DAYS + 1, '30', undefined]) {
    assert.throws(() => checkRetentionDays(bad), (e: unknown) => e instanceof DomainError && e.code === 'SB_VALIDATION' && e.details?.['field'] === 'days', String(bad));
  }
});
