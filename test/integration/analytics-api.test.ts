// The analytics API on the real app: reports (JSON and CSV) from contacts recorded through the
// app's own bus, the wallboard, KPI settings, rebuild, survey scores, bad parameters answered 400
// with the field named, and reports.read / reports.manage / surveys.record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CallScript } from '../../src/analytics/call-script.ts';
import { REPORT_COLUMNS } from '../../src/analytics/index.ts';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

for (const dialect of testStorageTargets()) {
  describe(`analytics API (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let supervisor: string;
    let agent: string;
    let sales: string;
    let agent1: string;
    const get = (url: string, cookie = admin) => t.app.http.inject({ method: 'GET', url, headers: { cookie } });
    const send = (method: 'POST' | 'PUT', url: string, payload: object, cookie = admin) => t.app.http.inject({ method, url, headers: { cookie }, payload });
    const fieldOf = async (res: Awaited<ReturnType<typeof get>>) => {
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'SB_VALIDATION');
      return res.json().details.field as string;
    };

    before(async () => {
      t = await startTestApp(dialect);
      admin = await login(t, 'demo', 'admin');
      supervisor = await login(t, 'demo', 'supervisor');
      agent = await login(t, 'demo', 'agent1');
      sales = (await t.app.routing.queues(t.tenants.demo)).find((q) => q.name === 'Sales')!.id;
      agent1 = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'agent1')!.id;
      // 2026-11-22 17:00 in Shanghai: 7 s in Sales, answered, 60 s of talk, 15 s wrap-up; then a 40 s abandon.
      const start = Date.UTC(2026, 10, 22, 9, 0, 0);
      new CallScript(t.app.bus, t.tenants.demo, 'api-1', start).arrive('+8613800000001', '8000').queue(sales).wait(7).offer(agent1).answer().wait(60)
        .hangUp('customer', { agentId: agent1, wrapSeconds: 15, disposition: 'order' });
      new CallScript(t.app.bus, t.tenants.demo, 'api-2', start + 120_000).arrive('+8613800000002', '8000').queue(sales).wait(40).abandon();
      await t.app.interactions.recorder.settled();
      await t.app.analytics.settled();
    });
    after(async () => { await t.close(); });

    test('a daily report by queue, JSON', async () => {
      const res = await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.timeZone, 'Asia/Shanghai');
      const row = body.rows.find((r: { key: string }) => r.key === sales);
      assert.deepEqual(
        [row.name, row.period, row.offered, row.answered, row.abandoned, row.serviceLevel, row.asaSeconds, row.ahtSeconds, row.serviceLevelSeconds],
        ['Sales', '2026-11-22', 2, 1, 1, 0.5, 7, 75, 20],
      );
      assert.equal(body.totals.find((r: { key: string }) => r.key === sales).offered, 2);
    });

    test('the same report as CSV: a header of every column, then the rows and totals', async () => {
      const res = await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22&format=csv', supervisor);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="report-queue-day-2026-11-22-2026-11-22\.csv"/);
      const [header, ...records] = parse(res.body) as string[][];
      assert.deepEqual(header, REPORT_COLUMNS.map(String));
      const col = (name: string) => header!.indexOf(name);
      const day = records.find((r) => r[col('period')] === '2026-11-22' && r[col('key')] === sales)!;
      assert.deepEqual([day[col('name')], day[col('answered')], day[col('serviceLevel')], day[col('ahtSeconds')], day[col('occupancy')]], ['Sales', '1', '0.5', '75', '']);
      assert.ok(records.some((r) => r[col('period')] === 'total' && r[col('key')] === sales));
    });

    test('interval and agent-state reports, and the agent-state CSV', async () => {
      const interval = (await get('/api/reports?by=agent&grain=interval&interval=30&from=2026-11-22&to=2026-11-22')).json();
      assert.equal(interval.periods.length, 48);
      assert.deepEqual(interval.rows.map((r: { period: string; key: string; handled: number }) => [r.period, r.key, r.handled]), [['2026-11-22T17:00+08:00', agent1, 1]]);
      const states = await get('/api/reports/agent-states?grain=day&from=2026-11-22&to=2026-11-22&format=csv');
      assert.equal(states.statusCode, 200, states.body);
      assert.deepEqual((parse(states.body) as string[][])[0], ['periodStart', 'period', 'agentId', 'name', 'state', 'reason', 'seconds']);
    });

    test('the wallboard lists the queues and agents; an unknown queue is 404', async () => {
      const res = await get('/api/wallboard', supervisor);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.queues.map((q: { name: string }) => q.name).sort(), ['Sales', 'Support']);
      const one = (await get(`/api/wallboard/queues/${sales}`, supervisor)).json();
      assert.deepEqual(Object.keys(one.agentsByState).sort(), ['AfterCallWork', 'Available', 'Busy', 'NotReady', 'Offline']);
      assert.equal((await get('/api/wallboard/queues/00000000-0000-4000-8000-000000000000', supervisor)).statusCode, 404);
    });

    test('bad report parameters answer 400 naming the field', async () => {
      assert.equal(await fieldOf(await get('/api/reports?grain=day&from=2026-11-01&to=2026-11-02')), 'by');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=year&from=2026-11-01&to=2026-11-02')), 'grain');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=day&from=2026-11&to=2026-11-02')), 'from');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=day&from=2026-02-30&to=2026-03-02')), 'from');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=day&from=2026-11-05&to=2026-11-02')), 'to');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=interval&from=2026-01-01&to=2026-03-01')), 'to');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=interval&interval=45&from=2026-11-01&to=2026-11-02')), 'interval');
      assert.equal(await fieldOf(await get('/api/reports?by=queue&grain=day&from=2026-11-01&to=2026-11-02&colour=red')), 'colour');
      assert.equal(await fieldOf(await get('/api/reports/agent-states?grain=day&from=2026-11-01')), 'to');
    });

    test('settings: defaults, a per-queue formula, unknown queues and formulas refused', async () => {
      const defaults = (await get('/api/reports/settings', supervisor)).json();
      assert.deepEqual(defaults, { shortAbandonSeconds: 5, fcrWindowDays: 7, serviceLevel: { formula: 'answered-of-answered-and-abandoned', shortAbandons: 'exclude', overflows: 'exclude' }, queues: {} });
      const put = await send('PUT', '/api/reports/settings', { fcrWindowDays: 3, queues: { [sales]: { formula: 'answered-of-offered' } } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().queues[sales].formula, 'answered-of-offered');
      assert.equal(await fieldOf(await send('PUT', '/api/reports/settings', { queues: { 'no-such-queue': { formula: 'answered-of-offered' } } })), 'queues.no-such-queue');
      assert.equal(await fieldOf(await send('PUT', '/api/reports/settings', { serviceLevel: { formula: 'whatever' } })), 'serviceLevel.formula');
      assert.equal(await fieldOf(await send('PUT', '/api/reports/settings', { fcrWindowDays: 0 })), 'fcrWindowDays');
      assert.equal((await send('PUT', '/api/reports/settings', {}, supervisor)).statusCode, 403);
      await send('PUT', '/api/reports/settings', {});
    });

    test('rebuild: the same report afterwards; bad dates refused; admins only', async () => {
      const before = (await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22')).json();
      const res = await send('POST', '/api/reports/rebuild', { from: '2026-11-21', to: '2026-11-22' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { from: '2026-11-21', to: '2026-11-22', interactions: 2, stateStretches: res.json().stateStretches });
      assert.deepEqual((await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22')).json(), before);
      assert.equal(await fieldOf(await send('POST', '/api/reports/rebuild', { from: 'yesterday', to: '2026-11-22' })), 'from');
      assert.equal(await fieldOf(await send('POST', '/api/reports/rebuild', { from: '2026-11-22', to: '2026-11-01' })), 'to');
      assert.equal((await send('POST', '/api/reports/rebuild', { from: '2026-11-22', to: '2026-11-22' }, supervisor)).statusCode, 403);
    });

    test('survey scores: 201, then 409 for a second one, 404 for an unknown interaction, 400 outside 1-5; CSAT in the report', async () => {
      assert.equal(await fieldOf(await send('POST', '/api/interactions/api-1/survey', { score: 6 })), 'score');
      assert.equal(await fieldOf(await send('POST', '/api/interactions/api-1/survey', { score: 4.5 })), 'score');
      const ok = await send('POST', '/api/interactions/api-1/survey', { score: 4 });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.deepEqual([ok.json().interactionId, ok.json().score], ['api-1', 4]);
      const again = await send('POST', '/api/interactions/api-1/survey', { score: 1 });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SB_ANALYTICS_SURVEY_EXISTS');
      assert.equal((await send('POST', '/api/interactions/nothing-here/survey', { score: 3 })).statusCode, 404);
      assert.equal((await send('POST', '/api/interactions/api-2/survey', { score: 3 }, agent)).statusCode, 403);
      const row = (await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22')).json().rows.find((r: { key: string }) => r.key === sales);
      assert.deepEqual([row.csatResponses, row.csat], [1, 1]);
    });

    test('agents cannot read reports or the wallboard', async () => {
      assert.equal((await get('/api/reports?by=queue&grain=day&from=2026-11-22&to=2026-11-22', agent)).json().details.permission, 'reports.read');
      assert.equal((await get('/api/wallboard', agent)).json().details.permission, 'supervisor.monitor');
    });
  });
}
