// Tickets routed to agents in Debian's Chromium against the real server: a ticket of a type that names
// a queue is offered on the agent desktop with its number, subject, priority and customer; the agent
// accepts it with the keyboard shortcut, opens it from "My tasks" and resolves it, which frees their
// task capacity; a second offer is rejected and goes back to the queue; the texts in 简体中文 and
// 繁體中文; and nothing a customer typed into a ticket runs as script.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { AppEvents } from '../../src/app.ts';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('tasks on the agent desktop in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let agent1: string;
  let typeId: string;
  let customerId: string;
  let acceptedId: string;
  const dialogs: string[] = [];

  const nextEvent = <K extends keyof AppEvents & string>(name: K, where: (p: AppEvents[K]) => boolean = () => true, timeoutMs = 15_000): Promise<AppEvents[K]> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${name} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = t.app.bus.subscribe(name, (p) => { if (!where(p)) return; clearTimeout(timer); off(); resolve(p); });
  });
  const openTicket = async (subject: string, priority: 'normal' | 'high' | 'urgent', description = '') => {
    const offered = nextEvent('OfferCreated', (e) => e.channel === 'task');
    const ticket = await t.app.tickets.create(t.tenants.demo, { type: typeId, subject, priority, customerId, description }, { userId: null, name: 'web form', ip: null });
    await offered;
    return ticket;
  };

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    const base = await t.app.listen();
    const demo = t.tenants.demo;
    agent1 = (await t.app.directory.listUsers(demo)).find((u) => u.username === 'agent1')!.id;
    const queue = await t.app.routing.saveQueue(demo, { name: 'Back office', settings: { offerTimeoutSeconds: 300 } });
    const inquiry = (await t.app.tickets.types(demo)).find((x) => x.key === 'inquiry')!;
    typeId = (await t.app.tickets.updateType(demo, inquiry.id, { key: inquiry.key, name: inquiry.name, workflow: inquiry.workflow, queueId: queue.id })).id;
    await t.app.routing.setProfile(demo, agent1, { skills: { support: 3 }, capacity: { voice: 1, task: 2 } });
    customerId = (await t.app.customers.create(demo, { name: `Mei Chen ${HOSTILE}` })).id;

    ({ browser, close: closeBrowser } = await launchBrowser());
    ({ page } = await newPage(browser, base));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto('/');
    await page.fill('input[name=tenant]', 'demo');
    await page.fill('input[name=username]', 'agent1');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('nav-agent').click();
    await page.getByTestId('desk-live').filter({ hasText: 'Live' }).waitFor();
    await page.getByTestId('desk-no-tasks').waitFor();
    await page.getByTestId('desk-available').click();
    await page.getByTestId('desk-state').filter({ hasText: 'Available' }).waitFor();
  });
  after(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  test('a ticket is offered with its number, subject, priority and customer; Alt+Y accepts it and it is mine', async () => {
    const ticket = await openTicket('Invoice address wrong', 'high', `Please fix ${HOSTILE}`);
    acceptedId = ticket.id;
    const offer = page.getByTestId('desk-task-offer');
    await offer.waitFor();
    assert.equal(await offer.getByTestId('desk-task-number').textContent(), `#${ticket.number}`);
    assert.equal(await offer.getByTestId('desk-task-subject').textContent(), 'Invoice address wrong');
    assert.equal(await offer.getByTestId('desk-task-priority').textContent(), 'High');
    assert.equal(await offer.getByTestId('desk-task-customer').textContent(), `Mei Chen ${HOSTILE}`);
    await page.screenshot({ path: screenshotPath('agent-task-offer-en') });

    const assigned = nextEvent('TicketUpdated', (e) => e.ticketId === ticket.id && e.changed.includes('assigneeUserId'));
    await page.keyboard.press('Alt+Y');
    await assigned;
    await page.getByTestId('notice').filter({ hasText: `Ticket #${ticket.number} is yours now.` }).waitFor();
    await page.getByTestId('desk-task').waitFor();
    assert.equal(await page.getByTestId('desk-task-offer').count(), 0);
    assert.equal((await t.app.tickets.get(t.tenants.demo, ticket.id)).assigneeUserId, agent1);
    const me = await t.app.routing.agent(t.tenants.demo, agent1);
    assert.deepEqual([me.state, me.load.task], ['Available', 1], 'still Available');
  });

  test('the task\'s link opens the ticket; Resolve moves it along its workflow to resolved and frees my capacity', async () => {
    const link = page.getByTestId('desk-task-link');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-ticket-subject').filter({ hasText: 'Invoice address wrong' }).waitFor();
    assert.match(page.url(), /\/agent\?ticket=/);
    assert.equal(await page.getByTestId('desk-ticket-description').textContent(), `Please fix ${HOSTILE}`);
    assert.equal(await page.getByTestId('desk-ticket-status').textContent(), 'New');
    await page.screenshot({ path: screenshotPath('agent-task-ticket-en') });

    const ticketId = acceptedId;
    const released = nextEvent('ContactEnded', (e) => e.reason === 'resolved');
    await page.getByTestId('desk-task-resolve').click();
    await released;
    await page.getByTestId('desk-no-tasks').waitFor();
    const resolved = await t.app.tickets.get(t.tenants.demo, ticketId);
    assert.deepEqual([resolved.status, resolved.statusCategory], ['resolved', 'resolved']);
    assert.deepEqual((await t.app.tickets.history(t.tenants.demo, ticketId)).filter((h) => h.field === 'status').map((h) => h.to), ['in_progress', 'resolved']);
    assert.equal((await t.app.routing.agent(t.tenants.demo, agent1)).load.task, 0);
    await page.getByTestId('desk-ticket-close').click();
    await page.getByTestId('desk-ticket').waitFor({ state: 'detached' });
  });

  test('a rejected offer goes back to the queue and I am NotReady', async () => {
    const ticket = await openTicket('Second ticket', 'urgent');
    await page.getByTestId('desk-task-offer').waitFor();
    assert.equal(await page.getByTestId('desk-task-priority').textContent(), 'Urgent');
    const declined = nextEvent('OfferDeclined', (e) => e.reason === 'rejected');
    await page.getByTestId('desk-task-reject').click();
    await declined;
    await page.getByTestId('desk-task-offer').waitFor({ state: 'detached' });
    await page.getByTestId('desk-state').filter({ hasText: 'Not ready' }).waitFor();
    assert.equal((await t.app.tickets.get(t.tenants.demo, ticket.id)).assigneeUserId, null, 'still unassigned, waiting for an agent');
    const queueId = (await t.app.tickets.type(t.tenants.demo, typeId)).queueId!;
    assert.equal((await t.app.routing.queueStats(t.tenants.demo, queueId)).waiting, 1);
  });

  test('the tasks in 简体中文 and 繁體中文, offered and held', async () => {
    const offered = nextEvent('OfferCreated', (e) => e.channel === 'task');
    await page.getByTestId('desk-available').click();
    await offered;
    await page.getByTestId('desk-task-offer').waitFor();
    await page.getByTestId('desk-task-accept').click();
    await page.getByTestId('desk-task').waitFor();
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.locator('#desk-tasks-title').textContent(), '我的任务');
    assert.equal(await page.getByTestId('desk-task-resolve').textContent(), '解决');
    assert.match(await page.getByTestId('desk-task-link').textContent() ?? '', /^工单 #\d+：Second ticket$/);
    assert.match(await page.getByTestId('notice').textContent() ?? '', /^工单 #\d+ 已由您处理。$/, 'the notice follows the language');
    await page.screenshot({ path: screenshotPath('agent-tasks-zh-CN') });
    await page.getByTestId('language-select').selectOption('zh-TW');
    assert.equal(await page.locator('#desk-tasks-title').textContent(), '我的任務');
    assert.match(await page.getByTestId('desk-task-link').textContent() ?? '', /^工單 #\d+：Second ticket$/);
    assert.equal(await page.getByTestId('desk-shortcuts').locator('dd').filter({ hasText: '接受最早分派的工單' }).count(), 1, 'the shortcut is documented');
    await page.screenshot({ path: screenshotPath('agent-tasks-zh-TW') });
    await page.getByTestId('language-select').selectOption('en');
    await page.screenshot({ path: screenshotPath('agent-tasks-en') });
  });

  test('nothing a customer typed ran as script', () => {
    assert.deepEqual(dialogs, []);
  });
});
