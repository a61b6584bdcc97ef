// The admin console in Debian's Chromium against the real server: queues with their dispositions,
// an IVR flow typed wrong (the issue shown at its JSON Pointer and on the graph), fixed, saved and
// published, a calendar with a holiday, a number answered by the flow, an agent's skills, prompts,
// recording retention, customer fields; the server's validation messages next to their fields;
// and the pages in 简体中文 and 繁體中文. Screenshots go to the user guide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { encodeWav } from '../../src/media/index.ts';
import { RetentionPolicy } from '../../src/quality/index.ts';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

describe('admin console in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let closePage: () => Promise<void>;

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    base = await t.app.listen();
    ({ browser, close: closeBrowser } = await launchBrowser());
    const opened = await newPage(browser, base);
    page = opened.page;
    closePage = () => opened.context.close();
    page.on('dialog', (d) => void d.accept());
    await page.goto('/');
    await page.fill('input[name=tenant]', 'demo');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByTestId('welcome').waitFor();
  });
  after(async () => {
    await closePage?.();
    await closeBrowser?.();
    await t?.close();
  });

  const shot = (name: string) => page.screenshot({ path: screenshotPath(name), fullPage: true });
  const go = async (nav: string) => {
    await page.getByTestId(`nav-${nav}`).click();
    await page.locator('.admin-page').waitFor();
  };
  const notice = (text: string | RegExp) => page.getByTestId('notice').filter({ hasText: text }).first().waitFor();
  const flowText = () => page.getByTestId('flow-text');
  const waitForStatus = (text: string) => page.getByTestId('flow-status').filter({ hasText: text }).waitFor();

  test('every admin page is in the navigation, and users show their phones', async () => {
    for (const nav of ['users', 'teams', 'skills', 'queues', 'flows', 'prompts', 'calendars', 'numbers', 'phones', 'retention', 'customer-fields', 'audit', 'tokens']) {
      assert.equal(await page.getByTestId(`nav-${nav}`).count(), 1, nav);
    }
    await go('users');
    await page.getByTestId('user-phones-agent1').waitFor();
    assert.equal(await page.getByTestId('user-phones-agent1').textContent(), '1001');
    assert.equal(await page.getByTestId('user-phones-admin').textContent(), '—');
    await page.locator('input[name=search]').fill('陳');
    await page.getByTestId('user-row-agent1').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^=user-row-]').count(), 1, 'only 陳美玲 matches');
    await page.locator('input[name=search]').fill('');
    await shot('admin-users-en');
  });

  test('a queue with dispositions: the server\'s message about a setting is shown next to it, then the queue is created', async () => {
    await go('queues');
    await page.getByTestId('queue-row-Support').waitFor();
    await page.getByTestId('new-queue').click();
    const form = page.getByTestId('queue-form');
    await form.locator('input[name=name]').fill('Billing');
    await form.locator('input[name=priority]').fill('5');
    await form.getByRole('button', { name: 'Add required skill' }).click();
    await form.locator('input[name=requirement-skill-0]').fill('billing');
    await form.locator('select[name=requirement-min-0]').selectOption('2');
    for (const code of ['Paid', 'Refund requested', 'Wrong number']) {
      await form.locator('input[name=disposition]').fill(code);
      await form.locator('input[name=disposition]').press('Enter');
    }
    await form.getByRole('button', { name: 'Remove Wrong number' }).click();
    await form.locator('input[name=maxWaitSeconds]').fill('300');
    await form.locator('select[name=overflowKind]').selectOption('voicemail');
    await form.locator('input[name=offerTimeoutSeconds]').fill('2');
    await page.getByTestId('save-queue').click();

    const fieldError = form.getByTestId('field-error-offerTimeoutSeconds');
    await fieldError.waitFor();
    assert.equal(await fieldError.textContent(), 'body.settings.offerTimeoutSeconds must be >= 5');
    assert.equal(await form.locator('input[name=offerTimeoutSeconds]').getAttribute('aria-invalid'), 'true');
    assert.equal((await t.app.routing.queues(t.tenants.demo)).some((q) => q.name === 'Billing'), false, 'nothing was saved');
    await shot('admin-queue-error-en');

    await form.locator('input[name=offerTimeoutSeconds]').fill('25');
    await page.getByTestId('save-queue').click();
    await page.getByTestId('queue-row-Billing').waitFor();
    assert.equal(await page.getByTestId('queue-dispositions-Billing').textContent(), 'Paid, Refund requested');
    const stored = (await t.app.routing.queues(t.tenants.demo)).find((q) => q.name === 'Billing');
    assert.ok(stored);
    assert.deepEqual(stored.settings.dispositions, ['Paid', 'Refund requested']);
    assert.deepEqual(stored.settings.requirements, [{ skill: 'billing', minProficiency: 2 }]);
    assert.equal(stored.settings.priority, 5);
    assert.equal(stored.settings.offerTimeoutSeconds, 25);
    assert.equal(stored.settings.maxWaitSeconds, 300);
    assert.deepEqual(stored.settings.overflow, { kind: 'voicemail' });
    await page.getByTestId('queue-row-Support').getByRole('button', { name: 'Edit' }).click();
    await page.getByTestId('queue-form').waitFor();
    await shot('admin-queues-en');
    await page.getByTestId('queue-form').getByRole('button', { name: 'Cancel' }).click();
  });

  test('a flow typed wrong shows the issue at its pointer and on the graph; fixed, saved and published', async () => {
    await go('flows');
    await page.getByTestId('new-flow').click();
    await page.getByTestId('flow-form').locator('input[name=name]').fill('Billing line');
    await page.getByTestId('create-flow').click();
    await page.getByTestId('flow-editor').waitFor();
    await waitForStatus('Valid: ready to publish');
    for (const id of ['welcome', 'agent', 'goodbye']) await page.getByTestId(`flow-node-${id}`).waitFor();
    const flow = (await t.app.flows.list(t.tenants.demo)).find((f) => f.name === 'Billing line');
    assert.ok(flow);
    const billing = (await t.app.routing.queues(t.tenants.demo)).find((q) => q.name === 'Billing')!;

    // Not JSON at all: the syntax error is listed with its line.
    await flowText().fill('{ "start": "welcome", ');
    await waitForStatus('Not valid JSON');
    assert.match(await page.getByTestId('flow-issues').textContent() ?? '', /line 1, column \d+/);

    // Valid JSON, wrong flow: the menu's key 1 names a node that does not exist.
    const bad = {
      start: 'welcome', defaultLanguage: 'en',
      nodes: {
        welcome: { type: 'menu', prompt: { say: { en: 'For billing, press 1.', cmn: '账单问题请按1。' } }, options: { 1: 'nowhere' }, fallback: 'goodbye' },
        agent: { type: 'queue', queueId: billing.id },
        goodbye: { type: 'hangup', prompt: { say: { en: 'Goodbye.' } } },
      },
    };
    await flowText().fill(JSON.stringify(bad, null, 2));
    await waitForStatus('Issues: 1');
    const issue = page.getByTestId('flow-issues').locator('[data-path="/nodes/welcome/options/1"]');
    await issue.waitFor();
    assert.match(await issue.textContent() ?? '', /^\/nodes\/welcome\/options\/1 names no node \("nowhere"\) · line \d+, column \d+$/);
    assert.ok(await page.locator('.admin-code-mirror mark.admin-mark-issue').count() > 0, 'the place is marked in the text');
    assert.match(await page.getByTestId('flow-node-welcome').getAttribute('class') ?? '', /admin-flow-flagged/);
    assert.equal(await page.getByTestId('flow-node-nowhere').getAttribute('data-type'), 'missing');
    assert.equal(await page.getByTestId('flow-edge-welcome-nowhere').textContent(), 'key 1');
    await issue.getByRole('button').click();
    const selected = await flowText().evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(selected, '"1": "nowhere"', 'clicking the issue selects its place in the text');
    await shot('admin-flow-issue-en');

    // Saved with the issue, publishing is refused and lists it.
    await page.getByTestId('save-version').click();
    await notice('Saved version 2; 1 issues stop it being published.');
    await page.getByTestId('publish-flow').click();
    await page.getByTestId('publish-issues').locator('[data-path="/nodes/welcome/options/1"]').waitFor();
    assert.equal((await t.app.flows.get(t.tenants.demo, flow.id)).publishedVersion, null);

    // Fixed: the graph draws the branch to the queue, a palette node goes in, and it is published.
    await flowText().fill(JSON.stringify({ ...bad, nodes: { ...bad.nodes, welcome: { ...bad.nodes.welcome, options: { 1: 'agent' } } } }, null, 2));
    await waitForStatus('Valid: ready to publish');
    await page.getByTestId('flow-edge-welcome-agent').waitFor();
    assert.equal(await page.getByTestId('flow-node-nowhere').count(), 0);
    assert.match(await page.getByTestId('flow-node-welcome').textContent() ?? '', /welcome ▸ start.*Menu.*For billing, press 1/);
    assert.match(await page.getByTestId('flow-node-agent').textContent() ?? '', /→ Billing/, 'the queue is named, not its id');
    await page.getByTestId('palette-voicemail').click();
    await page.getByTestId('flow-node-voicemail1').waitFor();
    assert.match(await page.getByTestId('flow-node-voicemail1').getAttribute('class') ?? '', /admin-flow-unreached/, 'no branch reaches it yet');
    await waitForStatus('Valid: ready to publish');
    await page.getByTestId('flow-node-goodbye').click();
    const before = await flowText().evaluate((el: HTMLTextAreaElement) => el.value.slice(0, el.selectionStart));
    assert.ok(before.endsWith('"goodbye": {'), 'clicking a box puts the caret in that node');
    assert.match(await page.getByTestId('flow-node-goodbye').getAttribute('class') ?? '', /admin-flow-selected/);
    assert.match(await page.getByTestId('flow-hints').textContent() ?? '', /Required: type/);
    await page.getByTestId('save-version').click();
    await notice('Saved version 3.');
    await page.getByTestId('publish-flow').click();
    await notice('Version 3 is published: callers hear it now.');
    const published = await t.app.flows.get(t.tenants.demo, flow.id);
    assert.equal(published.publishedVersion, 3);
    const live = await t.app.flows.published(t.tenants.demo, flow.id);
    assert.ok(live);
    assert.equal(live.version, 3);
    assert.deepEqual(Object.keys(live.document.nodes).sort(), ['agent', 'goodbye', 'voicemail1', 'welcome']);
    assert.equal(live.document.nodes['welcome']?.type === 'menu' && live.document.nodes['welcome'].options['1'], 'agent');
    // The list reloads after the notice shows: wait for it rather than read it at once.
    await page.getByTestId('flow-published-Billing line').filter({ hasText: /^Version 3$/ }).waitFor();
    await shot('admin-flow-published-en');
  });

  test('the demo flow drawn in the graph, in English, 简体中文 and 繁體中文', async () => {
    await go('flows');
    await page.getByTestId('open-flow-Demo main menu').click();
    await page.getByTestId('flow-node-language').waitFor();
    await waitForStatus('Valid: ready to publish');
    for (const id of ['language', 'english', 'mandarin', 'hours', 'main', 'sales', 'support', 'callback', 'closed', 'voicemail']) {
      assert.equal(await page.getByTestId(`flow-node-${id}`).count(), 1, id);
    }
    assert.match(await page.getByTestId('flow-node-language').textContent() ?? '', /Welcome to the Swi/);
    assert.equal(await page.getByTestId('flow-edge-main-sales').textContent(), 'key 1');
    await shot('admin-flows-en');

    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.getByTestId('nav-flows').textContent(), 'IVR 流程');
    assert.equal(await page.getByTestId('nav-queues').textContent(), '队列');
    assert.match(await page.getByTestId('flow-node-language').textContent() ?? '', /按键菜单.*普通话服务请按2/, 'the Mandarin prompt in the Chinese UI');
    assert.equal(await page.getByTestId('flow-edge-main-sales').textContent(), '按 1');
    await shot('admin-flows-zh-CN');

    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.getByTestId('nav-queues').textContent(), '佇列');
    assert.match(await page.getByTestId('flow-node-language').textContent() ?? '', /按鍵選單/);
    assert.match(await page.getByTestId('flow-node-hours').textContent() ?? '', /營業時間判斷/);
    await shot('admin-flows-zh-TW');
    await page.getByTestId('language-select').selectOption('en');
  });

  test('a calendar with a holiday: a wrong time zone is refused at its field, then it is saved and shows whether it is open', async () => {
    await go('calendars');
    await page.getByTestId('new-calendar').click();
    const form = page.getByTestId('calendar-form');
    await form.locator('input[name=name]').fill('Taipei support');
    await form.locator('input[name=timeZone]').fill('Mars/Olympus_Mons');
    await form.locator('input[name=mon-end-0]').fill('17:30');
    await page.getByTestId('add-range-sat').click();
    await form.locator('input[name=sat-start-0]').fill('10:00');
    await form.locator('input[name=sat-end-0]').fill('14:00');
    await page.getByTestId('add-holiday').click();
    await form.locator('input[name=holiday-date-0]').fill('2026-10-10');
    await form.locator('input[name=holiday-name-0]').fill('National Day');
    await page.getByTestId('save-calendar').click();
    await form.getByTestId('field-error-timeZone').waitFor();
    assert.match(await form.getByTestId('field-error-timeZone').textContent() ?? '', /time ?zone/i);
    await shot('admin-calendar-error-en');

    await form.locator('input[name=timeZone]').fill('Asia/Taipei');
    await page.getByTestId('save-calendar').click();
    await page.getByTestId('calendar-Taipei support').waitFor();
    await page.getByTestId('calendar-status-Taipei support').waitFor();
    assert.match(await page.getByTestId('calendar-status-Taipei support').textContent() ?? '', /^(Open now · closes|Closed now · opens) /);
    assert.match(await page.getByTestId('holiday-2026-10-10').textContent() ?? '', /National Day — closed all day/);
    const stored = (await t.app.calendars.list(t.tenants.demo)).find((c) => c.name === 'Taipei support');
    assert.ok(stored);
    assert.equal(stored.timeZone, 'Asia/Taipei');
    assert.deepEqual(stored.weekly.mon, [{ start: '09:00', end: '17:30' }]);
    assert.deepEqual(stored.weekly.sat, [{ start: '10:00', end: '14:00' }]);
    assert.deepEqual(stored.weekly.sun, []);
    assert.deepEqual(stored.holidays, [{ date: '2026-10-10', name: 'National Day' }]);
    const status = await t.app.calendars.status(t.tenants.demo, stored.id);
    assert.equal((await page.getByTestId('calendar-status-Taipei support').textContent())?.startsWith(status.open ? 'Open now' : 'Closed now'), true);
    await shot('admin-calendars-en');
    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.getByTestId('nav-calendars').textContent(), '營業時間');
    await page.getByTestId('holiday-2026-10-10').filter({ hasText: '全天不營業' }).waitFor();
    await shot('admin-calendars-zh-TW');
    await page.getByTestId('language-select').selectOption('en');
  });

  test('a number answered by the new flow; a malformed number is refused at its field', async () => {
    await go('numbers');
    await page.getByTestId('number-row-8000').waitFor();
    const form = page.getByTestId('number-form');
    await form.locator('input[name=number]').fill('12');
    await form.locator('select[name=flowId]').selectOption({ label: 'Billing line' });
    await page.getByTestId('add-number').click();
    await form.getByTestId('field-error-number').waitFor();
    assert.equal(await form.getByTestId('field-error-number').textContent(), 'body.number must match pattern "^\\+?[0-9]{3,20}$"');

    await form.locator('input[name=number]').fill('+886227001234');
    await form.locator('input[name=label]').fill('Billing hotline');
    await page.getByTestId('add-number').click();
    await page.getByTestId('number-row-+886227001234').waitFor();
    const flow = (await t.app.flows.list(t.tenants.demo)).find((f) => f.name === 'Billing line')!;
    const stored = (await t.app.numbers.list(t.tenants.demo)).find((n) => n.number === '+886227001234');
    assert.equal(stored?.flowId, flow.id);
    assert.equal(stored?.label, 'Billing hotline');
    assert.equal(await page.getByTestId('number-flow-+886227001234').inputValue(), flow.id);

    await page.getByTestId('unknown-number-form').locator('input[name=status]').nth(1).check();
    await page.getByTestId('save-unknown-number').click();
    await notice('Unknown-number treatment saved.');
    assert.deepEqual(await t.app.numbers.unknownNumberTreatment(t.tenants.demo), { status: 480, announce: true });
    await shot('admin-numbers-en');
  });

  test('an agent\'s skills and languages are set, and the routing engine holds them', async () => {
    await go('skills');
    await page.getByTestId('edit-skills-agent1').click();
    const form = page.getByTestId('profile-form');
    await page.getByTestId('add-skill').click();
    const last = (await form.getByTestId('skill-row').count()) - 1;
    await form.locator(`input[name=skill-${last}]`).fill('billing');
    await form.locator(`select[name=skill-level-${last}]`).selectOption('4');
    await form.locator('input[name="speaks-lang:yue"]').check();
    await form.locator('select[name="level-lang:yue"]').selectOption('2');
    await form.locator('input[name=capacity-chat]').fill('3');
    await page.getByTestId('save-profile').click();
    await notice('Skills of 王小明 (Agent 1) saved.');
    await page.getByTestId('skill-agent1-billing').waitFor();
    const agent1 = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'agent1')!;
    const profile = await t.app.routing.agent(t.tenants.demo, agent1.id);
    assert.deepEqual(profile.skills, { sales: 4, support: 3, billing: 4, 'lang:en': 4, 'lang:cmn': 5, 'lang:yue': 2 });
    assert.equal(profile.capacity['chat'], 3);
    assert.equal(await page.getByTestId('skill-agent1-lang:yue').textContent(), 'Cantonese · 2');
    await page.getByTestId('edit-skills-agent2').click();
    await page.getByTestId('profile-form').waitFor();
    await shot('admin-skills-en');
    await page.getByTestId('profile-form').getByRole('button', { name: 'Cancel' }).click();
  });

  test('a WAV prompt is uploaded, played back from the server as stored, and deleted', async () => {
    await go('prompts');
    const tone = new Int16Array(4000).map((_, i) => Math.round(6000 * Math.sin(i / 4)));
    await page.getByTestId('prompt-form').locator('input[name=file]').setInputFiles({ name: 'billing welcome.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(tone, 8000, 1)) });
    assert.equal(await page.getByTestId('prompt-form').locator('input[name=name]').inputValue(), 'billing welcome', 'named after the file');
    await page.getByTestId('upload-prompt').click();
    await page.getByTestId('prompt-row-billing welcome').waitFor();
    const stored = (await t.app.prompts.list(t.tenants.demo)).find((p) => p.name === 'billing welcome');
    assert.ok(stored);
    assert.equal(stored.durationMs, 500);
    const src = await page.getByTestId('prompt-audio-billing welcome').getAttribute('src');
    assert.equal(src, `/api/prompts/${stored.id}/audio`);
    const served = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), bytes: [...new Uint8Array(await res.arrayBuffer())] };
    }, src);
    assert.equal(served.status, 200);
    assert.equal(served.type, 'audio/wav');
    assert.deepEqual(Buffer.from(served.bytes), await readFile((await t.app.prompts.path(t.tenants.demo, stored.id))!));

    await page.getByTestId('prompt-form').locator('input[name=file]').setInputFiles({ name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from('this is not a wav file') });
    await page.getByTestId('upload-prompt').click();
    await page.getByTestId('prompt-form').getByTestId('field-error-body').waitFor();
    assert.match(await page.getByTestId('prompt-form').getByTestId('field-error-body').textContent() ?? '', /not a usable WAV/);
    await shot('admin-prompts-en');

    await page.getByTestId('prompt-row-billing welcome').getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('prompt-row-billing welcome').waitFor({ state: 'detached' });
    assert.equal(await t.app.prompts.exists(t.tenants.demo, stored.id), false);
  });

  test('recording retention: out of range is refused at the field; 90 days is kept', async () => {
    await go('retention');
    await page.getByTestId('retention-current').filter({ hasText: 'Recordings are kept until someone deletes them.' }).waitFor();
    await page.locator('input[name=days]').fill('0');
    await page.getByTestId('save-retention').click();
    await page.getByTestId('field-error-days').waitFor();
    assert.equal(await page.getByTestId('field-error-days').textContent(), 'body.days must be >= 1');
    await page.getByRole('button', { name: '90 days' }).click();
    await page.getByTestId('save-retention').click();
    await notice('Recordings will be kept for 90 days.');
    assert.equal(await new RetentionPolicy({ db: t.app.storage.db, audit: t.app.audit }).days(t.tenants.demo), 90);
    await page.getByTestId('retention-current').filter({ hasText: 'Recordings are kept for 90 days.' }).waitFor();
    await shot('admin-retention-en');
  });

  test('customer fields and the default region; a bad key is refused at its field', async () => {
    await go('customer-fields');
    await page.getByTestId('add-field').click();
    await page.locator('input[name=key-0]').fill('VIP Level');
    await page.locator('input[name=label-0]').fill('VIP level');
    await page.locator('select[name=type-0]').selectOption('select');
    await page.locator('input[name=options-0]').fill('gold, silver');
    await page.getByTestId('save-fields').click();
    await page.getByTestId('field-error-items.0.key').waitFor();
    assert.match(await page.getByTestId('field-error-items.0.key').textContent() ?? '', /items\.0\.key must match pattern/);
    await page.locator('input[name=key-0]').fill('vip_level');
    await page.getByTestId('save-fields').click();
    await notice('Custom fields saved (1).');
    assert.deepEqual(await t.app.customers.fields(t.tenants.demo), [{ key: 'vip_level', label: 'VIP level', type: 'select', options: ['gold', 'silver'], required: false }]);
    await page.locator('input[name=defaultRegion]').fill('tw');
    await page.getByTestId('region-form').getByRole('button', { name: 'Save' }).click();
    await notice('Default region saved.');
    assert.deepEqual(await t.app.customers.settings(t.tenants.demo), { defaultRegion: 'TW' });
    await shot('admin-customer-fields-en');
  });

  test('the audit trail filters by action and actor; tokens offer only the creator\'s permissions', async () => {
    await go('audit');
    await page.getByTestId('audit-row').first().waitFor();
    await page.locator('select[name=action]').selectOption('ivr.flow.published');
    const actions = await page.getByTestId('audit-row').locator('td:nth-child(4)').allTextContents();
    assert.ok(actions.length >= 1);
    assert.ok(actions.every((a) => a === 'ivr.flow.published'), actions.join());
    await page.locator('input[name=actor]').fill('nobody-of-that-name');
    await page.getByTestId('audit-table').filter({ hasText: 'No entries.' }).waitFor();
    await page.locator('input[name=actor]').fill('adm');
    assert.ok(await page.getByTestId('audit-row').count() >= 1);
    await shot('admin-audit-en');

    await go('tokens');
    const offered = await page.getByTestId('token-form').locator('label.check').allTextContents();
    const me = await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()) as { permissions: string[] });
    assert.deepEqual(offered, me.permissions);
    await page.getByTestId('token-form').locator('input[name=name]').fill('wallboard');
    await page.getByTestId('token-form').getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('field-error-permissions').waitFor();
    await page.getByTestId('token-form').locator('label.check', { hasText: 'queues.read' }).locator('input').check();
    await page.getByTestId('token-form').getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('token-secret').waitFor();
    assert.match(await page.getByTestId('token-secret').locator('code').textContent() ?? '', /^sbt_/);
    await shot('admin-tokens-en');
  });

  test('the queues and skills pages in 简体中文 and 繁體中文', async () => {
    await go('queues');
    await page.getByTestId('language-select').selectOption('zh-CN');
    await page.getByTestId('queue-row-Billing').getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('queue-form').getByText('通话小结代码', { exact: true }).waitFor();
    assert.equal(await page.locator('h1').textContent(), '队列');
    await shot('admin-queues-zh-CN');
    await page.getByTestId('language-select').selectOption('zh-TW');
    await page.getByTestId('queue-form').getByText('結案代碼', { exact: true }).waitFor();
    assert.equal(await page.locator('h1').textContent(), '佇列');
    await shot('admin-queues-zh-TW');
    await go('skills');
    assert.equal(await page.getByTestId('skill-agent1-lang:yue').textContent(), '粵語 · 2');
    await shot('admin-skills-zh-TW');
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.getByTestId('skill-agent1-lang:yue').textContent(), '粤语 · 2');
    await page.getByTestId('language-select').selectOption('en');
  });
});
