// The web app in Debian's Chromium against the real server: log in, manage users, switch language,
// and see the server end a session the moment an admin disables the user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshotPath } from '../support/browser.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

describe('web app shell in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;

  before(async () => {
    t = await startTestApp('sqlite');
    base = await t.app.listen();
    ({ browser, close: closeBrowser } = await launchBrowser());
  });
  after(async () => {
    await closeBrowser?.();
    await t?.close();
  });

  async function logIn(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
    await page.goto('/');
    await page.fill('input[name=tenant]', 'demo');
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  test('a wrong password shows a translated error and no session', async () => {
    const { context, page } = await newPage(browser, base);
    await logIn(page, 'admin', 'wrong password');
    await page.getByTestId('notice').waitFor();
    assert.equal(await page.getByTestId('notice').textContent(), 'Workspace, username or password is wrong.');
    assert.equal((await context.cookies()).length, 0);
    await context.close();
  });

  test('admin logs in, creates an agent, edits and disables them; the server holds every change', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/');
    await page.screenshot({ path: screenshotPath('login-en') });
    await logIn(page, 'admin');
    await page.getByTestId('welcome').waitFor();
    assert.match(await page.getByTestId('welcome').textContent() ?? '', /^Welcome, /);
    assert.equal(await page.getByTestId('live-state').textContent({ timeout: 10_000 }).then(async () => {
      await page.locator('.live-open').waitFor();
      return page.getByTestId('live-state').textContent();
    }), 'Live');
    for (const nav of ['home', 'account', 'agent', 'supervisor', 'users', 'teams', 'phones', 'audit', 'tokens']) assert.equal(await page.getByTestId(`nav-${nav}`).count(), 1, nav);
    await page.screenshot({ path: screenshotPath('home-admin-en') });

    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row-agent1').waitFor();
    await page.getByTestId('new-user').click();
    const form = page.getByTestId('user-form');
    await form.locator('input[name=username]').fill('mei.lin');
    await form.locator('input[name=displayName]').fill('林美');
    await form.locator('input[name=email]').fill('mei.lin@example.com');
    await form.locator('input[name=password]').fill('a long enough password');
    await form.locator('label.check', { hasText: 'Front line' }).locator('input').check();
    await page.getByTestId('save-user').click();
    await page.getByTestId('user-row-mei.lin').waitFor();
    assert.equal(await page.getByTestId('notice').textContent(), 'User 林美 created.');
    await page.screenshot({ path: screenshotPath('users-en') });

    const stored = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'mei.lin');
    assert.ok(stored, 'the user is in the database');
    assert.deepEqual(stored.roles, ['agent']);
    assert.equal(stored.email, 'mei.lin@example.com');
    assert.equal(stored.teamIds.length, 1);

    await page.getByTestId('user-row-mei.lin').getByRole('button', { name: 'Edit' }).click();
    await form.locator('input[name=role-supervisor]').check();
    await page.getByTestId('save-user').click();
    await page.getByTestId('notice').filter({ hasText: 'Changes saved.' }).waitFor();
    assert.deepEqual((await t.app.directory.getUser(t.tenants.demo, stored.id)).roles.sort(), ['agent', 'supervisor']);

    await page.getByTestId('toggle-mei.lin').click();
    await page.getByTestId('user-row-mei.lin').filter({ hasText: 'Disabled' }).waitFor();
    assert.equal((await t.app.directory.getUser(t.tenants.demo, stored.id)).disabled, true);

    await page.getByTestId('new-user').click();
    await form.locator('input[name=username]').fill('agent1');
    await form.locator('input[name=displayName]').fill('Duplicate');
    await form.locator('input[name=password]').fill('whatever password');
    await page.getByTestId('save-user').click();
    await form.getByTestId('notice').waitFor();
    assert.equal(await form.getByTestId('notice').textContent(), 'A user with that username already exists.');
    await context.close();
  });

  test('admin adds a phone for an agent and a trunk on the phones page; the server holds them, hashed', async () => {
    const { context, page } = await newPage(browser, base);
    await logIn(page, 'admin');
    await page.getByTestId('nav-phones').click();
    await page.getByTestId('phone-row-1001').waitFor();
    const form = page.getByTestId('phone-form');
    await form.locator('input[name=extension]').fill('2001');
    await form.locator('input[name=phoneName]').fill('Desk 2001');
    await form.locator('input[name=phonePassword]').fill('a desk phone secret');
    await form.locator('select[name=phoneUser]').selectOption({ label: '王小明 (Agent 1)' });
    await form.getByRole('button').click();
    await page.getByTestId('phone-row-2001').waitFor();
    assert.equal(await page.getByTestId('phone-row-2001').locator('td').nth(2).textContent(), '王小明 (Agent 1)');
    const stored = (await t.app.phones.list(t.tenants.demo)).find((p) => p.username === '2001');
    assert.ok(stored?.userId, 'linked to the agent');
    assert.equal(await t.app.storage.db.selectFrom('voice_phone' as never).selectAll().execute().then((rows) => JSON.stringify(rows).includes('a desk phone secret')), false, 'no password stored');

    const trunkForm = page.getByTestId('trunk-form');
    await trunkForm.locator('input[name=trunkName]').fill('Carrier A');
    await trunkForm.locator('input[name=trunkHost]').fill('sip.carrier.example');
    await trunkForm.locator('input[name=trunkUser]').fill('acct-1');
    await trunkForm.locator('input[name=trunkPassword]').fill('carrier secret');
    await trunkForm.getByRole('button').click();
    await page.getByTestId('trunk-row-Carrier A').waitFor();
    assert.equal((await page.content()).includes('carrier secret'), false, 'the trunk password is never shown');
    await page.screenshot({ path: screenshotPath('phones-en') });
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.getByTestId('nav-phones').textContent(), '话机与中继');
    await page.screenshot({ path: screenshotPath('phones-zh-CN') });
    await context.close();
  });

  test('switching to 简体中文 and 繁體中文 translates the shell and survives a reload', async () => {
    const { context, page } = await newPage(browser, base);
    await logIn(page, 'admin');
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('language-select').selectOption('zh-CN');
    assert.equal(await page.getByTestId('nav-users').textContent(), '用户');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row-agent1').waitFor();
    assert.equal(await page.getByTestId('user-row-agent1').locator('td').nth(2).textContent(), '坐席');
    await page.screenshot({ path: screenshotPath('users-zh-CN') });

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('verify-audit').click();
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent() ?? '', /^日志链完整：已校验 \d+ 条记录。$/);
    await page.screenshot({ path: screenshotPath('audit-zh-CN') });

    await page.getByTestId('language-select').selectOption('zh-TW');
    await page.reload();
    await page.getByTestId('nav-users').waitFor();
    assert.equal(await page.getByTestId('nav-users').textContent(), '使用者');
    assert.equal(await page.getByTestId('nav-audit').getAttribute('class'), 'active', 'the page path survives the reload');
    await page.screenshot({ path: screenshotPath('audit-zh-TW') });
    await context.close();
  });

  test('a browser asking for zh-TW gets the Traditional Chinese login page', async () => {
    const { context, page } = await newPage(browser, base, 'zh-TW');
    await page.goto('/');
    await page.locator('h1').waitFor();
    assert.equal(await page.locator('h1').textContent(), '登入 Switchboard');
    await page.screenshot({ path: screenshotPath('login-zh-TW') });
    await context.close();
  });

  test('an agent sees only the agent area, and the server refuses the rest', async () => {
    const { context, page } = await newPage(browser, base);
    await logIn(page, 'agent2');
    await page.getByTestId('welcome').waitFor();
    assert.equal(await page.getByTestId('area-agent').count(), 1);
    assert.equal(await page.getByTestId('area-supervisor').count(), 0);
    assert.equal(await page.getByTestId('area-admin').count(), 0);
    await page.getByTestId('nav-agent').click();
    assert.equal(await page.getByTestId('desktop-teams').textContent(), 'Front line');
    const status = await page.evaluate(async () => (await fetch('/api/users')).status);
    assert.equal(status, 403);
    await page.goto('/users');
    await page.getByTestId('welcome').waitFor();
    await context.close();
  });

  test('a supervisor gets the agent and supervisor areas, read-only users, and the team roster', async () => {
    const { context, page } = await newPage(browser, base);
    await logIn(page, 'supervisor');
    await page.getByTestId('welcome').waitFor();
    assert.equal(await page.getByTestId('area-agent').count(), 1);
    assert.equal(await page.getByTestId('nav-audit').count(), 0);
    assert.equal(await page.getByTestId('nav-tokens').count(), 0);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('user-row-agent1').waitFor();
    assert.equal(await page.getByTestId('new-user').count(), 0, 'no create button without users.write');
    await page.getByTestId('nav-supervisor').click();
    const roster = page.getByTestId('roster-Front line');
    await roster.waitFor();
    const names = await roster.locator('tbody tr td:first-child').allTextContents();
    assert.ok(names.includes('Sam Supervisor') && names.length >= 3, names.join(', '));
    await page.screenshot({ path: screenshotPath('roster-supervisor-en') });
    await context.close();
  });

  test('disabling a user ends their open browser session at once', async () => {
    const agent = await newPage(browser, base);
    await logIn(agent.page, 'agent1');
    await agent.page.locator('.live-open').waitFor();

    const admin = await newPage(browser, base);
    await logIn(admin.page, 'admin');
    await admin.page.getByTestId('nav-users').click();
    await admin.page.getByTestId('toggle-agent1').click();
    await admin.page.getByTestId('user-row-agent1').filter({ hasText: 'Disabled' }).waitFor();

    await agent.page.getByTestId('login-form').waitFor();
    const status = await agent.page.evaluate(async () => (await fetch('/api/auth/me')).status);
    assert.equal(status, 401);

    await admin.page.getByTestId('logout').click();
    await admin.page.getByTestId('login-form').waitFor();
    assert.equal(await admin.page.evaluate(async () => (await fetch('/api/auth/me')).status), 401);
    await agent.context.close();
    await admin.context.close();
  });
});
