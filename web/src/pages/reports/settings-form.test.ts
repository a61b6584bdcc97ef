// The KPI settings form and the document PUT /api/reports/settings takes (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingsBody, settingsDraft } from './settings-form.ts';
import type { KpiSettings } from './reports-api.ts';

const settings: KpiSettings = {
  shortAbandonSeconds: 5, fcrWindowDays: 7,
  serviceLevel: { formula: 'answered-of-answered-and-abandoned', shortAbandons: 'exclude', overflows: 'exclude' },
  queues: { q1: { formula: 'answered-of-offered', shortAbandonSeconds: 10 } },
};

test('the settings round-trip through the form unchanged', () => {
  assert.deepEqual(settingsBody(settingsDraft(settings)), settings);
});

test('overrides left on "as the workspace" are not sent; a queue without any has no entry', () => {
  const d = settingsDraft(settings);
  d.queues['q1'] = { formula: '', shortAbandons: '', overflows: '', shortAbandonSeconds: '' };
  d.queues['q2'] = { formula: '', shortAbandons: 'include', overflows: '', shortAbandonSeconds: ' ' };
  assert.deepEqual(settingsBody(d)['queues'], { q2: { shortAbandons: 'include' } });
});

test('numbers go as typed, an empty one as null, for the server to check', () => {
  const d = { ...settingsDraft(settings), fcrWindowDays: '', shortAbandonSeconds: '600' };
  const body = settingsBody(d);
  assert.deepEqual([body['fcrWindowDays'], body['shortAbandonSeconds']], [null, 600]);
});
