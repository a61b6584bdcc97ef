import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AuditLog } from '../audit/index.ts';
import { DomainError, ManualClock, REDACTED_PATHS } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { CustomerLookup } from './customer-lookup.ts';

const API_KEY = 'sk_live_do_not_leak_4242';

/** The company's CRM: answers per phone number; `hold` numbers get no answer until released. */
class FakeCrm {
  readonly seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  readonly held: ServerResponse[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      this.seen.push({ url: req.url!, headers: req.headers });
      const phone = new URL(req.url!, 'http://x').searchParams.get('phone');
      if (phone === '+8613800000001') res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Ada Lovelace","tier":"gold"}');
      else if (phone === '+8613800000002') res.writeHead(404).end();
      else if (phone === '+8613800000003') res.writeHead(500).end('oops');
      else if (phone === '+8613800000004') this.held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    this.#server.on('connection', (s) => { this.#sockets.add(s); s.on('close', () => this.#sockets.delete(s)); });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

for (const dialect of testStorageTargets()) {
  describe(`customer lookup (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let lookup: CustomerLookup;
    let crm: FakeCrm;
    let a: string;
    let b: string;
    let logs: string;
    let template: string;
    const actor = { userId: null, name: 'ada', ip: '192.0.2.1' };

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
      const tenants = new TenantStore(storage.db);
      a = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      b = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()))).id;
      logs = '';
      const sink = new Writable({ write(chunk, _enc, done) { logs += String(chunk); done(); } });
      const log = pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
      lookup = new CustomerLookup({ db: storage.db, clock, audit: new AuditLog(storage.db, clock), log });
      crm = new FakeCrm();
      await crm.listen();
      template = `http://127.0.0.1:${crm.port}/api/customers?phone={{phone}}`;
    });
    after(async () => {
      await crm.close();
      await storage.close();
    });
    beforeEach(async () => {
      await lookup.configure(a, { urlTemplate: template, headers: { 'X-Api-Key': API_KEY }, timeoutMs: 1500, cacheTtlSeconds: 60, notFoundTtlSeconds: 10, allowPrivateNetwork: true }, actor);
    });

    test('not configured: the reason says so, nothing is asked', async () => {
      const before = crm.seen.length;
      assert.deepEqual(await lookup.lookupCustomer(b, { phone: '+8613800000001' }), { ok: false, reason: 'not-configured' });
      assert.equal(crm.seen.length, before);
    });

    test('found: the data, with the API key sent; the second ask comes from the cache until it expires', async () => {
      const before = crm.seen.length;
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000001' }), { ok: true, data: { name: 'Ada Lovelace', tier: 'gold' }, cached: false });
      const asked = crm.seen.at(-1)!;
      assert.equal(asked.url, '/api/customers?phone=%2B8613800000001');
      assert.equal(asked.headers['x-api-key'], API_KEY);
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000001' }), { ok: true, data: { name: 'Ada Lovelace', tier: 'gold' }, cached: true });
      assert.equal(crm.seen.length, before + 1);
      clock.advance(60_000);
      assert.equal((await lookup.lookupCustomer(a, { phone: '+8613800000001' }) as { cached: boolean }).cached, false);
      assert.equal(crm.seen.length, before + 2);
    });

    test('not found is cached briefly; errors are not cached', async () => {
      const before = crm.seen.length;
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000002' }), { ok: false, reason: 'not-found' });
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000002' }), { ok: false, reason: 'not-found' });
      assert.equal(crm.seen.length, before + 1, 'the second not-found came from the cache');
      clock.advance(10_000);
      await lookup.lookupCustomer(a, { phone: '+8613800000002' });
      assert.equal(crm.seen.length, before + 2);
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000003' }), { ok: false, reason: 'error' });
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000003' }), { ok: false, reason: 'error' });
      assert.equal(crm.seen.length, before + 4);
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000009' }), { ok: false, reason: 'not-found' }, 'an empty list');
    });

    test('a system that does not answer: timeout at the configured time, and concurrent asks share one request', async () => {
      const before = crm.seen.length;
      const first = lookup.lookupCustomer(a, { phone: '+8613800000004' });
      const second = lookup.lookupCustomer(a, { phone: '+8613800000004' });
      while (crm.seen.length === before) await flush();
      let done = false;
      void first.then(() => { done = true; });
      clock.advance(1499);
      await flush();
      assert.equal(done, false, 'still within the timeout');
      clock.advance(1);
      assert.deepEqual(await first, { ok: false, reason: 'timeout' });
      assert.deepEqual(await second, { ok: false, reason: 'timeout' });
      assert.equal(crm.seen.length, before + 1);
    });

    test('a system that is down: error, never a throw', async () => {
      const down = new FakeCrm();
      await down.listen();
      await down.close();
      await lookup.configure(a, { urlTemplate: `http://127.0.0.1:${down.port}/?phone={{phone}}`, allowPrivateNetwork: true });
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000001' }), { ok: false, reason: 'error' });
      assert.deepEqual(await lookup.lookupCustomer(a, {}), { ok: false, reason: 'not-found' }, 'nothing to ask about');
    });

    test('a private address is refused unless allowed, when saved and when asked', async () => {
      const refused = await lookup.configure(a, { urlTemplate: template }).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof DomainError && refused.code === 'SB_INTEGRATIONS_URL_PRIVATE' && refused.details?.['field'] === 'urlTemplate');
      const before = crm.seen.length;
      await lookup.configure(a, { urlTemplate: `http://localhost:${crm.port}/api/customers?phone={{phone}}`, allowPrivateNetwork: true });
      assert.equal((await lookup.lookupCustomer(a, { phone: '+8613800000001' })).ok, true);
      assert.equal(crm.seen.length, before + 1);
    });

    test('a configuration change empties the tenant\'s cache; headers kept when left out, removed with {}', async () => {
      await lookup.lookupCustomer(a, { phone: '+8613800000001' });
      const before = crm.seen.length;
      await lookup.configure(a, { urlTemplate: `${template}&v=2`, timeoutMs: 1500, allowPrivateNetwork: true });
      assert.equal((await lookup.lookupCustomer(a, { phone: '+8613800000001' }) as { cached: boolean }).cached, false);
      assert.equal(crm.seen.length, before + 1);
      assert.equal(crm.seen.at(-1)!.headers['x-api-key'], API_KEY, 'kept');
      assert.deepEqual((await lookup.config(a))!.headerNames, ['X-Api-Key']);
      await lookup.configure(a, { urlTemplate: template, headers: {}, allowPrivateNetwork: true });
      await lookup.lookupCustomer(a, { phone: '+8613800000001' });
      assert.equal(crm.seen.at(-1)!.headers['x-api-key'], undefined, 'removed');
    });

    test('validation names the field', async () => {
      const cases: [object, string][] = [
        [{ urlTemplate: 'https://{{phone}}.example.com/' }, 'urlTemplate'],
        [{ urlTemplate: 'https://crm.example.com/?p={{phone}}', timeoutMs: 50 }, 'timeoutMs'],
        [{ urlTemplate: 'https://crm.example.com/?p={{phone}}', cacheTtlSeconds: -1 }, 'cacheTtlSeconds'],
        [{ urlTemplate: 'https://crm.example.com/?p={{phone}}', headers: { Host: 'evil' } }, 'headers.Host'],
        [{ urlTemplate: 'https://crm.example.com/?p={{phone}}', headers: { 'X-Key': 'a\r\nInjected: 1' } }, 'headers.X-Key'],
      ];
      for (const [input, field] of cases) {
        const e = await lookup.configure(a, input as never).then(() => undefined, (err: unknown) => err);
        assert.ok(e instanceof DomainError, JSON.stringify(input));
        assert.equal(e.details?.['field'], field);
      }
    });

    test('the configuration view and the audit trail never carry the API key; the admin test says why', async () => {
      const view = await lookup.config(a);
      assert.ok(view && !JSON.stringify(view).includes(API_KEY));
      assert.deepEqual(view.headerNames, ['X-Api-Key']);
      const tested = await lookup.test(a, { phone: '+8613800000003' });
      assert.deepEqual(tested, { ok: false, reason: 'error', detail: 'answered 500' });
      assert.deepEqual(await lookup.test(b, { phone: '1' }), { ok: false, reason: 'not-configured', detail: 'no customer lookup is configured' });
      const audit = await new AuditLog(storage.db, clock).list(a, { limit: 100 });
      assert.ok(audit.some((e) => e.action === 'integrations.lookup_configured'));
      assert.ok(!JSON.stringify(audit).includes(API_KEY));
      await lookup.remove(a, actor);
      assert.equal(await lookup.config(a), null);
      assert.deepEqual(await lookup.lookupCustomer(a, { phone: '+8613800000001' }), { ok: false, reason: 'not-configured' });
    });

    test('logs name the failure, never the API key or the caller\'s number', () => {
      assert.match(logs, /customer lookup failed/);
      assert.ok(!logs.includes(API_KEY));
      assert.ok(!logs.includes('8613800000003'));
    });

    test('the cache is bounded in bytes', async () => {
      const small = new CustomerLookup({ db: storage.db, clock, audit: new AuditLog(storage.db, clock), log: pino({ level: 'silent' }), cacheBytes: 300 });
      const before = crm.seen.length;
      await small.lookupCustomer(a, { phone: '+8613800000001' });
      await small.lookupCustomer(a, { phone: '+8613800000002' });
      await small.lookupCustomer(a, { phone: '+8613800000009' });
      await small.lookupCustomer(a, { phone: '+8613800000001' });
      assert.equal(crm.seen.length, before + 4, 'the oldest entry was evicted');
    });
  });
}
