// RFC 3261 §10.3 registrar behaviour, on the memory store and on both SQL dialects.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStorage, testStorageTargets } from '../../storage/index.ts';
import { Registrar, type RegisterInput } from './registrar.ts';
import { MemoryRegistrarStore } from './registrar-store.memory.ts';
import { SqlRegistrarStore } from './registrar-store.sql.ts';
import type { RegistrarStore } from './registrar-store.ts';
import { TenantStore } from '../../tenancy/index.ts';

const T0 = 1_800_000_000_000;
const src = { protocol: 'udp' as const, address: '127.0.0.1', port: 5080 };
let TENANT = 'tenant-a';
let OTHER = 'tenant-b';
const reg = (over: Partial<RegisterInput>): RegisterInput => ({
  tenantId: TENANT, aor: 'sip:alice@demo', contacts: [{ uri: 'sip:alice@127.0.0.1:5080' }], callId: 'c1', cseq: 1, source: src, now: T0, ...over,
});

const closers: (() => Promise<void>)[] = [];
after(async () => { for (const c of closers) await c(); });

const targets: [string, () => Promise<RegistrarStore>][] = [
  ['memory', async () => { TENANT = 'tenant-a'; OTHER = 'tenant-b'; return new MemoryRegistrarStore(); }],
  ...testStorageTargets().map((d): [string, () => Promise<RegistrarStore>] => [d, async () => {
    const s = await openTestStorage(d);
    closers.push(() => s.close());
    const tenants = new TenantStore(s.db);
    TENANT = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'UTC' }, new Date(T0))).id;
    OTHER = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'UTC' }, new Date(T0))).id;
    return new SqlRegistrarStore(s.db);
  }]),
];

for (const [name, makeStore] of targets) {
  describe(`registrar (${name})`, () => {
    test('§10.3 step 7: a contact is bound with the Expires header or the default, and expires', async () => {
      const r = new Registrar(await makeStore());
      const out = await r.register(reg({ expiresHeader: 120 }));
      assert.equal(out.status, 200);
      assert.equal((await r.lookup(TENANT, 'sip:alice@demo', T0 + 119_000)).length, 1);
      assert.equal((await r.lookup(TENANT, 'sip:alice@demo', T0 + 120_000)).length, 0);
    });

    test('several contacts per AOR; the expires parameter beats the header; best q first', async () => {
      const r = new Registrar(await makeStore());
      await r.register(reg({ contacts: [{ uri: 'sip:desk@10.0.0.1', q: 0.5 }, { uri: 'sip:soft@10.0.0.2', expires: 300, q: 0.9 }], expiresHeader: 600 }));
      const b = await r.lookup(TENANT, 'sip:alice@demo', T0);
      assert.deepEqual(b.map((x) => [x.contact, x.expiresAt - T0]), [['sip:soft@10.0.0.2', 300_000], ['sip:desk@10.0.0.1', 600_000]]);
    });

    test('expires=0 removes one binding; Contact: * with Expires: 0 removes all', async () => {
      const r = new Registrar(await makeStore());
      await r.register(reg({ contacts: [{ uri: 'sip:a@1' }, { uri: 'sip:b@2' }] }));
      await r.register(reg({ contacts: [{ uri: 'sip:a@1', expires: 0 }], cseq: 2 }));
      assert.deepEqual((await r.lookup(TENANT, 'sip:alice@demo', T0)).map((x) => x.contact), ['sip:b@2']);
      assert.equal((await r.register(reg({ contacts: '*', expiresHeader: 3600, cseq: 3 }))).status, 400);
      assert.equal((await r.register(reg({ contacts: '*', expiresHeader: 0, cseq: 3 }))).status, 200);
      assert.equal((await r.lookup(TENANT, 'sip:alice@demo', T0)).length, 0);
    });

    test('§10.3 step 7: the same Call-ID with a CSeq not higher than the stored one fails and changes nothing', async () => {
      const r = new Registrar(await makeStore());
      await r.register(reg({ cseq: 5, expiresHeader: 100 }));
      const out = await r.register(reg({ cseq: 5, expiresHeader: 0 }));
      assert.equal(out.status, 500);
      assert.equal((await r.lookup(TENANT, 'sip:alice@demo', T0)).length, 1);
      assert.equal((await r.register(reg({ callId: 'other', cseq: 1, expiresHeader: 0 }))).status, 200, 'a new Call-ID may change it');
    });

    test('§10.3 step 7: an interval shorter than Min-Expires answers 423 with the minimum', async () => {
      const r = new Registrar(await makeStore(), { minExpires: 60 });
      assert.deepEqual(await r.register(reg({ expiresHeader: 30 })), { status: 423, reason: 'Interval Too Brief', minExpires: 60 });
    });

    test('an empty Contact list is a query that returns the bindings', async () => {
      const r = new Registrar(await makeStore());
      await r.register(reg({}));
      const out = await r.register(reg({ contacts: [], cseq: 2 }));
      assert.equal(out.status, 200);
      assert.equal(out.status === 200 && out.bindings.length, 1);
    });

    test('the number of contacts per AOR is capped', async () => {
      const r = new Registrar(await makeStore(), { maxBindingsPerAor: 2 });
      const out = await r.register(reg({ contacts: [{ uri: 'sip:1@x' }, { uri: 'sip:2@x' }, { uri: 'sip:3@x' }] }));
      assert.equal(out.status, 403);
      assert.equal((await r.lookup(TENANT, 'sip:alice@demo', T0)).length, 0, 'all or nothing');
    });

    test('bindings of the same AOR in two tenants are separate', async () => {
      const r = new Registrar(await makeStore());
      await r.register(reg({ contacts: [{ uri: 'sip:a@x' }] }));
      await r.register(reg({ tenantId: OTHER, contacts: [{ uri: 'sip:b@x' }] }));
      assert.deepEqual((await r.lookup(TENANT, 'sip:alice@demo', T0)).map((b) => b.contact), ['sip:a@x']);
      assert.deepEqual((await r.lookup(OTHER, 'sip:alice@demo', T0)).map((b) => b.contact), ['sip:b@x']);
      await r.register(reg({ contacts: '*', expiresHeader: 0, cseq: 2 }));
      assert.equal((await r.lookup(OTHER, 'sip:alice@demo', T0)).length, 1, 'removing all in one tenant leaves the other');
    });

    test('purge removes only expired bindings', async () => {
      const store = await makeStore();
      const r = new Registrar(store);
      await r.register(reg({ contacts: [{ uri: 'sip:short@x', expires: 60 }, { uri: 'sip:long@x', expires: 600 }] }));
      assert.equal(await store.purgeExpired(T0 + 61_000), 1);
      assert.deepEqual((await r.lookup(TENANT, 'sip:alice@demo', T0 + 61_000)).map((b) => b.contact), ['sip:long@x']);
    });
  });
}
