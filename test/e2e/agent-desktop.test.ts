// The agent desktop in Debian's Chromium against the real server, with real calls from baresip
// softphones: the agent picks their phone and goes Available; a caller dials 8000 and keys 1 (English)
// then 2 (Support); the offer pops with the caller's number, IVR choices, queue and the CRM customer;
// the agent answers on the phone, holds, writes notes, transfers to a colleague, wraps up with a
// disposition and finds the call in their history. Also: rejecting an offer, the language switch,
// a dropped WebSocket that resynchronizes without a reload, and caller-typed text that never runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import type { AppEvents } from '../../src/app.ts';
import { Baresip, baresipAvailable } from '../support/baresip.ts';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'Agent-Desktop-E2E';
const CALLER = '13800138000';
const STRANGER = '13700137000';
const HOSTILE = '<img src=x onerror=alert(1)>';
const espeakAvailable = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = !baresipAvailable() ? 'baresip (baresip-core)' : !espeakAvailable ? 'espeak-ng' : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the agent desktop in Chromium with real calls', { skip: missing ? `${missing} is not installed: .ci/run installs it` : false }, () => {
  let t: TestApp;
  let base: string;
  let registrar: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let caller: Baresip;
  let stranger: Baresip;
  let agent1Phone: Baresip;
  let agent2Phone: Baresip;
  let ids: { agent1: string; agent2: string };
  let customerId: string;
  let page: Page;
  let companySystem: Server;
  const asked: string[] = [];
  const dialogs: string[] = [];

  const nextEvent = <K extends keyof AppEvents & string>(name: K, where: (p: AppEvents[K]) => boolean = () => true, timeoutMs = 30_000): Promise<AppEvents[K]> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${name} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = t.app.bus.subscribe(name, (p) => { if (!where(p)) return; clearTimeout(timer); off(); resolve(p); });
  });

  /** Dials 8000 and keys English (1), then Support (2); resolves with the call's id once it is queued. */
  const callSupport = async (from = caller) => {
    const arrived = nextEvent('CallArrived');
    const queued = nextEvent('ContactQueued');
    const since = from.events.length;
    from.command('dial', `sip:8000@${registrar}`);
    const callId = (await arrived).callId;
    await from.waitFor('CALL_ESTABLISHED', 15_000, since);
    await sleep(1500);
    from.command('sndcode', '1');
    await sleep(600);
    from.command('sndcode', '2');
    assert.equal((await queued).contactId, callId);
    return callId;
  };

  const hangUpCaller = async (callId: string, from = caller) => {
    const ended = nextEvent('CallEnded', (e) => e.callId === callId);
    from.command('hangup');
    await ended;
  };

  async function logIn(p: Page, username: string): Promise<void> {
    await p.goto('/');
    await p.fill('input[name=tenant]', 'demo');
    await p.fill('input[name=username]', username);
    await p.fill('input[name=password]', TEST_PASSWORD);
    await p.click('button[type=submit]');
    await p.getByTestId('welcome').waitFor();
  }

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    base = await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    registrar = `${udp.address}:${udp.port}`;
    const demo = t.tenants.demo;
    for (const phone of await t.app.phones.list(demo)) await t.app.phones.setPassword(demo, phone.id, `${PASSWORD}-${phone.username}`);
    await t.app.phones.create(demo, { username: CALLER, displayName: HOSTILE, password: `${PASSWORD}-caller` });
    await t.app.phones.create(demo, { username: STRANGER, displayName: 'Stranger', password: `${PASSWORD}-stranger` });
    const users = await t.app.directory.listUsers(demo);
    ids = { agent1: users.find((u) => u.username === 'agent1')!.id, agent2: users.find((u) => u.username === 'agent2')!.id };
    const support = (await t.app.routing.queues(demo)).find((q) => q.name === 'Support')!;
    await t.app.routing.saveQueue(demo, { id: support.id, name: support.name, settings: { offerTimeoutSeconds: 40, wrapUpSeconds: 120, announceEverySeconds: 60 } });
    await t.app.routing.setAgentState(demo, ids.agent2, 'NotReady', 'break');

    // The caller is in the CRM (a Mainland number, so the workspace reads national numbers as CN).
    const admin = await login(t, 'demo', 'admin');
    await t.app.http.inject({ method: 'PUT', url: '/api/crm/settings', headers: { cookie: admin }, payload: { defaultRegion: 'CN' } });
    const created = await t.app.http.inject({
      method: 'POST', url: '/api/customers', headers: { cookie: admin },
      payload: { name: HOSTILE, company: 'Acme 物流', tags: ['VIP', '<b>bold</b>'], identities: [{ kind: 'phone', value: `+86${CALLER}` }] },
    });
    assert.equal(created.statusCode, 201, created.body);
    customerId = created.json().id;
    await t.app.http.inject({ method: 'POST', url: `/api/customers/${customerId}/notes`, headers: { cookie: admin }, payload: { body: 'Prefers Mandarin <script>alert(2)</script>' } });

    // The company's own system, asked by the external customer lookup (a real HTTP server on loopback).
    companySystem = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ account: 'ERP-7781', tier: '<em>gold</em>' }));
    });
    await new Promise<void>((r) => companySystem.listen(0, '127.0.0.1', r));
    const port = (companySystem.address() as { port: number }).port;
    const lookup = await t.app.http.inject({
      method: 'PUT', url: '/api/integrations/lookup', headers: { cookie: admin },
      payload: { urlTemplate: `http://127.0.0.1:${port}/customers?phone={{phone}}`, allowPrivateNetwork: true, cacheTtlSeconds: 0 },
    });
    assert.equal(lookup.statusCode, 200, lookup.body);

    caller = await Baresip.start({ user: CALLER, password: `${PASSWORD}-caller`, registrar, rtpBase: 35000 });
    agent1Phone = await Baresip.start({ user: '1001', password: `${PASSWORD}-1001`, registrar, rtpBase: 35040, answerMode: 'manual' });
    agent2Phone = await Baresip.start({ user: '1002', password: `${PASSWORD}-1002`, registrar, rtpBase: 35080 });
    stranger = await Baresip.start({ user: STRANGER, password: `${PASSWORD}-stranger`, registrar, rtpBase: 35120 });
    await Promise.all([caller, agent1Phone, agent2Phone, stranger].map((p) => p.waitFor('REGISTER_OK')));

    ({ browser, close: closeBrowser } = await launchBrowser());
    ({ page } = await newPage(browser, base));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await logIn(page, 'agent1');
    await page.getByTestId('nav-agent').click();
    await page.getByTestId('desk-live').filter({ hasText: 'Live' }).waitFor();
  });
  after(async () => {
    await closeBrowser?.();
    await new Promise((r) => companySystem?.close(r));
    await caller?.stop();
    await stranger?.stop();
    await agent1Phone?.stop();
    await agent2Phone?.stop();
    await t?.close();
  });

  test('the agent picks their phone and goes Available; time in state counts', async () => {
    assert.equal(await page.getByTestId('desk-state').textContent(), 'Offline');
    const phone = (await t.app.phones.list(t.tenants.demo)).find((p) => p.username === '1001')!;
    await page.getByTestId('desk-station').selectOption(phone.id);
    await page.getByTestId('notice').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal((await t.app.desktop.stationOf(t.tenants.demo, ids.agent1))?.username, '1001');

    await page.getByTestId('desk-available').click();
    await page.getByTestId('desk-state').filter({ hasText: 'Available' }).waitFor();
    assert.equal((await t.app.routing.agent(t.tenants.demo, ids.agent1)).state, 'Available');
    await page.getByTestId('desk-state-time').filter({ hasText: /^0:0[1-9]$/ }).waitFor();
    await page.screenshot({ path: screenshotPath('desktop-available-en') });
  });

  test('a real call: the offer pops with caller, IVR keys, queue and the customer; answered on the phone, held, noted, transferred, wrapped up; in my history', async () => {
    const callId = await callSupport();
    const offer = page.getByTestId('desk-offer');
    await offer.waitFor();
    assert.equal(await page.getByTestId('desk-offer-caller').textContent(), CALLER);
    assert.equal(await page.getByTestId('desk-offer-queue').textContent(), 'Support');
    assert.equal(await page.getByTestId('desk-offer-language').textContent(), 'English');
    const ivr = await page.getByTestId('desk-offer-ivr').textContent() ?? '';
    assert.match(ivr, /language 1/);
    assert.match(ivr, /main 2/);

    // The screen pop: the CRM customer of the number, shown as text (their name is an HTML tag).
    await page.getByTestId('desk-customer-name').waitFor();
    assert.equal(await page.getByTestId('desk-customer-name').textContent(), HOSTILE);
    assert.equal(await page.getByTestId('desk-customer-company').textContent(), 'Acme 物流');
    assert.deepEqual((await page.getByTestId('desk-customer-tags').locator('li').allTextContents()).sort(), ['<b>bold</b>', 'VIP']);
    await page.getByTestId('desk-timeline').filter({ hasText: 'Prefers Mandarin <script>alert(2)</script>' }).waitFor();
    assert.equal(await page.getByTestId('desk-pop').locator('img, script, b').count(), 0, 'no element was made from customer text');
    await page.screenshot({ path: screenshotPath('desktop-offer-en') });

    // Answer on the phone.
    await agent1Phone.waitFor('CALL_INCOMING', 15_000);
    const connected = nextEvent('CallConnected', (e) => e.callId === callId && e.agentId === ids.agent1);
    agent1Phone.command('accept');
    await connected;
    await page.getByTestId('desk-call').waitFor();
    assert.equal(await offer.count(), 0, 'the offer is gone once answered');
    await page.getByTestId('desk-call-timer').filter({ hasText: /^0:0[1-9]$/ }).waitFor();
    assert.equal(await page.getByTestId('desk-state').textContent(), 'On a call');

    // Hold and resume from the desktop (the customer hears music meanwhile).
    const held = nextEvent('CallHeld', (e) => e.callId === callId);
    await page.getByTestId('desk-hold').click();
    await held;
    await page.getByTestId('desk-call-held').waitFor();
    const resumed = nextEvent('CallResumed', (e) => e.callId === callId);
    await page.getByTestId('desk-hold').click();
    await resumed;
    await page.getByTestId('desk-call-held').waitFor({ state: 'detached' });

    // Notes while talking, kept on the interaction.
    await page.getByTestId('desk-notes').fill('Parcel 42 is late <i>again</i>');
    await page.getByTestId('desk-save-notes').click();
    await page.getByTestId('notice').filter({ hasText: 'Notes saved.' }).waitFor();
    assert.equal((await t.app.interactions.store.get(t.tenants.demo, callId)).notes, 'Parcel 42 is late <i>again</i>');
    await page.screenshot({ path: screenshotPath('desktop-call-en') });

    // Blind transfer to the colleague (their phone answers by itself); my part ends in wrap-up.
    await page.getByTestId('desk-transfer-kind').selectOption('agent');
    await page.getByTestId('desk-transfer-target').selectOption(ids.agent2);
    await page.getByTestId('desk-transfer-mode').selectOption('blind');
    const toAgent2 = nextEvent('CallConnected', (e) => e.callId === callId && e.agentId === ids.agent2);
    await page.getByTestId('desk-transfer-go').click();
    await toAgent2;
    await page.getByTestId('desk-wrapup').waitFor();
    assert.equal(await page.getByTestId('desk-call').count(), 0);
    assert.equal(await page.getByTestId('desk-state').textContent(), 'Wrap-up');
    assert.equal(await page.getByTestId('desk-wrapup-notes').inputValue(), 'Parcel 42 is late <i>again</i>', 'the call\'s notes carry into wrap-up');
    assert.deepEqual((await page.getByTestId('desk-disposition').locator('option').allTextContents()).slice(1), ['Resolved', 'Follow-up needed', 'Escalated', 'Wrong number']);
    await page.getByTestId('desk-wrapup-timer').filter({ hasText: /left$/ }).waitFor();
    await page.getByTestId('desk-disposition').selectOption('Escalated');
    // A ticket for the follow-up, linked to the customer and this call.
    await page.getByTestId('desk-ticket-open').click();
    await page.getByTestId('desk-ticket-form').locator('input[name=ticketSubject]').fill('Parcel 42 late');
    await page.getByTestId('desk-ticket-create').click();
    await page.getByTestId('desk-ticket-created').waitFor();
    const tickets = (await t.app.http.inject({ method: 'GET', url: `/api/tickets?customer=${customerId}`, headers: { cookie: await login(t, 'demo', 'agent1') } })).json().items as { subject: string; interactionIds: string[]; customerId: string }[];
    assert.deepEqual(tickets.map((x) => [x.subject, x.interactionIds, x.customerId]), [['Parcel 42 late', [callId], customerId]]);
    await page.screenshot({ path: screenshotPath('desktop-wrapup-en') });
    const wrapped = nextEvent('WrapUpEnded', (e) => e.contactId === callId && e.agentId === ids.agent1);
    await page.getByTestId('desk-finish-wrapup').click();
    assert.equal((await wrapped).disposition, 'Escalated');
    await page.getByTestId('desk-state').filter({ hasText: 'Available' }).waitFor();
    await page.getByTestId('desk-idle').waitFor();

    // The caller hangs up on agent 2, whose wrap-up ends: the record is final.
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    await hangUpCaller(callId);
    await t.app.routing.endWrapUp(t.tenants.demo, ids.agent2, 'Resolved');
    await t.app.routing.setAgentState(t.tenants.demo, ids.agent2, 'NotReady', 'break');
    await closed;

    await page.getByTestId('nav-agent/history').click();
    const row = page.getByTestId(`history-row-${callId}`);
    await row.waitFor();
    await row.getByTestId('history-outcome').filter({ hasText: 'Answered' }).waitFor();
    assert.match(await row.getByTestId('history-outcome').textContent() ?? '', /transferred on/);
    assert.equal(await row.getByTestId('history-disposition').textContent(), 'Escalated', 'my own disposition, not agent 2\'s');
    assert.match(await row.textContent() ?? '', /Parcel 42 is late <i>again<\/i>/);
    await page.screenshot({ path: screenshotPath('history-en') });
    await page.getByTestId('nav-agent').click();
    await page.getByTestId('desk-state').filter({ hasText: 'Available' }).waitFor();
  });

  test('rejecting an offer (Alt+R): it leaves my screen, I am Not ready (rejected); the screen pop lists the customer\'s open ticket', async () => {
    const callId = await callSupport();
    await page.getByTestId('desk-offer').waitFor();
    await page.getByTestId('desk-tickets').filter({ hasText: 'Parcel 42 late' }).waitFor();
    await agent1Phone.waitFor('CALL_INCOMING', 15_000, agent1Phone.events.length - 1);
    const declined = nextEvent('OfferDeclined', (e) => e.contactId === callId);
    await page.keyboard.press('Alt+R');
    assert.equal((await declined).reason, 'rejected');
    await page.getByTestId('desk-offer').waitFor({ state: 'detached' });
    await page.getByTestId('desk-state').filter({ hasText: 'Not ready' }).waitFor();
    assert.equal(await page.getByTestId('desk-state-reason').textContent(), 'Rejected a call');
    await hangUpCaller(callId);
  });

  test('an unknown caller: the screen pop offers to create the customer, who then pops; the company system\'s answer is shown', async () => {
    await page.getByTestId('desk-available').click();
    await page.getByTestId('desk-state').filter({ hasText: 'Available' }).waitFor();
    const callId = await callSupport(stranger);
    await page.getByTestId('desk-offer').waitFor();
    const form = page.getByTestId('desk-unknown');
    await form.waitFor();
    assert.match(await form.textContent() ?? '', new RegExp(`Unknown caller ${STRANGER}`));
    await form.locator('input[name=customerName]').fill('张伟');
    await form.locator('input[name=customerCompany]').fill('<script>alert(3)</script>');
    await page.getByTestId('desk-create-customer').click();
    await page.getByTestId('desk-customer-name').filter({ hasText: '张伟' }).waitFor();
    assert.equal(await page.getByTestId('desk-customer-company').textContent(), '<script>alert(3)</script>');
    const found = await t.app.customers.resolve(t.tenants.demo, { kind: 'phone', value: `+86${STRANGER}` });
    assert.ok(found, 'the customer owns the caller\'s number');
    const external = page.getByTestId('desk-external');
    await external.filter({ hasText: 'ERP-7781' }).waitFor();
    assert.match(await external.textContent() ?? '', /<em>gold<\/em>/, 'the company system\'s answer, as text');
    assert.equal(await external.locator('em').count(), 0);
    assert.ok(asked.some((u) => u.includes(STRANGER)), `the company system was asked about the caller: ${asked.join(', ')}`);
    await page.screenshot({ path: screenshotPath('desktop-new-customer-en') });
    await page.getByTestId('desk-reject').click();
    await page.getByTestId('desk-offer').waitFor({ state: 'detached' });
    await hangUpCaller(callId, stranger);
  });

  test('a dropped WebSocket comes back by itself and resynchronizes without a reload', async () => {
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same page'; });
    const before = Number(await page.getByTestId('desk').getAttribute('data-resyncs'));
    t.app.hub.closeAll();
    // Changed while the page has no socket: only a resynchronization can show it.
    await t.app.routing.setAgentState(t.tenants.demo, ids.agent1, 'NotReady', 'meeting');
    await page.getByTestId('desk-state-reason').filter({ hasText: 'Meeting' }).waitFor();
    await page.getByTestId('desk-live').filter({ hasText: 'Live' }).waitFor();
    assert.ok(Number(await page.getByTestId('desk').getAttribute('data-resyncs')) > before, 'the state was read again');
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'same page', 'no reload');
    // And live messages flow again on the new socket.
    await t.app.routing.setAgentState(t.tenants.demo, ids.agent1, 'NotReady', 'training');
    await page.getByTestId('desk-state-reason').filter({ hasText: 'Training' }).waitFor();
  });

  test('the desktop in 简体中文 and 繁體中文', async () => {
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.locator('h1').textContent(), '坐席工作台');
    assert.equal(await page.getByTestId('desk-state').textContent(), '未就绪');
    assert.equal(await page.getByTestId('desk-state-reason').textContent(), '培训');
    assert.equal(await page.getByTestId('nav-agent/history').textContent(), '我的记录');
    await page.screenshot({ path: screenshotPath('desktop-zh-CN') });
    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.locator('h1').textContent(), '客服人員工作台');
    assert.equal(await page.getByTestId('desk-state').textContent(), '未就緒');
    assert.equal(await page.getByTestId('desk-available').textContent(), '可接聽');
    await page.screenshot({ path: screenshotPath('desktop-zh-TW') });
    await page.getByTestId('language-select').selectOption('en');
  });

  test('nothing a caller or customer typed ran as script', () => {
    assert.deepEqual(dialogs, []);
  });
});
