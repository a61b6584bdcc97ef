// Customers against real SQLite and PostgreSQL: identities, profile, merge, duplicates, timeline, CSV,
// erasure, idempotent create and tenant isolation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, sql } from 'kysely';
import { AuditLog } from '../audit/index.ts';
import { DomainError, ManualClock, MemoryEventBus } from '../kernel/index.ts';
import { openTestStorage, tables, testStorageTargets, type SqlDialectName, type Storage } from '../storage/index.ts';
import { TenantScope, TenantStore } from '../tenancy/index.ts';
import type { CrmEvents } from './crm-events.ts';
import type { CrmActor, Customer } from './customer-model.ts';
import { identityDuplicates, identityLookup, nameDuplicates, type CrmTables } from './customer-store.sql.ts';
import { Customers, IDEMPOTENCY_TTL_MS } from './customers.ts';
import type { TimelineEntry, TimelineSource } from './timeline.ts';

const ADMIN: CrmActor = { userId: 'u-admin', name: 'Ada Admin', ip: '127.0.0.1' };

interface World {
  storage: Storage;
  clock: ManualClock;
  customers: Customers;
  audit: AuditLog;
  events: { name: string; payload: Record<string, unknown> }[];
  A: string;
  B: string;
}

async function withCrm(dialect: SqlDialectName, fn: (w: World) => Promise<void>): Promise<void> {
  const storage = await openTestStorage(dialect);
  try {
    const clock = new ManualClock(Date.UTC(2026, 2, 1, 8, 0, 0));
    const tenants = new TenantStore(storage.db);
    const a = await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()));
    const b = await tenants.create({ slug: 'b', name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()));
    const audit = new AuditLog(storage.db, clock);
    const bus = new MemoryEventBus<CrmEvents>();
    const events: World['events'] = [];
    bus.subscribeAll((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
    const customers = new Customers({ db: storage.db, clock, audit, bus });
    await fn({ storage, clock, customers, audit, events, A: a.id, B: b.id });
  } finally {
    await storage.close();
  }
}

const code = (c: string, status?: number) => (e: unknown) => {
  assert.ok(e instanceof DomainError, `expected a DomainError, got ${String(e)}`);
  assert.equal(e.code, c, e.message);
  if (status !== undefined) assert.equal(e.status, status);
  return true;
};

/** A customer without the fields that any write changes. */
const stable = (c: Customer) => ({ ...c, updatedAt: undefined });

for (const dialect of testStorageTargets()) {
  describe(`customers (${dialect})`, () => {
    test('one identity belongs to one customer; lookups accept raw phone strings and URIs', () => withCrm(dialect, async ({ customers, A, B }) => {
      const wei = await customers.create(A, {
        name: '王伟', identities: [{ kind: 'phone', value: '+86 138 0013 8000' }, { kind: 'email', value: 'Wei@Example.CN' }, { kind: 'wechat_openid', value: 'oWx_1' }],
      }, ADMIN);
      assert.deepEqual(wei.identities.map((i) => [i.kind, i.value, i.original]), [
        ['phone', '+8613800138000', '+86 138 0013 8000'], ['email', 'wei@example.cn', 'Wei@Example.CN'], ['wechat_openid', 'oWx_1', 'oWx_1'],
      ]);
      for (const value of ['+8613800138000', '+86-138-0013-8000', 'sip:+8613800138000@carrier.example', 'tel:+86-138-0013-8000']) {
        assert.equal((await customers.resolve(A, { kind: 'phone', value }))?.id, wei.id, value);
      }
      assert.equal((await customers.resolve(A, { kind: 'email', value: 'WEI@example.cn' }))?.id, wei.id);
      assert.equal((await customers.resolve(A, { kind: 'wechat_openid', value: 'oWx_1' }))?.id, wei.id);
      assert.equal(await customers.resolve(A, { kind: 'wechat_openid', value: 'owx_1' }), undefined, 'opaque ids are case-sensitive');
      assert.equal(await customers.resolve(A, { kind: 'phone', value: 'anonymous' }), undefined);
      assert.equal(await customers.resolve(A, { kind: 'phone', value: '138 0013 8000' }), undefined, 'a national number needs a region');

      await customers.updateSettings(A, { defaultRegion: 'cn' }, ADMIN);
      assert.deepEqual(await customers.settings(A), { defaultRegion: 'CN' });
      assert.equal((await customers.resolve(A, { kind: 'phone', value: '138 0013 8000' }))?.id, wei.id);
      assert.equal((await customers.resolve(A, { kind: 'phone', value: 'sip:13800138000@pbx.example' }))?.id, wei.id);

      const other = await customers.create(A, { name: 'Other' });
      await assert.rejects(customers.addIdentity(A, other.id, { kind: 'phone', value: '0086 138 0013 8000' }), (e: unknown) => {
        code('SB_CRM_IDENTITY_TAKEN', 409)(e);
        assert.equal((e as DomainError).details?.['customerId'], wei.id);
        assert.match((e as DomainError).message, new RegExp(wei.id));
        return true;
      });
      await assert.rejects(customers.create(A, { identities: [{ kind: 'email', value: 'wei@EXAMPLE.cn' }] }), code('SB_CRM_IDENTITY_TAKEN', 409));
      await assert.rejects(customers.create(B, { identities: [{ kind: 'phone', value: '138 0013 8000' }] }), code('SB_CRM_PHONE_INVALID', 400), 'tenant B has no default region');
      const theirs = await customers.create(B, { identities: [{ kind: 'phone', value: '+8613800138000' }] });
      assert.equal((await customers.resolve(B, { kind: 'phone', value: '+8613800138000' }))?.id, theirs.id, 'the same number lives in two tenants');
      await assert.rejects(customers.lookup(A, { kind: 'email', value: 'not an address' }), code('SB_CRM_EMAIL_INVALID', 400));
      await assert.rejects(customers.lookup(A, { kind: 'email', value: 'nobody@example.cn' }), code('SB_NOT_FOUND', 404));

      const phoneId = wei.identities[0]!.id;
      const after = await customers.removeIdentity(A, wei.id, phoneId, ADMIN);
      assert.deepEqual(after.identities.map((i) => i.kind), ['email', 'wechat_openid']);
      const claimed = await customers.addIdentity(A, other.id, { kind: 'phone', value: '13800138000' }, ADMIN);
      assert.equal((await customers.resolve(A, { kind: 'phone', value: '+8613800138000' }))?.id, claimed.id, 'a released number can belong to someone new');
      await assert.rejects(customers.removeIdentity(A, wei.id, phoneId), code('SB_NOT_FOUND', 404));
    }));

    test('the screen-pop lookup and the duplicate rules are served by their indexes', () => withCrm(dialect, async ({ storage, customers, A, B }) => {
      for (const tenant of [A, B]) {
        for (let i = 0; i < 30; i++) {
          await customers.create(tenant, { name: `N${i % 7}`, company: 'Co', identities: [{ kind: 'phone', value: `+86138${String(i).padStart(8, '0')}` }, { kind: 'email', value: `c${i}@example.com` }] });
        }
      }
      if (dialect === 'postgres') await sql`ANALYZE`.execute(storage.db);
      const scope = new TenantScope(tables<CrmTables>(storage.db), A);
      const plan = async (q: CompiledQuery, join = false) => (dialect === 'sqlite'
        ? JSON.stringify((await storage.db.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]))).rows)
        : storage.db.transaction().execute(async (trx) => {
          // On a few rows PostgreSQL prefers a scan (and, for a self-join, hashing every row); forbid both so the
          // plan shows which index serves the lookup or the probe of each row.
          await sql`SET LOCAL enable_seqscan = off`.execute(trx);
          if (join) await sql`SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`.execute(trx);
          return JSON.stringify((await trx.executeQuery(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]))).rows);
        }));
      const lookup = await plan(identityLookup(scope, 'phone', '+8613800138000').compile());
      assert.match(lookup, /crm_identity_value/, lookup);
      const byIdentity = await plan(identityDuplicates(scope, 100).compile(), true);
      assert.match(byIdentity, /crm_identity_match/, byIdentity);
      const byName = await plan(nameDuplicates(scope, 100).compile(), true);
      assert.match(byName, /crm_customer_name_key/, byName);
    }));

    test('profile: language, time zone, tags, typed custom fields and consent with its time', () => withCrm(dialect, async ({ customers, clock, A }) => {
      await customers.defineFields(A, [
        { key: 'account_no', label: 'Account', type: 'text', required: true },
        { key: 'spend', label: 'Spend', type: 'number' },
        { key: 'since', label: 'Customer since', type: 'date' },
        { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
      ], ADMIN);
      assert.deepEqual((await customers.fields(A)).map((f) => f.key), ['account_no', 'spend', 'since', 'tier']);
      await assert.rejects(customers.create(A, { name: 'X' }), (e: unknown) => code('SB_VALIDATION')(e) && (e as DomainError).details?.['field'] === 'fields.account_no');
      await assert.rejects(customers.create(A, { fields: { account_no: 'A1', spend: '12' } }), (e: unknown) => (e as DomainError).details?.['field'] === 'fields.spend');
      await assert.rejects(customers.create(A, { fields: { account_no: 'A1', tier: 'bronze' } }), (e: unknown) => (e as DomainError).details?.['field'] === 'fields.tier');
      await assert.rejects(customers.create(A, { fields: { account_no: 'A1' }, timeZone: 'Mars/Base' }), (e: unknown) => (e as DomainError).details?.['field'] === 'timeZone');
      await assert.rejects(customers.create(A, { fields: { account_no: 'A1' }, language: 'simplified chinese' }), (e: unknown) => (e as DomainError).details?.['field'] === 'language');

      const c = await customers.create(A, {
        name: ' Chen Mei ', company: '台北商行', language: 'zh-tw', timeZone: 'Asia/Taipei', tags: ['vip', 'vip', 'b2b'],
        fields: { account_no: 'A1', spend: 99.5, since: '2020-01-31', tier: 'gold' }, consent: { recording: true },
      }, ADMIN);
      assert.equal(c.name, 'Chen Mei');
      assert.equal(c.language, 'zh-TW');
      assert.deepEqual(c.tags, ['b2b', 'vip']);
      assert.deepEqual(c.fields, { account_no: 'A1', spend: 99.5, since: '2020-01-31', tier: 'gold' });
      assert.deepEqual(c.consent, { recording: { given: true, at: '2026-03-01T08:00:00.000Z' }, marketing: { given: null, at: null } });

      clock.advance(60_000);
      const u = await customers.update(A, c.id, { consent: { recording: false, marketing: true }, tags: ['vip'], fields: { tier: null } }, ADMIN);
      assert.deepEqual(u.consent, { recording: { given: false, at: '2026-03-01T08:01:00.000Z' }, marketing: { given: true, at: '2026-03-01T08:01:00.000Z' } });
      assert.deepEqual(u.tags, ['vip']);
      assert.deepEqual(u.fields, { account_no: 'A1', spend: 99.5, since: '2020-01-31' });
      await assert.rejects(customers.update(A, c.id, { fields: { account_no: null } }), (e: unknown) => (e as DomainError).details?.['field'] === 'fields.account_no');
      clock.advance(60_000);
      const same = await customers.update(A, c.id, { consent: { marketing: true } });
      assert.equal(same.consent.marketing.at, '2026-03-01T08:01:00.000Z', 'giving consent again keeps when it was given');
    }));

    test('list: newest first with a stable cursor; filters by tag, text prefix and updated-since', () => withCrm(dialect, async ({ customers, clock, A, B }) => {
      const made: Customer[] = [];
      for (const [name, company, tag, phone] of [
        ['Li Na', 'Acme', 'vip', '+8613911112222'], ['Lin Feng', 'Beta 貿易', 'new', '+85291234567'], ['王芳', 'Acme', 'vip', '+886912345678'],
        ['Zhou Yu', '100% Cotton_Co', 'new', '+14155550100'], ['Li Qiang', null, 'vip', '+8613800138000'],
      ] as const) {
        made.push(await customers.create(A, { name, company, tags: [tag], identities: [{ kind: 'phone', value: phone }] }));
        clock.advance(1000);
      }
      await customers.create(B, { name: 'Li Foreign' });
      const ids = async (q: Parameters<Customers['list']>[1]) => (await customers.list(A, q)).items.map((c) => c.name);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await customers.list(A, { limit: 2, cursor });
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((c) => c.name!));
        cursor = page.nextCursor ?? undefined;
        if (cursor) {
          clock.advance(1000);
          await customers.create(A, { name: `Later ${seen.length}` }); // new customers land on page one, not in the middle
        }
      } while (cursor);
      assert.deepEqual(seen, ['Li Qiang', 'Zhou Yu', '王芳', 'Lin Feng', 'Li Na']);

      assert.deepEqual(await ids({ tag: 'vip' }), ['Li Qiang', '王芳', 'Li Na']);
      assert.deepEqual(await ids({ q: 'li', tag: 'vip' }), ['Li Qiang', 'Li Na']);
      assert.deepEqual(await ids({ q: 'LIN' }), ['Lin Feng']);
      assert.deepEqual(await ids({ q: 'acme' }), ['王芳', 'Li Na']);
      assert.deepEqual(await ids({ q: '王' }), ['王芳']);
      assert.deepEqual(await ids({ q: '100%' }), ['Zhou Yu'], 'LIKE wildcards in the text are literal');
      assert.deepEqual(await ids({ q: '_' }), []);
      assert.deepEqual(await ids({ q: '+852 9123' }), ['Lin Feng'], 'identity prefix');
      assert.deepEqual(await ids({ q: '852 9123' }), ['Lin Feng'], 'a phone prefix without its +');
      assert.deepEqual(await ids({ q: '139 1111' }), [], 'a national number needs the region');
      await customers.updateSettings(A, { defaultRegion: 'CN' });
      assert.deepEqual(await ids({ q: '139 1111' }), ['Li Na'], 'a national phone prefix in the workspace\'s region');
      const since = new Date(clock.now()).toISOString();
      clock.advance(1000);
      await customers.update(A, made[1]!.id, { company: 'Beta Ltd' });
      assert.deepEqual(await ids({ updatedSince: since, q: 'li' }), ['Lin Feng']);
      await assert.rejects(customers.list(A, { cursor: 'garbage!' }), code('SB_VALIDATION', 400));
    }));

    test('merge moves identities, notes, tags and fields to the survivor; unmerge restores both exactly', () => withCrm(dialect, async ({ customers, clock, events, audit, A }) => {
      await customers.defineFields(A, [{ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] }, { key: 'note_code', label: 'Code', type: 'text' }]);
      const survivor0 = await customers.create(A, {
        name: 'Wei Li', tags: ['vip'], fields: { tier: 'gold' }, identities: [{ kind: 'phone', value: '+8613800138000' }],
      });
      const merged0 = await customers.create(A, {
        name: 'W. Li', company: 'ACME', language: 'zh-CN', tags: ['vip', 'wholesale'], fields: { tier: 'silver', note_code: 'K9' }, consent: { marketing: true },
        identities: [{ kind: 'email', value: 'wei@acme.example' }, { kind: 'whatsapp', value: '8613800138001' }],
      });
      await customers.addNote(A, survivor0.id, 'called about an invoice', ADMIN);
      clock.advance(1000);
      await customers.addNote(A, merged0.id, 'prefers WeChat', ADMIN);
      const survivorBefore = await customers.get(A, survivor0.id);
      const mergedBefore = await customers.get(A, merged0.id);
      const notesBefore = (await customers.timeline(A, merged0.id)).items.map((e) => e.id);

      clock.advance(1000);
      const { mergeId, survivor } = await customers.merge(A, survivor0.id, merged0.id, ADMIN);
      assert.equal(survivor.name, 'Wei Li', 'the survivor\'s value wins');
      assert.equal(survivor.company, 'ACME', 'unless it is empty');
      assert.equal(survivor.language, 'zh-CN');
      assert.deepEqual(survivor.tags, ['vip', 'wholesale']);
      assert.deepEqual(survivor.fields, { tier: 'gold', note_code: 'K9' });
      assert.equal(survivor.consent.marketing.given, true);
      assert.deepEqual(survivor.identities.map((i) => i.value).sort(), ['+8613800138000', '8613800138001', 'wei@acme.example']);
      assert.equal((await customers.get(A, merged0.id)).mergedInto, survivor0.id);
      assert.deepEqual((await customers.get(A, merged0.id)).identities, []);
      assert.equal((await customers.resolve(A, { kind: 'email', value: 'wei@acme.example' }))?.id, survivor0.id);
      assert.equal(await customers.canonicalId(A, merged0.id), survivor0.id);
      assert.deepEqual(await customers.mergedIds(A, survivor0.id), [merged0.id]);
      assert.deepEqual((await customers.timeline(A, survivor0.id)).items.map((e) => e.summary), ['prefers WeChat', 'called about an invoice']);
      assert.deepEqual(events.at(-1), { name: 'CustomersMerged', payload: { tenantId: A, survivorId: survivor0.id, mergedId: merged0.id, mergeId } });
      assert.ok((await customers.list(A)).items.every((c) => c.id !== merged0.id), 'a merged customer is not listed');
      await assert.rejects(customers.update(A, merged0.id, { name: 'x' }), code('SB_CRM_MERGED', 409));
      await assert.rejects(customers.merge(A, survivor0.id, survivor0.id), code('SB_CRM_MERGE_INVALID', 409));

      clock.advance(1000);
      const { survivor: back, restored } = await customers.unmerge(A, mergeId, ADMIN);
      assert.deepEqual(stable(back), stable(survivorBefore));
      assert.deepEqual(stable(restored), stable(mergedBefore));
      assert.deepEqual((await customers.timeline(A, merged0.id)).items.map((e) => e.id), notesBefore);
      assert.equal((await customers.resolve(A, { kind: 'email', value: 'wei@acme.example' }))?.id, merged0.id);
      assert.deepEqual(events.at(-1), { name: 'CustomersUnmerged', payload: { tenantId: A, survivorId: survivor0.id, mergedId: merged0.id, mergeId } });
      await assert.rejects(customers.unmerge(A, mergeId), code('SB_CRM_MERGE_UNDONE', 409));
      const actions = (await audit.list(A, { limit: 50 })).map((e) => e.action);
      assert.ok(actions.includes('customer.merged') && actions.includes('customer.unmerged'));
    }));

    test('an edit made after a merge survives its undo', () => withCrm(dialect, async ({ customers, A }) => {
      const s = await customers.create(A, { name: 'S' });
      const m = await customers.create(A, { name: 'M', company: 'Old Co', tags: ['t'] });
      const { mergeId } = await customers.merge(A, s.id, m.id);
      await customers.update(A, s.id, { company: 'New Co' });
      const { survivor } = await customers.unmerge(A, mergeId);
      assert.equal(survivor.company, 'New Co');
      assert.deepEqual(survivor.tags, []);
    }));

    test('canonicalId follows a chain of two merges; mergedIds lists both; undo goes in reverse order', () => withCrm(dialect, async ({ customers, A }) => {
      const a = await customers.create(A, { name: 'A' });
      const b = await customers.create(A, { name: 'B' });
      const c = await customers.create(A, { name: 'C' });
      const first = await customers.merge(A, b.id, a.id);
      const second = await customers.merge(A, c.id, b.id);
      assert.equal(await customers.canonicalId(A, a.id), c.id);
      assert.equal(await customers.canonicalId(A, b.id), c.id);
      assert.equal(await customers.canonicalId(A, c.id), c.id);
      assert.deepEqual((await customers.mergedIds(A, c.id)).sort(), [a.id, b.id].sort());
      assert.deepEqual(await customers.mergedIds(A, a.id), []);
      await assert.rejects(customers.canonicalId(A, '00000000-0000-4000-8000-000000000000'), code('SB_NOT_FOUND', 404));
      await assert.rejects(customers.unmerge(A, first.mergeId), code('SB_CRM_MERGE_NOT_REVERSIBLE', 409));
      await customers.unmerge(A, second.mergeId);
      await customers.unmerge(A, first.mergeId);
      assert.equal(await customers.canonicalId(A, a.id), a.id);
    }));

    test('duplicate suggestions: same last 8 phone digits, same mailbox, same name and company', () => withCrm(dialect, async ({ customers, A, B }) => {
      const hk = await customers.create(A, { name: 'Ho', identities: [{ kind: 'phone', value: '+852 5500 1380' }] });
      const cn = await customers.create(A, { name: 'He', identities: [{ kind: 'phone', value: '+86 138 5500 1380' }] });
      const w1 = await customers.create(A, { identities: [{ kind: 'email', value: 'wei+orders@example.com' }] });
      const w2 = await customers.create(A, { identities: [{ kind: 'email', value: 'Wei@example.com' }] });
      const n1 = await customers.create(A, { name: 'Li  Wei', company: 'ACME Ltd' });
      const n2 = await customers.create(A, { name: 'li wei', company: 'acme ltd', identities: [{ kind: 'phone', value: '+86 139 5500 1380' }] });
      await customers.create(A, { name: 'Li Wei', company: 'Other Co' });
      await customers.create(A, { name: 'Li Wei' });
      await customers.create(B, { name: 'Li Wei', company: 'ACME Ltd', identities: [{ kind: 'phone', value: '+852 5500 1380' }] });
      const pair = (x: string, y: string) => [x, y].sort().join(' ');
      const found = new Map((await customers.duplicates(A)).map((d) => [pair(d.customers[0]!.id, d.customers[1]!.id), d.reasons]));
      assert.deepEqual(Object.fromEntries(found), {
        [pair(hk.id, cn.id)]: ['phone_last_digits'],
        [pair(hk.id, n2.id)]: ['phone_last_digits'],
        [pair(cn.id, n2.id)]: ['phone_last_digits'],
        [pair(w1.id, w2.id)]: ['email_mailbox'],
        [pair(n1.id, n2.id)]: ['name_company'],
      });
      await customers.merge(A, n1.id, n2.id);
      const after = (await customers.duplicates(A)).map((d) => pair(d.customers[0]!.id, d.customers[1]!.id));
      assert.ok(!after.includes(pair(n1.id, n2.id)), 'merged customers are no longer suggested');
      assert.ok(after.includes(pair(hk.id, n1.id)), 'the survivor took the phone');
    }));

    test('timeline pages across notes and another source, over the customer and the ids merged into it', () => withCrm(dialect, async ({ customers, clock, A, B }) => {
      const main = await customers.create(A, { name: 'Main' });
      const old = await customers.create(A, { name: 'Old record' });
      const asked: string[][] = [];
      const calls: TimelineEntry[] = [];
      const source: TimelineSource = {
        async entries(tenantId, customerIds, opts) {
          asked.push(customerIds);
          return calls.filter((e) => tenantId === A && customerIds.includes(e.data!['customerId'] as string) && (opts.before === undefined || e.at < opts.before))
            .sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : x.id < y.id ? -1 : 1)).slice(0, opts.limit);
        },
      };
      const remove = customers.addTimelineSource(source);
      for (let i = 0; i < 4; i++) {
        await customers.addNote(A, main.id, `note ${i}`, ADMIN);
        calls.push({ at: new Date(clock.now()).toISOString(), kind: 'interaction', id: `call-${i}`, summary: `call ${i}`, channel: 'voice', data: { customerId: i % 2 ? old.id : main.id } });
        clock.advance(i === 1 ? 0 : 5000);
      }
      await customers.merge(A, main.id, old.id);
      const pages: string[][] = [];
      let before: string | undefined;
      do {
        const page = await customers.timeline(A, main.id, { limit: 3, before });
        pages.push(page.items.map((e) => e.summary));
        before = page.nextCursor ?? undefined;
      } while (before);
      // Newest first; at one time interactions before notes (kind), then by id: note 1 and note 2 share a millisecond with call 1 and call 2.
      assert.deepEqual(pages.map((p) => p.length), [3, 3, 2], JSON.stringify(pages));
      const flat = pages.flat();
      assert.deepEqual(flat.slice(0, 4), ['call 3', 'note 3', 'call 1', 'call 2']);
      assert.deepEqual(flat.slice(4, 6).sort(), ['note 1', 'note 2']);
      assert.deepEqual(flat.slice(6), ['call 0', 'note 0']);
      assert.ok(asked.every((ids) => ids.includes(main.id) && ids.includes(old.id)), 'sources are asked for merged ids too');
      assert.deepEqual((await customers.timeline(A, old.id, { limit: 1 })).items.map((e) => e.summary), ['call 3'], 'a merged id shows its survivor\'s timeline');
      await assert.rejects(customers.timeline(B, main.id), code('SB_NOT_FOUND', 404));
      await assert.rejects(customers.timeline(A, main.id, { before: 'last week' }), code('SB_VALIDATION', 400));
      remove();
      assert.ok((await customers.timeline(A, main.id)).items.every((e) => e.kind === 'note'));
    }));

    test('CSV import reports each row; good rows are imported, bad ones rejected; export round-trips', () => withCrm(dialect, async ({ customers, A }) => {
      await customers.defineFields(A, [{ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] }]);
      const existing = await customers.create(A, { name: 'Existing', identities: [{ kind: 'email', value: 'known@example.com' }] });
      const csv = [
        '\uFEFFname,company,phone,email,language,tags,tier',
        '王小明,上海贸易有限公司,+86 138 0013 8000,xm@example.cn,zh-CN,vip;大客户,gold',
        'Bad Phone,,+86 123,,,,',
        'Bad Email,,,not-an-email,,,',
        '李四,,+86-138-0013-8000,,,,',
        'Updated Name,,,KNOWN@example.com,,,silver',
        '"Chen, Mei",臺北商行,+886 912 345 678;+852 9123 4567,,zh-TW,,bronze',
        '陳美,臺北商行,+886 912 345 678,,zh-TW,,',
        ',,,,,,',
      ].join('\r\n');
      const report = await customers.importCsv(A, csv, ADMIN);
      assert.deepEqual(report.rows.map((r) => [r.row, r.outcome]), [
        [2, 'created'], [3, 'rejected'], [4, 'rejected'], [5, 'rejected'], [6, 'updated'], [7, 'rejected'], [8, 'created'], [9, 'rejected'],
      ]);
      assert.deepEqual([report.created, report.updated, report.rejected], [2, 1, 5]);
      assert.match(report.rows[1]!.reason!, /phone is not a valid number/);
      assert.match(report.rows[2]!.reason!, /email is not a valid e-mail address/);
      assert.match(report.rows[3]!.reason!, /phone is also on row 2 of this file/);
      assert.equal(report.rows[4]!.customerId, existing.id);
      assert.match(report.rows[5]!.reason!, /fields?\.?tier|tier must be one of/);
      assert.match(report.rows[7]!.reason!, /no name, company or identity/);

      const xm = await customers.get(A, report.rows[0]!.customerId!);
      assert.equal(xm.name, '王小明');
      assert.equal(xm.company, '上海贸易有限公司');
      assert.deepEqual(xm.tags, ['vip', '大客户']);
      assert.deepEqual(xm.identities.map((i) => i.value), ['+8613800138000', 'xm@example.cn']);
      assert.equal((await customers.get(A, existing.id)).name, 'Updated Name');
      assert.deepEqual((await customers.get(A, existing.id)).fields, { tier: 'silver' });

      const before = (await customers.list(A)).items;
      const exported = await customers.exportCsv(A, {}, ADMIN);
      assert.ok(exported.startsWith('\uFEFFid,name,company,language,time_zone,tags,phone,email,wechat_openid,wechat_unionid,whatsapp,telegram,webchat,tier,created_at,updated_at\r\n'));
      assert.ok(exported.includes('王小明') && exported.includes('陳美'));
      const again = await customers.importCsv(A, exported, ADMIN);
      assert.deepEqual(again.rows.map((r) => r.outcome), before.map(() => 'updated'));
      assert.deepEqual((await customers.list(A)).items.map(stable), before.map(stable), 'importing the export changes nothing');
      assert.equal((await customers.exportCsv(A, { tag: 'vip' })).split('\r\n').filter(Boolean).length, 2, 'header and the one vip');

      await assert.rejects(customers.importCsv(A, 'just some words\nand more', ADMIN), code('SB_CRM_CSV_INVALID', 400));
      await assert.rejects(customers.importCsv(A, '', ADMIN), code('SB_CRM_CSV_INVALID', 400));
    }));

    test('erasure overwrites personal data, keeps a tombstone, releases identities and publishes CustomerErased', () => withCrm(dialect, async ({ storage, customers, events, clock, A }) => {
      await customers.defineFields(A, [{ key: 'passport', label: 'Passport', type: 'text' }]);
      const pii = ['张秘密', 'Secret Trading Co', '+8613912345678', '13912345678', 'secret.person@example.com', 'E12345678', 'has a sensitive complaint', 'oSecretOpenid'];
      const c = await customers.create(A, {
        name: pii[0], company: pii[1], tags: ['vip'], fields: { passport: pii[5]! },
        identities: [{ kind: 'phone', value: '+86 139 1234 5678' }, { kind: 'email', value: pii[4]! }, { kind: 'wechat_openid', value: pii[7]! }],
      }, ADMIN);
      await customers.createOnce(A, 'erase-key', { name: pii[0], company: pii[1] }, ADMIN);
      const twin = (await customers.list(A, { q: pii[0] })).items.find((x) => x.id !== c.id)!;
      await customers.addNote(A, c.id, pii[6]!, ADMIN);
      await customers.merge(A, c.id, twin.id, ADMIN);

      clock.advance(1000);
      const tomb = await customers.erase(A, c.id, 'GDPR Art. 17 request #42', ADMIN);
      assert.equal(tomb.erasedAt, '2026-03-01T08:00:01.000Z');
      assert.equal(tomb.name, null);
      assert.deepEqual(tomb.identities, []);
      assert.deepEqual(tomb.fields, {});
      assert.deepEqual(events.filter((e) => e.name === 'CustomerErased').map((e) => e.payload), [{ tenantId: A, customerId: c.id }, { tenantId: A, customerId: twin.id }]);

      const raw = JSON.stringify(await Promise.all(
        ['crm_customer', 'crm_identity', 'crm_note', 'crm_tag', 'crm_merge', 'crm_idempotency', 'audit_event'].map(async (t) => (await sql`select * from ${sql.table(t)}`.execute(storage.db)).rows),
      ));
      for (const secret of pii) assert.ok(!raw.includes(secret), `no trace of ${secret} in the raw rows`);
      const row = (await sql<{ erased_at: string; erased_by: string; erase_reason: string }>`select erased_at, erased_by, erase_reason from crm_customer where id = ${c.id}`.execute(storage.db)).rows[0];
      assert.deepEqual({ ...row }, { erased_at: '2026-03-01T08:00:01.000Z', erased_by: ADMIN.userId, erase_reason: 'GDPR Art. 17 request #42' });

      assert.equal(await customers.resolve(A, { kind: 'phone', value: '+8613912345678' }), undefined);
      const next = await customers.create(A, { identities: [{ kind: 'phone', value: '+86 139 1234 5678' }] });
      assert.equal((await customers.resolve(A, { kind: 'phone', value: '+8613912345678' }))?.id, next.id, 'the number can belong to someone new');
      await assert.rejects(customers.update(A, c.id, { name: 'back' }), code('SB_CRM_ERASED', 409));
      assert.ok((await customers.list(A)).items.every((x) => x.id !== c.id));
      assert.deepEqual((await customers.timeline(A, c.id)).items, []);
    }));

    test('a legal hold blocks erasure with its reason, also when it is on a merged record', () => withCrm(dialect, async ({ customers, events, A }) => {
      const c = await customers.create(A, { name: 'Held', identities: [{ kind: 'email', value: 'held@example.com' }] });
      const held = await customers.setLegalHold(A, c.id, 'litigation 2026-17', ADMIN);
      assert.deepEqual(held.legalHold, { reason: 'litigation 2026-17', since: '2026-03-01T08:00:00.000Z' });
      await assert.rejects(customers.erase(A, c.id, 'request', ADMIN), (e: unknown) => {
        code('SB_CRM_LEGAL_HOLD', 409)(e);
        assert.match((e as DomainError).message, /litigation 2026-17/);
        return true;
      });
      assert.equal((await customers.get(A, c.id)).name, 'Held');
      assert.equal(events.filter((e) => e.name === 'CustomerErased').length, 0);

      const s = await customers.create(A, { name: 'Survivor' });
      await customers.merge(A, s.id, c.id);
      await assert.rejects(customers.erase(A, s.id, 'request'), code('SB_CRM_LEGAL_HOLD', 409));
      await customers.unmerge(A, (await customers.merge(A, s.id, (await customers.create(A, {})).id)).mergeId);

      assert.equal((await customers.setLegalHold(A, s.id, 'x')).legalHold?.reason, 'x');
      assert.equal((await customers.setLegalHold(A, s.id, null)).legalHold, null);
      await assert.rejects(customers.erase(A, c.id, '   '), code('SB_VALIDATION', 400));
    }));

    test('idempotent create: same key and body answers the first answer, another body a 422, a day later the key is free', () => withCrm(dialect, async ({ customers, clock, A, B }) => {
      const body = { name: 'Once', identities: [{ kind: 'phone' as const, value: '+14155550100' }] };
      const first = await customers.createOnce(A, 'key-1', body, ADMIN);
      assert.equal(first.status, 201);
      assert.equal(first.replayed, false);
      clock.advance(60_000);
      await customers.update(A, first.customer.id, { name: 'Changed since' });
      const second = await customers.createOnce(A, 'key-1', { identities: body.identities, name: 'Once' }, ADMIN);
      assert.equal(second.replayed, true);
      assert.equal(second.status, 201);
      assert.deepEqual(second.customer, first.customer, 'the original response');
      assert.equal((await customers.list(A)).items.length, 1);
      await assert.rejects(customers.createOnce(A, 'key-1', { name: 'Twice' }), code('SB_CRM_IDEMPOTENCY_MISMATCH', 422));
      const theirs = await customers.createOnce(B, 'key-1', { name: 'Twice' });
      assert.equal(theirs.replayed, false, 'keys are per tenant');

      await assert.rejects(customers.createOnce(A, 'key-2', { identities: [{ kind: 'phone', value: '+86 123' }] }), code('SB_CRM_PHONE_INVALID', 400));
      assert.equal((await customers.createOnce(A, 'key-2', { name: 'Fixed' })).replayed, false, 'a failure is not remembered');

      clock.advance(IDEMPOTENCY_TTL_MS);
      const later = await customers.createOnce(A, 'key-1', { name: 'A day later' });
      assert.equal(later.replayed, false);
      assert.equal(later.customer.name, 'A day later');
    }));

    test('another tenant\'s customer reads as not found everywhere', () => withCrm(dialect, async ({ customers, A, B }) => {
      const mine = await customers.create(A, { name: 'Mine', identities: [{ kind: 'email', value: 'mine@example.com' }] });
      const other = await customers.create(A, { name: 'Other' });
      const { mergeId } = await customers.merge(A, mine.id, other.id);
      const theirs = await customers.create(B, { name: 'Theirs' });
      const nf = code('SB_NOT_FOUND', 404);
      await assert.rejects(customers.get(B, mine.id), nf);
      await assert.rejects(customers.update(B, mine.id, { name: 'x' }), nf);
      await assert.rejects(customers.addIdentity(B, mine.id, { kind: 'telegram', value: '1' }), nf);
      await assert.rejects(customers.removeIdentity(B, mine.id, mine.identities[0]!.id), nf);
      await assert.rejects(customers.addNote(B, mine.id, 'x', ADMIN), nf);
      await assert.rejects(customers.merge(B, theirs.id, mine.id), nf);
      await assert.rejects(customers.unmerge(B, mergeId), nf);
      await assert.rejects(customers.erase(B, mine.id, 'x'), nf);
      await assert.rejects(customers.setLegalHold(B, mine.id, 'x'), nf);
      await assert.rejects(customers.canonicalId(B, other.id), nf);
      await assert.rejects(customers.timeline(B, mine.id), nf);
      assert.deepEqual(await customers.mergedIds(B, mine.id), []);
      assert.equal(await customers.resolve(B, { kind: 'email', value: 'mine@example.com' }), undefined);
      assert.deepEqual((await customers.list(B)).items.map((c) => c.name), ['Theirs']);
      assert.equal((await customers.get(A, mine.id)).name, 'Mine', 'untouched');
    }));
  });
}
