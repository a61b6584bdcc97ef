// Storage on both dialects: migrations, the tenant-scoped path, and restart persistence.
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openStorage, openTestStorage, tables, testStorageTargets } from '../../src/storage/index.ts';
import { TenantScope, TenantStore } from '../../src/tenancy/index.ts';
import type { AuthTables } from '../../src/auth/index.ts';

for (const dialect of testStorageTargets()) {
  describe(`storage (${dialect})`, () => {
    const closers: (() => Promise<void>)[] = [];
    after(async () => { for (const c of closers) await c(); });

    test('migrations are idempotent: a second run applies nothing', async () => {
      const s = await openTestStorage(dialect);
      closers.push(() => s.close());
      assert.deepEqual(await migrateToLatest(s.db, s.schema), []);
    });

    test('a TenantScope sees, changes and deletes only its own tenant\'s rows, and stamps inserts', async () => {
      const s = await openTestStorage(dialect);
      closers.push(() => s.close());
      const ts = new TenantStore(s.db);
      const a = await ts.create({ slug: 'a', name: 'A', timeZone: 'UTC' }, new Date());
      const b = await ts.create({ slug: 'b', name: 'B', timeZone: 'UTC' }, new Date());
      const db = tables<AuthTables>(s.db);
      const now = new Date().toISOString();
      const row = (id: string) => ({ id, name: id, description: null, created_at: now, updated_at: now });
      await new TenantScope(db, a.id).insertInto('auth_team', row('team-a')).execute();
      await new TenantScope(db, b.id).insertInto('auth_team', row('team-b')).execute();
      const seenByA = await new TenantScope(db, a.id).selectFrom('auth_team').select(['id', 'tenant_id']).execute();
      assert.deepEqual(seenByA.map((r) => ({ ...r })), [{ id: 'team-a', tenant_id: a.id }]);
      const upd = await new TenantScope(db, a.id).updateTable('auth_team').set({ name: 'x' }).where('id', '=', 'team-b').executeTakeFirst();
      assert.equal(Number(upd.numUpdatedRows), 0);
      const del = await new TenantScope(db, a.id).deleteFrom('auth_team').where('id', '=', 'team-b').executeTakeFirst();
      assert.equal(Number(del.numDeletedRows), 0);
      const still = await db.selectFrom('auth_team').select('name').where('id', '=', 'team-b').executeTakeFirst();
      assert.equal(still?.name, 'team-b');
    });
  });
}

describe('storage: timing statements (onQuery)', () => {
  for (const dialect of testStorageTargets()) {
    test(`${dialect}: every statement is told with its text and time, a transaction's begin and commit too, and never a parameter's value`, async () => {
      const seen: { text: string; ms: number }[] = [];
      const s = await openStorage({
        ...(dialect === 'postgres' ? { databaseUrl: process.env['TEST_DATABASE_URL'] } : { sqliteFile: ':memory:' }),
        onQuery: (text, ms) => { seen.push({ text, ms }); },
      });
      try {
        seen.length = 0; // the ping on opening
        const secret = 'value-not-for-logs';
        await s.db.transaction().execute(async (tx) => { await sql`select ${secret} as v`.execute(tx); });
        assert.deepEqual(seen.map((q) => q.text.toLowerCase().replace(/\$1/, '?')), ['begin', 'select ? as v', 'commit']);
        for (const q of seen) assert.ok(Number.isFinite(q.ms) && q.ms >= 0, `${q.text}: ${q.ms}`);
        assert.ok(!seen.some((q) => q.text.includes(secret)));
      } finally {
        await s.close();
      }
    });

    test(`${dialect}: a listener that throws fails no statement`, async () => {
      const s = await openStorage({
        ...(dialect === 'postgres' ? { databaseUrl: process.env['TEST_DATABASE_URL'] } : { sqliteFile: ':memory:' }),
        onQuery: () => { throw new Error('listener broke'); },
      });
      try {
        const r = await sql<{ v: number }>`select 1 as v`.execute(s.db);
        assert.equal(Number(r.rows[0]?.v), 1);
      } finally {
        await s.close();
      }
    });
  }
});

describe('storage (sqlite file)', () => {
  test('data written before a restart is there after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
    try {
      const first = await openStorage({ dataDir: dir });
      await migrateToLatest(first.db);
      await new TenantStore(first.db).create({ slug: 'keep', name: 'Keep', timeZone: 'UTC' }, new Date());
      await first.close();
      const second = await openStorage({ dataDir: dir });
      assert.equal((await new TenantStore(second.db).bySlug('keep'))?.name, 'Keep');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a PostgreSQL server that does not answer fails fast with SB_STORAGE_UNAVAILABLE', async () => {
    await assert.rejects(openStorage({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', connectTimeoutMs: 2000 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'SB_STORAGE_UNAVAILABLE');
      assert.match(e.message, /postgres/);
      return true;
    });
  });
});
