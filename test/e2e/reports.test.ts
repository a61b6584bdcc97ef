// The reports, staffing and KPI settings pages in Debian's Chromium against the real server, with
// two weeks of contacts and a day of agent states recorded through the app's own bus (the real
// interaction recorder and rollup writer): the table shows the figures GET /api/reports answers
// for the same parameters, the chart has a bar pair per period and a point per service level, the
// CSV link downloads the same rows; the agent-states table sums to the API's seconds; the Erlang C
// calculator shows the published worked example; the forecast shows what POST /api/wfm/forecast
// answers for the history of the past weeks; bad input shows the server's message at its field;
// admins save KPI settings and rebuild; the pages in 简体中文 and 繁體中文.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { CallScript } from '../../src/analytics/call-script.ts';
import { REPORT_COLUMNS } from '../../src/analytics/index.ts';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

type Row = Record<string, string | number | null>;
interface Report { periods: { start: string; label: string }[]; rows: Row[]; totals: Row[]; timeZone: string }

describe('reports and staffing in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let supervisor: string;
  let zone: string;
  let today: string;
  let ids: { sales: string; support: string; agent1: string; agent2: string };
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const day = (offset: number) => DateTime.fromISO(today, { zone }).plus({ days: offset }).toISODate()!;
  const localMs = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();

  const get = async <T,>(url: string, cookie = supervisor): Promise<T> => {
    const res = await t.app.http.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as T;
  };
  const post = (url: string, payload: object, cookie = supervisor) => t.app.http.inject({ method: 'POST', url, headers: { cookie }, payload });

  async function logIn(p: Page, username: string): Promise<void> {
    await p.goto('/');
    await p.fill('input[name=tenant]', 'demo');
    await p.fill('input[name=username]', username);
    await p.fill('input[name=password]', TEST_PASSWORD);
    await p.click('button[type=submit]');
    await p.getByTestId('welcome').waitFor();
  }

  /** The report shown, as the table holds it: every row's period, key and raw figures. */
  const tableRows = (testId: 'report-row' | 'report-total') => page.locator(`[data-testid=${testId}]`).evaluateAll((trs) => trs.map((tr) => {
    const e = tr as HTMLElement;
    const values: Record<string, string> = {};
    for (const td of e.querySelectorAll('td[data-column]')) values[(td as HTMLElement).dataset['column']!] = (td as HTMLElement).dataset['value']!;
    return { periodStart: e.dataset['periodStart']!, key: e.dataset['key']!, values };
  }));
  const result = (a: { by: string; grain: string; from: string; to: string }) =>
    page.locator(`[data-testid=report-result][data-by="${a.by}"][data-grain="${a.grain}"][data-from="${a.from}"][data-to="${a.to}"]`);

  async function runReport(a: { by: string; grain: string; from: string; to: string; keys?: string[] }): Promise<void> {
    const form = page.getByTestId('report-form');
    await form.locator('select[name=by]').selectOption(a.by);
    await form.locator('select[name=grain]').selectOption(a.grain);
    await form.locator('input[name=from]').fill(a.from);
    await form.locator('input[name=to]').fill(a.to);
    for (const k of a.keys ?? []) await form.locator(`input[name="key-${k}"]`).check();
    await page.getByTestId('report-run').click();
    await result({ ...a, grain: a.grain.startsWith('interval') ? 'interval' : a.grain }).waitFor();
  }

  /** Every figure of every row and total of the page equals the API's for the same query. */
  async function assertTableIs(api: Report): Promise<void> {
    for (const g of await page.locator('[data-testid=report-groups] input[type=checkbox]').all()) await g.check();
    const figures = REPORT_COLUMNS.filter((c) => !['periodStart', 'period', 'key', 'name'].includes(c));
    const expect = (rows: Row[]) => rows.map((r) => ({
      periodStart: String(r['periodStart']), key: String(r['key']), values: Object.fromEntries(figures.map((c) => [c, r[c] === null ? 'null' : String(r[c])])),
    }));
    assert.deepEqual(await tableRows('report-row'), expect(api.rows));
    assert.deepEqual(await tableRows('report-total'), expect(api.totals));
  }

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    base = await t.app.listen();
    const demo = t.tenants.demo;
    zone = (await t.app.tenants.bySlug('demo'))!.timeZone;
    today = DateTime.now().setZone(zone).toISODate()!;
    const queues = await t.app.routing.queues(demo);
    const users = await t.app.directory.listUsers(demo);
    ids = {
      sales: queues.find((q) => q.name === 'Sales')!.id, support: queues.find((q) => q.name === 'Support')!.id,
      agent1: users.find((u) => u.username === 'agent1')!.id, agent2: users.find((u) => u.username === 'agent2')!.id,
    };
    // Two weeks of contacts, then today's: in Sales 2-4 answered calls from 10:00 (waits 5 s, 13 s, 21 s, 29 s:
    // the last two past T = 20 s) and a 40 s abandon at 11:00; in Support an answered call at 14:00 every other day.
    let n = 0;
    for (let offset = -14; offset <= 0; offset++) {
      const date = day(offset);
      const calls = 2 + ((offset + 14) % 3);
      for (let i = 0; i < calls; i++) {
        const id = `sales-${date}-${i}`;
        new CallScript(t.app.bus, demo, id, localMs(date, `10:0${i * 2}`)).arrive(`+861380000000${i}`, '8000').queue(ids.sales).wait(5 + 8 * i)
          .offer(ids.agent1).answer().wait(60 + 10 * i).hangUp('customer', { agentId: ids.agent1, wrapSeconds: 15, disposition: i % 2 === 0 ? 'order' : 'question' });
        n++;
      }
      new CallScript(t.app.bus, demo, `abandon-${date}`, localMs(date, '11:00')).arrive('+8613900000009', '8000').queue(ids.sales).wait(40).abandon();
      n++;
      if (offset % 2 === 0) {
        new CallScript(t.app.bus, demo, `support-${date}`, localMs(date, '14:00')).arrive('+8613700000001', '8000').queue(ids.support).wait(3)
          .offer(ids.agent2).answer().wait(120).hangUp('agent', { agentId: ids.agent2, wrapSeconds: 30, disposition: 'order' });
        n++;
      }
    }
    // Agent 1's yesterday: a morning of calls, lunch, an afternoon, then offline.
    const yesterday = day(-1);
    const states: [string, string, string | null][] = [
      ['09:00', 'Available', null], ['10:00', 'Busy', null], ['10:02', 'AfterCallWork', null], ['10:03', 'Available', null],
      ['12:00', 'NotReady', 'lunch'], ['13:00', 'Available', null], ['15:30', 'NotReady', 'break'], ['15:45', 'Available', null], ['18:00', 'Offline', null],
    ];
    let previous = 'Offline';
    for (const [time, state, reason] of states) {
      t.app.bus.publish('AgentStateChanged', { tenantId: demo, agentId: ids.agent1, state, reason, previous, at: new Date(localMs(yesterday, time)).toISOString() });
      previous = state;
    }
    await t.app.interactions.recorder.settled();
    await t.app.analytics.settled();
    await t.app.analytics.recordSurvey(demo, `sales-${yesterday}-0`, 5);
    await t.app.analytics.recordSurvey(demo, `sales-${yesterday}-1`, 2);
    await t.app.analytics.settled();
    assert.ok(n > 50);

    supervisor = await login(t, 'demo', 'supervisor');
    ({ browser, close: closeBrowser } = await launchBrowser());
    ({ page } = await newPage(browser, base));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text()); });
    await logIn(page, 'supervisor');
  });
  after(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  test('the report opens on this week by queue; its figures are the API\'s', async () => {
    await page.getByTestId('nav-supervisor/reports').click();
    const week = { by: 'queue', grain: 'day', from: DateTime.fromISO(today).startOf('week').toISODate()!, to: today };
    await result(week).waitFor();
    const form = page.getByTestId('report-form');
    assert.deepEqual(
      [await form.locator('select[name=by]').inputValue(), await form.locator('select[name=grain]').inputValue(), await form.locator('input[name=from]').inputValue(), await form.locator('input[name=to]').inputValue()],
      ['queue', 'day', week.from, week.to],
    );
    assert.equal(await page.getByTestId('reports-zone').textContent(), `Dates and times in ${zone}`);
    await assertTableIs(await get<Report>(`/api/reports?by=queue&grain=day&from=${week.from}&to=${week.to}`));
  });

  test('two weeks by day: the table, the chart with a bar pair per day and a point per service level, the CSV', async () => {
    const q = { by: 'queue', grain: 'day', from: day(-13), to: today };
    await runReport(q);
    const api = await get<Report>(`/api/reports?by=queue&grain=day&from=${q.from}&to=${q.to}`);
    assert.equal(api.periods.length, 14);
    await assertTableIs(api);
    const salesRows = api.rows.filter((r) => r['key'] === ids.sales);
    assert.equal(salesRows.length, 14, 'every day has Sales contacts');
    const first = page.locator(`[data-testid=report-row][data-key="${ids.sales}"]`).first();
    const sl = salesRows[0]!['serviceLevel'] as number;
    assert.equal(await first.locator('td[data-column=serviceLevel]').textContent(), `${(sl * 100).toFixed(1)}%`);
    assert.equal(await first.locator('td[data-column=asaSeconds]').textContent(), `${Math.round((salesRows[0]!['asaSeconds'] as number) * 10) / 10}s`);
    assert.equal(await page.locator(`[data-testid=report-total][data-key="${ids.sales}"] td[data-column=csat]`).textContent(), '50.0%', 'one of two survey answers satisfied');
    assert.equal(await page.locator(`[data-testid=report-row][data-key="${ids.support}"] td[data-column=transferRate]`).first().textContent(), '0.0%');

    // The chart is of Sales (first by name): offered and answered per day, the service level where there is one.
    const chart = page.getByTestId('report-chart');
    assert.equal(await chart.locator('svg[role=img]').count(), 1);
    assert.equal(await chart.locator('.reports-bar').count(), 28);
    const offered = await chart.locator('.reports-bar-0').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    assert.deepEqual(offered, api.periods.map((p) => Number(salesRows.find((r) => r['periodStart'] === p.start)?.['offered'] ?? 0)));
    assert.equal(await chart.locator('.reports-point').count(), salesRows.filter((r) => r['serviceLevel'] !== null).length);
    await page.locator('select[name=chartKey]').selectOption(ids.support);
    assert.equal(await chart.locator('.reports-point').count(), api.rows.filter((r) => r['key'] === ids.support && r['serviceLevel'] !== null).length);
    assert.equal(await chart.locator('.reports-point').count(), 7);
    await page.locator('select[name=chartKey]').selectOption(ids.sales);
    await page.screenshot({ path: screenshotPath('reports-queue-en'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    assert.equal(download.suggestedFilename(), `report-queue-day-${q.from}-${q.to}.csv`);
    const [header, ...records] = parse(await readFile((await download.path())!, 'utf8')) as string[][];
    assert.deepEqual(header, REPORT_COLUMNS.map(String));
    const expected = [...api.rows, ...api.totals].map((r) => REPORT_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))));
    assert.deepEqual(records, expected);
  });

  test('30-minute intervals of one day: 48 periods, 96 bars; only the queues ticked', async () => {
    const q = { by: 'queue', grain: 'interval-30', from: day(-1), to: day(-1), keys: [ids.sales] };
    await runReport(q);
    const api = await get<Report>(`/api/reports?by=queue&grain=interval&interval=30&from=${q.from}&to=${q.to}&keys=${ids.sales}`);
    assert.equal(api.periods.length, 48);
    await assertTableIs(api);
    assert.ok(api.rows.every((r) => r['key'] === ids.sales));
    assert.equal(await page.getByTestId('report-chart').locator('.reports-bar').count(), 96);
    assert.equal(await page.locator('[data-testid=report-row]').first().locator('th').textContent(), `${day(-1)} 10:00`);
    await page.getByTestId('report-form').locator(`input[name="key-${ids.sales}"]`).uncheck();
    await page.screenshot({ path: screenshotPath('reports-interval-en'), fullPage: true });
  });

  test('by agent, with the time per state and reason code of each agent', async () => {
    const q = { by: 'agent', grain: 'day', from: day(-1), to: day(-1) };
    await runReport(q);
    await assertTableIs(await get<Report>(`/api/reports?by=agent&grain=day&from=${q.from}&to=${q.to}`));
    const agent1 = page.locator(`[data-testid=report-row][data-key="${ids.agent1}"]`);
    assert.equal(await agent1.locator('td[data-column=busySeconds]').textContent(), '2:00');
    assert.equal(await agent1.locator('td[data-column=notReadySeconds]').textContent(), '1:15:00');

    const states = page.locator(`[data-testid=agent-states][data-from="${q.from}"][data-to="${q.to}"]`);
    await states.locator('[data-testid=agent-states-row]').first().waitFor();
    const api = await get<{ rows: { agentId: string; state: string; reason: string; seconds: number }[] }>(`/api/reports/agent-states?grain=day&from=${q.from}&to=${q.to}`);
    const mine = api.rows.filter((r) => r.agentId === ids.agent1);
    assert.deepEqual(mine.map((r) => [r.state, r.reason, r.seconds]).sort(), [
      ['AfterCallWork', '', 60], ['Available', '', 3600 + 7020 + 9000 + 8100], ['Busy', '', 120], ['NotReady', 'break', 900], ['NotReady', 'lunch', 3600], ['Offline', '', 6 * 3600],
    ].sort());
    const cells = await states.locator(`[data-testid=agent-states-row][data-agent="${ids.agent1}"] td[data-state]`).evaluateAll((tds) => tds.map((td) => {
      const e = td as HTMLElement;
      return [e.dataset['state'], e.dataset['reason'], Number(e.dataset['value'])];
    }));
    assert.deepEqual(cells.filter((c) => c[2] !== 0).sort(), mine.map((r) => [r.state, r.reason, r.seconds]).sort());
    assert.equal(await states.locator(`[data-testid=agent-states-row][data-agent="${ids.agent1}"] td[data-state=NotReady][data-reason=lunch]`).textContent(), '1:00:00');
    assert.equal(await states.locator('th[data-state=NotReady][data-reason=lunch]').textContent(), 'Not ready: Lunch');
    await states.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('reports-agent-states-en'), fullPage: true });
  });

  test('a range too long for intervals: the server\'s message at the To field', async () => {
    const form = page.getByTestId('report-form');
    await form.locator('select[name=grain]').selectOption('interval-15');
    await form.locator('input[name=from]').fill(day(-40));
    await form.locator('input[name=to]').fill(today);
    await page.getByTestId('report-run').click();
    const res = await t.app.http.inject({ method: 'GET', url: `/api/reports?by=agent&grain=interval&interval=15&from=${day(-40)}&to=${today}`, headers: { cookie: supervisor } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details.field, 'to');
    await page.getByTestId('field-error-to').filter({ hasText: res.json().message }).waitFor();
    assert.equal(await form.locator('input[name=to]').getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: screenshotPath('reports-error-en') });
    await page.getByTestId('range-week').click();
    await form.locator('select[name=grain]').selectOption('day');
    await page.getByTestId('report-run').click();
    await page.getByTestId('field-error-to').waitFor({ state: 'detached' });
  });

  test('the Erlang C calculator shows the published worked example', async () => {
    await page.getByTestId('nav-supervisor/staffing').click();
    const form = page.getByTestId('erlang-form');
    assert.deepEqual(
      await Promise.all(['callsPerInterval', 'intervalSeconds', 'ahtSeconds', 'serviceLevel.percent', 'serviceLevel.seconds', 'shrinkage'].map((n) => form.locator(`input[name="${n}"]`).inputValue())),
      ['100', '30', '180', '80', '20', '30'],
    );
    await page.getByTestId('erlang-run').click();
    const out = page.getByTestId('erlang-result');
    await out.waitFor();
    const fact = (id: string) => out.getByTestId(`fact-${id}`);
    const text = async (id: string) => fact(id).locator('dd').textContent();
    assert.deepEqual(
      await Promise.all(['erlangs', 'agentsNeeded', 'scheduledAgentsNeeded', 'probabilityOfWaiting', 'serviceLevel', 'asaSeconds', 'occupancy'].map(text)),
      ['10', '14', '20', '17.4%', '88.8%', '7.8s', '71.4%'],
    );
    const api = (await post('/api/wfm/erlang-c', { callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 })).json();
    for (const id of ['erlangs', 'agentsNeeded', 'scheduledAgentsNeeded', 'probabilityOfWaiting', 'asaSeconds', 'occupancy', 'agents']) {
      assert.equal(await fact(id).getAttribute('data-value'), String(api[id]), id);
    }
    assert.equal(await fact('serviceLevel').getAttribute('data-value'), String(api.serviceLevel.percent));
    assert.equal(Number(api.serviceLevel.percent.toFixed(3)), 88.835);
    await page.screenshot({ path: screenshotPath('reports-staffing-en') });
  });

  test('a bad input: the server\'s message at the field', async () => {
    const form = page.getByTestId('erlang-form');
    await form.locator('input[name=ahtSeconds]').fill('0');
    await page.getByTestId('erlang-run').click();
    const res = await post('/api/wfm/erlang-c', { callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 0, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details.field, 'ahtSeconds');
    const error = page.getByTestId('field-error-ahtSeconds');
    await error.waitFor();
    assert.equal(await error.textContent(), res.json().message);
    assert.equal(await page.getByTestId('erlang-result').count(), 0);
    await page.screenshot({ path: screenshotPath('reports-staffing-error-en') });
    await form.locator('input[name=ahtSeconds]').fill('180');
    await form.locator('input[name=agents]').fill('10');
    await page.getByTestId('erlang-run').click();
    await page.getByTestId('erlang-unstable').waitFor();
    assert.equal(await page.getByTestId('fact-asaSeconds').getAttribute('data-value'), 'null');
    assert.equal(await page.getByTestId('fact-asaSeconds').locator('dd').textContent(), 'Unbounded');
    await form.locator('input[name=agents]').fill('');
  });

  test('the forecast of Sales from two weeks of history: contacts and agents per hour as the API answers them', async () => {
    const form = page.getByTestId('forecast-form');
    await form.locator('select[name=queueId]').selectOption(ids.sales);
    await form.locator('input[name=weeks]').fill('2');
    await form.locator('select[name=intervalMinutes]').selectOption('60');
    await form.locator('input[name=horizonDays]').fill('1');
    await page.getByTestId('forecast-run').click();
    const out = page.getByTestId('forecast-result');
    await out.waitFor();

    const history = await get<Report>(`/api/reports?by=queue&grain=interval&interval=60&from=${day(-14)}&to=${day(-1)}&keys=${ids.sales}`);
    const contacts = new Map(history.rows.map((r) => [r['periodStart'], Number(r['offered'])]));
    const res = await post('/api/wfm/forecast', {
      history: history.periods.map((p) => ({ start: p.start, contacts: contacts.get(p.start) ?? 0 })), intervalMinutes: 60, horizonDays: 1, timeZone: zone, weeks: 2,
      staffing: { ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 },
    });
    assert.equal(res.statusCode, 200, res.body);
    const api = res.json() as { intervals: { start: string; contacts: number; staffing: { agents: number; scheduledAgents: number } }[] };
    assert.equal(api.intervals.length, 24);
    assert.equal(api.intervals[0]!.start, new Date(localMs(today, '00:00')).toISOString(), 'the forecast starts today');
    const rows = await out.locator('[data-testid=forecast-row]').evaluateAll((trs) => trs.map((tr) => {
      const e = tr as HTMLElement;
      const v = (c: string) => Number((e.querySelector(`td[data-column=${c}]`) as HTMLElement).dataset['value']);
      return { start: e.dataset['start'], contacts: v('contacts'), agents: v('agents'), scheduledAgents: v('scheduledAgents') };
    }));
    assert.deepEqual(rows, api.intervals.map((i) => ({ start: i.start, contacts: i.contacts, agents: i.staffing.agents, scheduledAgents: i.staffing.scheduledAgents })));
    assert.ok(api.intervals.some((i) => i.contacts > 0 && i.staffing.agents > 0), 'the morning has calls to staff');
    const chart = page.getByTestId('forecast-chart');
    assert.equal(await chart.locator('.reports-bar').count(), 24);
    assert.equal(await chart.locator('.reports-point').count(), 24);
    assert.equal(await out.getByTestId('forecast-history').getAttribute('data-value'), String([...contacts.values()].reduce((a, b) => a + b, 0)));
    await out.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('reports-forecast-en'), fullPage: true });

    await form.locator('input[name=weeks]').fill('0');
    await page.getByTestId('forecast-run').click();
    await page.getByTestId('field-error-weeks').filter({ hasText: 'A whole number from 1 to 52.' }).waitFor();
    await form.locator('input[name=weeks]').fill('2');
    await form.locator('input[name="staffing.serviceLevel.percent"]').fill('100');
    await page.getByTestId('forecast-run').click();
    const refused = await post('/api/wfm/forecast', {
      history: [{ start: api.intervals[0]!.start, contacts: 1 }], intervalMinutes: 60, horizonDays: 1, timeZone: zone,
      staffing: { ahtSeconds: 180, serviceLevel: { percent: 100, seconds: 20 } },
    });
    assert.equal(refused.json().details.field, 'staffing.serviceLevel.percent');
    await page.getByTestId('field-error-staffing.serviceLevel.percent').filter({ hasText: refused.json().message }).waitFor();
    await form.locator('input[name="staffing.serviceLevel.percent"]').fill('80');
    await page.getByTestId('forecast-run').click();
    await out.waitFor();
    await page.getByTestId('field-error-staffing.serviceLevel.percent').waitFor({ state: 'detached' });
  });

  test('the pages in 简体中文 and 繁體中文', async () => {
    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.locator('h1').textContent(), '人力排班');
    assert.equal(await page.getByTestId('nav-supervisor/reports').textContent(), '報表');
    await page.getByTestId('erlang-run').click();
    // The last result (10 agents: unbounded) gives way to the worked example's.
    await page.getByTestId('erlang-unstable').waitFor({ state: 'detached' });
    await page.getByTestId('fact-serviceLevel').locator('dt').filter({ hasText: '20 秒內服務水準' }).waitFor();
    assert.equal(await page.getByTestId('fact-asaSeconds').locator('dd').textContent(), '7.8 秒');
    await page.screenshot({ path: screenshotPath('reports-staffing-zh-TW'), fullPage: true });

    await page.getByTestId('nav-supervisor/reports').click();
    await page.getByTestId('report-result').waitFor();
    assert.equal(await page.locator('h1').textContent(), '報表');
    assert.equal(await page.locator('th[data-column=serviceLevel]').textContent(), '服務水準');
    assert.equal(await page.getByTestId('report-csv').textContent(), '匯出 CSV');
    await page.screenshot({ path: screenshotPath('reports-zh-TW') });
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.locator('h1').textContent(), '报表');
    assert.equal(await page.locator('th[data-column=serviceLevel]').textContent(), '服务水平');
    assert.equal(await page.getByTestId('report-csv').textContent(), '导出 CSV');
    assert.equal(await page.getByTestId('nav-supervisor/staffing').textContent(), '人力排班');
    await page.screenshot({ path: screenshotPath('reports-zh-CN') });
    await page.getByTestId('language-select').selectOption('en');
    assert.equal(await page.getByTestId('nav-supervisor/kpi-settings').count(), 0, 'supervisors do not manage KPI settings');
  });

  test('an admin saves KPI settings (a bad one refused at its field) and rebuilds a range', async () => {
    const { context, page: admin } = await newPage(browser, base);
    admin.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await logIn(admin, 'admin');
    await admin.getByTestId('nav-supervisor/kpi-settings').click();
    const form = admin.getByTestId('kpi-settings-form');
    await form.locator('input[name=shortAbandonSeconds]').waitFor();
    assert.equal(await form.locator('input[name=shortAbandonSeconds]').inputValue(), '5');
    await form.locator('input[name=fcrWindowDays]').fill('0');
    await admin.getByTestId('kpi-save').click();
    const refused = await t.app.http.inject({ method: 'PUT', url: '/api/reports/settings', headers: { cookie: await login(t, 'demo', 'admin') }, payload: { fcrWindowDays: 0 } });
    assert.equal(refused.json().details.field, 'fcrWindowDays');
    await admin.getByTestId('field-error-fcrWindowDays').filter({ hasText: refused.json().message }).waitFor();
    await admin.screenshot({ path: screenshotPath('reports-kpi-error-en') });

    await form.locator('input[name=fcrWindowDays]').fill('3');
    await form.locator('input[name=shortAbandonSeconds]').fill('8');
    await admin.getByTestId('kpi-queue-Sales').locator(`select[name="queue-formula-${ids.sales}"]`).selectOption('answered-of-offered');
    await admin.getByTestId('kpi-queue-Sales').locator(`input[name="queue-shortAbandonSeconds-${ids.sales}"]`).fill('10');
    await admin.getByTestId('kpi-save').click();
    await form.getByTestId('notice').filter({ hasText: 'KPI settings saved.' }).waitFor();
    const saved = await get<{ shortAbandonSeconds: number; fcrWindowDays: number; queues: Record<string, unknown> }>('/api/reports/settings');
    assert.deepEqual([saved.shortAbandonSeconds, saved.fcrWindowDays, saved.queues], [8, 3, { [ids.sales]: { formula: 'answered-of-offered', shortAbandonSeconds: 10 } }]);

    const rebuild = admin.getByTestId('rebuild-form');
    await rebuild.locator('input[name=from]').fill(day(-7));
    await rebuild.locator('input[name=to]').fill(today);
    await admin.getByTestId('rebuild-run').click();
    const done = admin.getByTestId('rebuild-result');
    await done.waitFor();
    const again = (await post('/api/reports/rebuild', { from: day(-7), to: today }, await login(t, 'demo', 'admin'))).json();
    assert.equal(await done.getAttribute('data-interactions'), String(again.interactions));
    assert.equal(await done.getAttribute('data-state-stretches'), String(again.stateStretches));
    assert.equal(await done.textContent(), `Rebuilt ${day(-7)} to ${today}: ${again.interactions} contacts, ${again.stateStretches} agent state stretches.`);
    assert.ok(again.interactions > 20);
    await admin.screenshot({ path: screenshotPath('reports-kpi-settings-en'), fullPage: true });

    await rebuild.locator('input[name=from]').fill(today);
    await rebuild.locator('input[name=to]').fill(day(-1));
    await admin.getByTestId('rebuild-run').click();
    await admin.getByTestId('field-error-to').waitFor();
    await context.close();
  });

  test('nothing on the pages ran as script; no script error and nothing the Content-Security-Policy refused', () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(pageErrors, []);
  });
});
