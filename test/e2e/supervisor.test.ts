// The supervisor's screens in Debian's Chromium against the real server, with a real call from a
// baresip caller through the IVR to an agent's baresip: the agents view follows states live and
// forces one; the wallboard counts the call as it is offered and answered; the supervisor listens in
// on their own phone; the call's recording is found by the caller's number and played in the
// browser, and the playback is in the audit trail. Also: the language switch, a dropped WebSocket
// that resynchronizes without a reload, and names that are HTML staying text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import type { AppEvents } from '../../src/app.ts';
import { Baresip, baresipAvailable } from '../support/baresip.ts';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'Supervisor-E2E';
const CALLER = '13900139000';
const HOSTILE = '<img src=x onerror=alert(1)>';
const espeakAvailable = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = !baresipAvailable() ? 'baresip (baresip-core)' : !espeakAvailable ? 'espeak-ng' : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the supervisor\'s screens in Chromium with a real call', { skip: missing ? `${missing} is not installed: .ci/run installs it` : false }, () => {
  let t: TestApp;
  let base: string;
  let registrar: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let caller: Baresip;
  let agentPhone: Baresip;
  let supervisorPhone: Baresip;
  let ids: { agent1: string; agent2: string; hostile: string };
  let page: Page;
  let callId: string;
  let recordingId: string;
  const dialogs: string[] = [];

  const nextEvent = <K extends keyof AppEvents & string>(name: K, where: (p: AppEvents[K]) => boolean = () => true, timeoutMs = 30_000): Promise<AppEvents[K]> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${name} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = t.app.bus.subscribe(name, (p) => { if (!where(p)) return; clearTimeout(timer); off(); resolve(p); });
  });
  const tile = (queue: string, id: string) => page.getByTestId(`wallboard-queue-${queue}`).getByTestId(`wb-${id}`).locator('.sup-tile-value');
  const row = (agentId: string) => page.getByTestId(`agent-row-${agentId}`);

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    base = await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    registrar = `${udp.address}:${udp.port}`;
    const demo = t.tenants.demo;
    for (const phone of await t.app.phones.list(demo)) await t.app.phones.setPassword(demo, phone.id, `${PASSWORD}-${phone.username}`);
    await t.app.phones.create(demo, { username: CALLER, displayName: 'Caller', password: `${PASSWORD}-caller` });
    const team = (await t.app.directory.listTeams(demo))[0]!;
    const hostile = await t.app.directory.createUser(demo, { username: 'hostile', displayName: HOSTILE, password: TEST_PASSWORD, roles: ['agent'], teamIds: [team.id] });
    const users = await t.app.directory.listUsers(demo);
    ids = { agent1: users.find((u) => u.username === 'agent1')!.id, agent2: users.find((u) => u.username === 'agent2')!.id, hostile: hostile.id };
    const support = (await t.app.routing.queues(demo)).find((q) => q.name === 'Support')!;
    await t.app.routing.saveQueue(demo, { id: support.id, name: support.name, settings: { offerTimeoutSeconds: 30, wrapUpSeconds: 1, announceEverySeconds: 60 } });
    await t.app.routing.setAgentState(demo, ids.agent2, 'NotReady', 'break');

    caller = await Baresip.start({ user: CALLER, password: `${PASSWORD}-caller`, registrar, rtpBase: 36000 });
    agentPhone = await Baresip.start({ user: '1001', password: `${PASSWORD}-1001`, registrar, rtpBase: 36040 });
    supervisorPhone = await Baresip.start({ user: '1000', password: `${PASSWORD}-1000`, registrar, rtpBase: 36080 });
    await Promise.all([caller.waitFor('REGISTER_OK'), agentPhone.waitFor('REGISTER_OK'), supervisorPhone.waitFor('REGISTER_OK')]);

    ({ browser, close: closeBrowser } = await launchBrowser());
    ({ page } = await newPage(browser, base));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto('/');
    await page.fill('input[name=tenant]', 'demo');
    await page.fill('input[name=username]', 'supervisor');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByTestId('welcome').waitFor();
  });
  after(async () => {
    await closeBrowser?.();
    await caller?.stop();
    await agentPhone?.stop();
    await supervisorPhone?.stop();
    await t?.close();
  });

  test('the agents view: every team member with their state, live; a forced state change', async () => {
    await page.getByTestId('nav-supervisor').click();
    const team = page.getByTestId('roster-Front line');
    await team.waitFor();
    await row(ids.agent1).getByTestId('agent-state').filter({ hasText: 'Offline' }).waitFor();
    assert.equal(await row(ids.hostile).locator('td').first().textContent(), HOSTILE, 'a display name that is HTML stays text');
    assert.equal(await team.locator('img').count(), 0);

    // The agent goes Available on their desktop: the row follows without a reload.
    await t.app.routing.setAgentState(t.tenants.demo, ids.agent1, 'Available');
    await row(ids.agent1).getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
    await row(ids.agent1).getByTestId('agent-state-time').filter({ hasText: /^0:0[1-9]$/ }).waitFor();

    await row(ids.agent2).getByTestId('force-Available').click();
    await row(ids.agent2).getByTestId('agent-state').filter({ hasText: 'Available' }).waitFor();
    assert.equal((await t.app.routing.agent(t.tenants.demo, ids.agent2)).state, 'Available');
    await row(ids.agent2).getByTestId('force-NotReady').click();
    await row(ids.agent2).getByTestId('agent-state').filter({ hasText: 'Set by a supervisor' }).waitFor();
    const a2 = await t.app.routing.agent(t.tenants.demo, ids.agent2);
    assert.deepEqual([a2.state, a2.reason], ['NotReady', 'supervisor']);
    await page.screenshot({ path: screenshotPath('supervisor-agents-en') });
  });

  test('the wallboard counts a real call as it is offered and answered', async () => {
    await page.getByTestId('nav-supervisor/wallboard').click();
    await page.getByTestId('wallboard-queue-Support').waitFor();
    const offered = Number(await tile('Support', 'offered').textContent());
    const answered = Number(await tile('Support', 'answered').textContent());

    const arrived = nextEvent('CallArrived');
    const connected = nextEvent('CallConnected', (e) => e.agentId === ids.agent1);
    caller.command('dial', `sip:8000@${registrar}`);
    callId = (await arrived).callId;
    await caller.waitFor('CALL_ESTABLISHED', 15_000);
    await sleep(1500);
    caller.command('sndcode', '1');
    await sleep(600);
    caller.command('sndcode', '2');
    await connected;
    await tile('Support', 'offered').filter({ hasText: String(offered + 1) }).waitFor();
    await tile('Support', 'answered').filter({ hasText: String(answered + 1) }).waitFor();
    await page.getByTestId('wallboard-queue-Support').getByTestId('wb-state-Busy').filter({ hasText: '1' }).waitFor();
    await page.screenshot({ path: screenshotPath('wallboard-en') });
  });

  test('the agents view shows the call; the supervisor listens in on their own phone', async () => {
    await page.getByTestId('nav-supervisor').click();
    await row(ids.agent1).getByTestId('agent-work').filter({ hasText: `On a call with ${CALLER} (Support)` }).waitFor();
    const monitored = nextEvent('CallMonitored', (e) => e.callId === callId);
    await row(ids.agent1).getByTestId('monitor-listen').click();
    const m = await monitored;
    assert.equal(m.mode, 'listen');
    await supervisorPhone.waitFor('CALL_ESTABLISHED', 10_000);
    await page.getByTestId('notice').filter({ hasText: 'Listen: your phone rings' }).waitFor();
    const whisper = nextEvent('CallMonitored', (e) => e.callId === callId && e.mode === 'whisper');
    await row(ids.agent1).getByTestId('monitor-whisper').click();
    await whisper;
    await page.screenshot({ path: screenshotPath('supervisor-monitor-en') });
    await row(ids.agent1).getByTestId('monitor-stop').click();
    await page.getByTestId('notice').filter({ hasText: 'Monitoring stopped.' }).waitFor();
    const audit = await t.app.audit.list(t.tenants.demo, { limit: 20 });
    assert.ok(audit.some((e) => e.action === 'call.monitored' && e.targetId === callId && e.details['mode'] === 'listen'), 'monitoring is audited');
  });

  test('recordings: found by the caller\'s number, played in the browser, the playback audited', async () => {
    const stopped = nextEvent('CallRecordingStopped', (e) => e.callId === callId, 60_000);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId, 60_000);
    await sleep(2000);
    caller.command('hangup');
    recordingId = (await stopped).recordingId;
    await closed;

    await page.getByTestId('nav-supervisor/recordings').click();
    const form = page.getByTestId('recordings-form');
    await form.locator('input[name=number]').fill(CALLER);
    await form.locator('select[name=disposition]').waitFor();
    await page.getByTestId('recordings-search').click();
    const hit = page.getByTestId(`recording-row-${callId}`);
    await hit.waitFor();
    assert.match(await hit.textContent() ?? '', /王小明 \(Agent 1\)/);
    assert.match(await hit.textContent() ?? '', /Support/);
    await hit.getByTestId(`recording-play-${callId}`).click();
    const audio = page.getByTestId('recording-audio');
    await audio.waitFor();
    await page.waitForFunction(() => {
      const a = document.querySelector('[data-testid=recording-audio]') as HTMLAudioElement | null;
      return !!a && a.readyState >= 1 && a.duration > 1;
    });
    assert.equal(await audio.evaluate((a: HTMLAudioElement) => a.error), null, 'the browser decodes the WAV');
    const played = (await t.app.audit.list(t.tenants.demo, { limit: 20 })).filter((e) => e.action === 'recording.played' && e.targetId === recordingId);
    assert.ok(played.length >= 1, 'the playback is in the audit trail');
    assert.equal(played[0]!.actorName, 'supervisor');
    assert.equal(played[0]!.details['interactionId'], callId);
    await page.screenshot({ path: screenshotPath('recordings-en') });

    await form.locator('input[name=number]').fill('13700137000');
    await page.getByTestId('recordings-search').click();
    await page.getByTestId('recordings-table').filter({ hasText: 'No recordings match.' }).waitFor();
  });

  test('a dropped WebSocket comes back by itself and resynchronizes without a reload', async () => {
    await page.getByTestId('nav-supervisor').click();
    await page.getByTestId('roster-Front line').waitFor();
    await page.getByTestId('desk-live').filter({ hasText: 'Live' }).waitFor();
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same page'; });
    t.app.hub.closeAll();
    await t.app.routing.setAgentState(t.tenants.demo, ids.agent2, 'NotReady', 'lunch');
    await row(ids.agent2).getByTestId('agent-state').filter({ hasText: 'Lunch' }).waitFor();
    await page.getByTestId('desk-live').filter({ hasText: 'Live' }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'same page', 'no reload');
  });

  test('the wallboard in 繁體中文 and 简体中文', async () => {
    await page.getByTestId('nav-supervisor/wallboard').click();
    await page.getByTestId('wallboard-queue-Support').waitFor();
    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.locator('h1').textContent(), '即時看板');
    assert.equal(await page.getByTestId('wallboard-queue-Support').getByTestId('wb-waiting').locator('.sup-tile-label').textContent(), '目前排隊');
    assert.equal(await page.getByTestId('nav-supervisor/recordings').textContent(), '通話錄音');
    await page.screenshot({ path: screenshotPath('wallboard-zh-TW') });
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.locator('h1').textContent(), '实时看板');
    assert.equal(await page.getByTestId('nav-supervisor').textContent(), '坐席监控');
    await page.getByTestId('nav-supervisor').click();
    await row(ids.agent2).getByTestId('agent-state').filter({ hasText: '午餐' }).waitFor();
    await page.screenshot({ path: screenshotPath('supervisor-agents-zh-CN') });
    await page.getByTestId('language-select').selectOption('en');
  });

  test('nothing a caller or user typed ran as script', () => {
    assert.deepEqual(dialogs, []);
  });
});
