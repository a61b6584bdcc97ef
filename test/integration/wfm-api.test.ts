// The staffing API through the real server: Erlang C answers, forecasts with staffing, field-naming
// validation errors and the wfm.read permission.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

const WORKED_EXAMPLE = { callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180 };

/** Four weeks of hourly history in New York ending at the spring-forward Sunday, 2026-03-08. */
function newYorkHistory(): { start: string; contacts: number }[] {
  const zone = 'America/New_York';
  const out: { start: string; contacts: number }[] = [];
  const end = DateTime.fromISO('2026-03-08T00:00', { zone });
  for (let t = DateTime.fromISO('2026-02-08T00:00', { zone }); t < end; t = t.plus({ hours: 1 })) {
    out.push({ start: t.toUTC().toISO()!, contacts: t.hour >= 9 && t.hour < 17 ? 200 : 0 });
  }
  return out;
}

for (const dialect of testStorageTargets()) {
  describe(`staffing API (${dialect})`, () => {
    let t: TestApp;
    let supervisor: string;
    let agent: string;

    before(async () => {
      t = await startTestApp(dialect);
      supervisor = await login(t, 'demo', 'supervisor');
      agent = await login(t, 'demo', 'agent1');
    });
    after(async () => { await t.close(); });

    const post = (url: string, payload: unknown, cookie = supervisor) => t.app.http.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });

    test('the worked example: 14 agents answer 88.8 % in 20 s, 20 to schedule at 30 % shrinkage', async () => {
      const res = await post('/api/wfm/erlang-c', { ...WORKED_EXAMPLE, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.erlangs, 10);
      assert.equal(body.agents, 14);
      assert.equal(body.stable, true);
      assert.equal(Number(body.probabilityOfWaiting.toFixed(7)), 0.1741319);
      assert.deepEqual(body.serviceLevel.seconds, 20);
      assert.equal(Number(body.serviceLevel.percent.toFixed(3)), 88.835);
      assert.equal(Number(body.asaSeconds.toFixed(6)), 7.835937);
      assert.equal(Number(body.occupancy.toFixed(7)), 0.7142857);
      assert.equal(body.agentsNeeded, 14);
      assert.equal(body.scheduledAgentsNeeded, 20);
    });

    test('given agents are evaluated; an ASA target sizes agentsNeeded', async () => {
      const res = await post('/api/wfm/erlang-c', { ...WORKED_EXAMPLE, agents: 12, serviceLevel: { seconds: 20 }, asaSeconds: 20 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.agents, 12);
      assert.equal(Number(body.serviceLevel.percent.toFixed(2)), 64.02);
      assert.equal(body.agentsNeeded, 13);
      assert.equal(body.scheduledAgentsNeeded, 13);
      const plain = (await post('/api/wfm/erlang-c', { ...WORKED_EXAMPLE, agents: 12 })).json();
      assert.deepEqual([plain.serviceLevel, plain.agentsNeeded, plain.scheduledAgentsNeeded], [null, null, null]);
    });

    test('too few agents: the queue is unstable and ASA is null (infinite)', async () => {
      const res = await post('/api/wfm/erlang-c', { ...WORKED_EXAMPLE, agents: 10, serviceLevel: { seconds: 20 } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        erlangs: 10, agents: 10, stable: false, probabilityOfWaiting: 1, serviceLevel: { seconds: 20, percent: 0 }, asaSeconds: null, occupancy: 1,
        agentsNeeded: null, scheduledAgentsNeeded: null,
      });
    });

    test('5,000 Erlangs are sized', async () => {
      const res = await post('/api/wfm/erlang-c', { callsPerInterval: 50_000, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.erlangs, 5000);
      assert.ok(body.agentsNeeded > 5000 && body.agentsNeeded < 5100, String(body.agentsNeeded));
      assert.ok(body.serviceLevel.percent >= 80);
    });

    const bad: [string, object, string][] = [
      ['a missing field', { callsPerInterval: 100, intervalSeconds: 1800, agents: 3 }, 'ahtSeconds'],
      ['an unknown field', { ...WORKED_EXAMPLE, agents: 3, erlangs: 10 }, 'erlangs'],
      ['shrinkage of 100 %', { ...WORKED_EXAMPLE, agents: 3, shrinkage: 1 }, 'shrinkage'],
      ['a service level of 100 %', { ...WORKED_EXAMPLE, serviceLevel: { percent: 100, seconds: 20 } }, 'serviceLevel.percent'],
      ['fractional agents', { ...WORKED_EXAMPLE, agents: 2.5 }, 'agents'],
      ['a string for a number', { ...WORKED_EXAMPLE, callsPerInterval: '100', agents: 3 }, 'callsPerInterval'],
      ['two targets', { ...WORKED_EXAMPLE, serviceLevel: { percent: 80, seconds: 20 }, asaSeconds: 20 }, 'asaSeconds'],
      ['neither agents nor a target', { ...WORKED_EXAMPLE }, 'agents'],
      ['a load past the limit', { callsPerInterval: 100_000_000, intervalSeconds: 1, ahtSeconds: 3600, agents: 1 }, 'callsPerInterval'],
    ];
    for (const [what, payload, field] of bad) {
      test(`erlang-c refuses ${what}, naming '${field}'`, async () => {
        const res = await post('/api/wfm/erlang-c', payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'SB_VALIDATION');
        assert.equal(res.json().details.field, field);
      });
    }

    test('a forecast across the spring-forward Sunday, with agents per interval', async () => {
      const res = await post('/api/wfm/forecast', {
        history: newYorkHistory(), intervalMinutes: 60, horizonDays: 1, timeZone: 'America/New_York',
        staffing: { ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.trend, 1);
      assert.equal(body.intervals.length, 23);
      const nine = body.intervals.find((i: { localStart: string }) => i.localStart === '2026-03-08T09:00:00.000-04:00');
      assert.equal(nine.start, '2026-03-08T13:00:00.000Z');
      assert.equal(nine.contacts, 200);
      // 200 calls an hour at AHT 180 s is the worked example's 10 Erlangs.
      assert.deepEqual([nine.staffing.erlangs, nine.staffing.agents, nine.staffing.scheduledAgents], [10, 14, 20]);
      const night = body.intervals.find((i: { localStart: string }) => i.localStart === '2026-03-08T03:00:00.000-04:00');
      assert.deepEqual([night.contacts, night.staffing.agents], [0, 0]);
      assert.ok(!body.intervals.some((i: { localStart: string }) => i.localStart.startsWith('2026-03-08T02:')));
    });

    const badForecasts: [string, object, string][] = [
      ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      ['a start without an offset', { history: [{ start: '2026-03-01T09:00:00', contacts: 1 }] }, 'history.0.start'],
      ['a start off the interval grid', { history: [{ start: '2026-03-01T09:30:00-05:00', contacts: 1 }] }, 'history.0.start'],
      ['a 20-minute interval', { intervalMinutes: 20 }, 'intervalMinutes'],
      ['an empty history', { history: [] }, 'history'],
      ['staffing with two targets', { staffing: { ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, asaSeconds: 20 } }, 'staffing.asaSeconds'],
      ['staffing without a target', { staffing: { ahtSeconds: 180 } }, 'staffing.serviceLevel'],
    ];
    for (const [what, change, field] of badForecasts) {
      test(`forecast refuses ${what}, naming '${field}'`, async () => {
        const res = await post('/api/wfm/forecast', { history: [{ start: '2026-03-01T09:00:00-05:00', contacts: 1 }], intervalMinutes: 60, horizonDays: 1, timeZone: 'America/New_York', ...change });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'SB_VALIDATION');
        assert.equal(res.json().details.field, field);
      });
    }

    test('agents lack wfm.read', async () => {
      const res = await post('/api/wfm/erlang-c', { ...WORKED_EXAMPLE, agents: 14 }, agent);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().details.permission, 'wfm.read');
    });
  });
}
