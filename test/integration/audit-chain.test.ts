// The audit trail is hash-chained: editing, deleting or reordering a row is detected by verify.
import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { AuditLog } from '../../src/audit/index.ts';
import { ManualClock } from '../../src/kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../../src/storage/index.ts';
import { login, startTestApp } from '../support/test-app.ts';

for (const dialect of testStorageTargets()) {
  describe(`audit chain (${dialect})`, () => {
    let storage: Storage;
    let log: AuditLog;
    const opened: Storage[] = [];
    beforeEach(async () => {
      storage = await openTestStorage(dialect);
      opened.push(storage);
      log = new AuditLog(storage.db, new ManualClock());
      for (let i = 0; i < 5; i++) await log.append({ tenantId: 't1', action: 'user.updated', actorName: 'admin', targetId: `u${i}`, details: { i } });
      await log.append({ tenantId: 't2', action: 'user.created', details: {} });
    });
    after(async () => { for (const s of opened) await s.close(); });

    test('an untouched chain verifies, per tenant', async () => {
      assert.deepEqual(await log.verify('t1'), { ok: true, checked: 5, brokenAt: null });
      assert.deepEqual(await log.verify('t2'), { ok: true, checked: 1, brokenAt: null });
    });

    test('an edited field is detected at its row', async () => {
      await sql`update audit_event set actor_name = 'mallory' where chain = 't1' and seq = 3`.execute(storage.db);
      assert.deepEqual(await log.verify('t1'), { ok: false, checked: 2, brokenAt: 3 });
      assert.equal((await log.verify('t2')).ok, true, 'other chains are unaffected');
    });

    test('an edited row with a recomputed hash still breaks the next link', async () => {
      await sql`update audit_event set details = '{"i":99}', hash = 'f00' where chain = 't1' and seq = 2`.execute(storage.db);
      assert.equal((await log.verify('t1')).brokenAt, 2);
    });

    test('a deleted middle row is detected', async () => {
      await sql`delete from audit_event where chain = 't1' and seq = 2`.execute(storage.db);
      assert.deepEqual(await log.verify('t1'), { ok: false, checked: 1, brokenAt: 2 });
    });

    test('a deleted newest row is detected through the chain head', async () => {
      await sql`delete from audit_event where chain = 't1' and seq = 5`.execute(storage.db);
      assert.deepEqual(await log.verify('t1'), { ok: false, checked: 4, brokenAt: 5 });
    });

    test('concurrent appends to one chain keep it intact', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ tenantId: 't1', action: 'x', details: { i } })));
      assert.deepEqual(await log.verify('t1'), { ok: true, checked: 25, brokenAt: null });
    });
  });

  describe(`audit verify endpoint (${dialect})`, () => {
    test('GET /api/audit/verify reports a tampered row of the caller\'s tenant', async () => {
      const t = await startTestApp(dialect);
      try {
        const cookie = await login(t, 'demo', 'auditor');
        const ok = await t.app.http.inject({ method: 'GET', url: '/api/audit/verify', headers: { cookie } });
        assert.equal(ok.json().ok, true);
        assert.ok(ok.json().checked > 3);
        await sql`update audit_event set ip = '6.6.6.6' where tenant_id = ${t.tenants.demo} and seq = 2`.execute(t.app.storage.db);
        const bad = await t.app.http.inject({ method: 'GET', url: '/api/audit/verify', headers: { cookie } });
        assert.deepEqual({ ok: bad.json().ok, brokenAt: bad.json().brokenAt }, { ok: false, brokenAt: 2 });
      } finally {
        await t.close();
      }
    });
  });
}
