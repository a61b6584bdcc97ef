// The customers API over the real app (real storage on each dialect, real access control).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

const NEVER = '00000000-0000-4000-8000-000000000000';

for (const dialect of testStorageTargets()) {
  describe(`customers API (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let agent: string;
    let other: string;
    type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    const call = (cookie: string, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      t.app.http.inject({ method, url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : typeof payload === 'string' ? { payload } : { payload: payload as object }) });

    before(async () => {
      t = await startTestApp(dialect);
      admin = await login(t, 'demo', 'admin');
      agent = await login(t, 'demo', 'agent1');
      other = await login(t, 'other', 'o-admin');
    });
    after(async () => { await t.close(); });

    test('a bad body answers 400 with a message naming the field', async () => {
      const unknown = await call(admin, 'POST', '/api/customers', { name: 'X', nickname: 'x' });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().code, 'SB_VALIDATION');
      assert.match(unknown.json().message, /nickname/);
      const phone = await call(admin, 'POST', '/api/customers', { identities: [{ kind: 'phone', value: '+86 123' }] });
      assert.equal(phone.statusCode, 400);
      assert.deepEqual({ code: phone.json().code, field: phone.json().details.field }, { code: 'SB_CRM_PHONE_INVALID', field: 'identities.0.value' });
      assert.match(phone.json().message, /identities\.0\.value is not a valid number/);
      const national = await call(admin, 'POST', '/api/customers', { identities: [{ kind: 'phone', value: '(415) 555-0100' }] });
      assert.match(national.json().message, /default region/);
      const lookup = await call(admin, 'GET', '/api/customers/lookup');
      assert.equal(lookup.statusCode, 400);
      assert.match(lookup.json().message, /exactly one of phone, email/);
    });

    test('create, screen-pop lookup by raw phone, patch, identities, notes and timeline', async () => {
      const created = await call(agent, 'POST', '/api/customers', {
        name: '王小红', company: '深圳电子', language: 'zh-cn', tags: ['vip'], consent: { recording: true },
        identities: [{ kind: 'phone', value: '+86 138 0013 8000' }, { kind: 'wechat_openid', value: 'oAbC123' }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const c = created.json();
      assert.equal(c.language, 'zh-CN');
      for (const phone of ['+86 138 0013 8000', 'sip:+8613800138000@carrier.example', '+8613800138000']) {
        const found = await call(agent, 'GET', `/api/customers/lookup?phone=${encodeURIComponent(phone)}`);
        assert.equal(found.statusCode, 200, found.body);
        assert.equal(found.json().id, c.id);
      }
      assert.equal((await call(agent, 'GET', '/api/customers/lookup?kind=wechat_openid&value=oAbC123')).json().id, c.id);
      assert.equal((await call(agent, 'GET', '/api/customers/lookup?email=nobody%40example.com')).statusCode, 404);

      const patched = await call(agent, 'PATCH', `/api/customers/${c.id}`, { timeZone: 'Asia/Shanghai', tags: ['vip', 'b2b'] });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.deepEqual(patched.json().tags, ['b2b', 'vip']);
      const badZone = await call(agent, 'PATCH', `/api/customers/${c.id}`, { timeZone: '+08:00' });
      assert.equal(badZone.statusCode, 400);
      assert.equal(badZone.json().details.field, 'timeZone');

      const someone = (await call(agent, 'POST', '/api/customers', { name: 'Someone' })).json();
      const clash = await call(agent, 'POST', `/api/customers/${someone.id}/identities`, { kind: 'phone', value: '+86-138-0013-8000' });
      assert.equal(clash.statusCode, 409);
      assert.equal(clash.json().code, 'SB_CRM_IDENTITY_TAKEN');
      assert.equal(clash.json().details.customerId, c.id);
      const added = await call(agent, 'POST', `/api/customers/${someone.id}/identities`, { kind: 'email', value: 'Someone@Example.com' });
      assert.equal(added.statusCode, 201);
      const emailId = added.json().identities[0].id;
      assert.equal((await call(agent, 'DELETE', `/api/customers/${someone.id}/identities/${emailId}`)).json().identities.length, 0);

      const note = await call(agent, 'POST', `/api/customers/${c.id}/notes`, { body: '客户要求回电' });
      assert.equal(note.statusCode, 201);
      assert.equal(note.json().authorName, 'agent1');
      const timeline = await call(agent, 'GET', `/api/customers/${c.id}/timeline?limit=10`);
      assert.equal(timeline.statusCode, 200);
      assert.deepEqual(timeline.json().items.map((e: { kind: string; summary: string }) => [e.kind, e.summary]), [['note', '客户要求回电']]);
      assert.equal(timeline.json().nextCursor, null);

      const listed = await call(agent, 'GET', '/api/customers?q=%E7%8E%8B&limit=5');
      assert.deepEqual(listed.json().items.map((x: { id: string }) => x.id), [c.id]);
      assert.equal((await call(agent, 'GET', '/api/customers?limit=abc')).statusCode, 400);
    });

    test('idempotent create replays the first answer; another body with the key is a 422', async () => {
      const body = { name: 'Idem', identities: [{ kind: 'email', value: 'idem@example.com' }] };
      const first = await call(admin, 'POST', '/api/customers', body, { 'idempotency-key': 'k-1' });
      assert.equal(first.statusCode, 201);
      const again = await call(admin, 'POST', '/api/customers', body, { 'idempotency-key': 'k-1' });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.body, first.body);
      const changed = await call(admin, 'POST', '/api/customers', { ...body, name: 'Different' }, { 'idempotency-key': 'k-1' });
      assert.equal(changed.statusCode, 422);
      assert.equal(changed.json().code, 'SB_CRM_IDEMPOTENCY_MISMATCH');
    });

    test('merge, duplicates and undo; agents may not merge', async () => {
      const a = (await call(admin, 'POST', '/api/customers', { name: 'Li Wei', company: 'ACME', identities: [{ kind: 'phone', value: '+852 5500 1380' }] })).json();
      const b = (await call(admin, 'POST', '/api/customers', { name: 'li wei', company: 'acme', identities: [{ kind: 'phone', value: '+86 138 5500 1380' }] })).json();
      const dup = await call(admin, 'GET', '/api/customers/duplicates');
      const pair = dup.json().items.find((x: { customers: { id: string }[] }) => x.customers.some((y) => y.id === a.id) && x.customers.some((y) => y.id === b.id));
      assert.deepEqual(pair.reasons, ['name_company', 'phone_last_digits']);
      const denied = await call(agent, 'POST', `/api/customers/${a.id}/merge`, { customerId: b.id });
      assert.equal(denied.statusCode, 403);
      const merged = await call(admin, 'POST', `/api/customers/${a.id}/merge`, { customerId: b.id });
      assert.equal(merged.statusCode, 200, merged.body);
      assert.equal(merged.json().survivor.identities.length, 2);
      assert.equal((await call(admin, 'GET', `/api/customers/${b.id}`)).json().mergedInto, a.id);
      const undo = await call(admin, 'POST', `/api/customers/merges/${merged.json().mergeId}/undo`);
      assert.equal(undo.statusCode, 200, undo.body);
      assert.equal(undo.json().restored.mergedInto, null);
      assert.equal((await call(admin, 'POST', `/api/customers/merges/${merged.json().mergeId}/undo`)).json().code, 'SB_CRM_MERGE_UNDONE');
    });

    test('CSV import (text/csv and JSON) reports each row; export is CSV with a header; a file that is not CSV is a 400', async () => {
      const fields = await call(admin, 'PUT', '/api/crm/fields', {
        items: [{ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] }, { key: 'spend', label: 'Spend', type: 'number' }],
      });
      assert.equal(fields.statusCode, 200, fields.body);
      assert.deepEqual((await call(agent, 'GET', '/api/crm/fields')).json().items.map((f: { key: string }) => f.key), ['tier', 'spend']);
      const typed = await call(agent, 'POST', '/api/customers', { name: 'Typed', fields: { tier: 'silver', spend: 12.5 } });
      assert.deepEqual(typed.json().fields, { tier: 'silver', spend: 12.5 });
      const wrong = await call(agent, 'POST', '/api/customers', { name: 'Typed', fields: { spend: '12.5' } });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().details.field, 'fields.spend');
      const csv = '\uFEFFname,phone,email,tier\r\n張大千,+886 912 345 678,zhang@example.tw,gold\r\nBad,+86 123,,\r\n';
      const res = await call(admin, 'POST', '/api/customers/import', csv, { 'content-type': 'text/csv' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().rows.map((r: { row: number; outcome: string }) => [r.row, r.outcome]), [[2, 'created'], [3, 'rejected']]);
      assert.match(res.json().rows[1].reason, /phone is not a valid number/);
      const json = await call(admin, 'POST', '/api/customers/import', { csv: 'name,email\nJSON Person,json@example.com\n' });
      assert.equal(json.json().created, 1);
      const bad = await call(admin, 'POST', '/api/customers/import', 'hello world, this is not a header\nreally', { 'content-type': 'text/csv' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'SB_CRM_CSV_INVALID');
      assert.equal((await call(agent, 'POST', '/api/customers/import', csv, { 'content-type': 'text/csv' })).statusCode, 403);

      const exported = await call(admin, 'GET', '/api/customers/export?q=%E5%BC%B5');
      assert.equal(exported.statusCode, 200);
      assert.match(String(exported.headers['content-type']), /^text\/csv/);
      const lines = exported.body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
      assert.ok(lines[0]!.startsWith('id,name,company,'));
      assert.equal(lines.length, 2);
      assert.ok(lines[1]!.includes('張大千') && lines[1]!.includes('+886912345678') && lines[1]!.includes('gold'));
    });

    test('erasure answers the tombstone; a legal hold blocks it with 409 SB_CRM_LEGAL_HOLD', async () => {
      const c = (await call(admin, 'POST', '/api/customers', { name: 'To Erase', identities: [{ kind: 'email', value: 'erase@example.com' }] })).json();
      const hold = await call(admin, 'PUT', `/api/customers/${c.id}/legal-hold`, { reason: 'case 7' });
      assert.equal(hold.json().legalHold.reason, 'case 7');
      const blocked = await call(admin, 'DELETE', `/api/customers/${c.id}`, { reason: 'customer request' });
      assert.equal(blocked.statusCode, 409);
      assert.equal(blocked.json().code, 'SB_CRM_LEGAL_HOLD');
      assert.match(blocked.json().message, /case 7/);
      await call(admin, 'PUT', `/api/customers/${c.id}/legal-hold`, { reason: null });
      assert.equal((await call(agent, 'DELETE', `/api/customers/${c.id}`, { reason: 'customer request' })).statusCode, 403);
      const erased = await call(admin, 'DELETE', `/api/customers/${c.id}`, { reason: 'customer request' });
      assert.equal(erased.statusCode, 200, erased.body);
      assert.ok(erased.json().erasedAt);
      assert.equal(erased.json().name, null);
      assert.equal((await call(admin, 'GET', '/api/customers/lookup?email=erase%40example.com')).statusCode, 404);
      assert.equal((await call(admin, 'DELETE', `/api/customers/${c.id}`, {})).statusCode, 400, 'a reason is required');
    });

    test('another tenant\'s customer answers exactly like a missing id', async () => {
      const theirs = (await call(other, 'POST', '/api/customers', { name: 'Theirs', identities: [{ kind: 'email', value: 'theirs@example.com' }] })).json();
      const mine = (await call(admin, 'POST', '/api/customers', { name: 'Mine' })).json();
      const cases: [Method, string, unknown?][] = [
        ['GET', '/api/customers/:id'], ['PATCH', '/api/customers/:id', { name: 'hijacked' }], ['DELETE', '/api/customers/:id', { reason: 'x' }],
        ['POST', '/api/customers/:id/identities', { kind: 'telegram', value: '42' }], ['POST', '/api/customers/:id/notes', { body: 'x' }],
        ['GET', '/api/customers/:id/timeline'], ['PUT', '/api/customers/:id/legal-hold', { reason: 'x' }],
        ['DELETE', `/api/customers/:id/identities/${theirs.identities[0].id}`],
      ];
      for (const [method, path, payload] of cases) {
        const foreign = await call(admin, method, path.replace(':id', theirs.id), payload);
        const missing = await call(admin, method, path.replace(':id', NEVER), payload);
        assert.equal(foreign.statusCode, 404, `${method} ${path}: ${foreign.body}`);
        assert.equal(foreign.body, missing.body, `${method} ${path}`);
      }
      const intoMine = await call(admin, 'POST', `/api/customers/${mine.id}/merge`, { customerId: theirs.id });
      assert.equal(intoMine.statusCode, 404);
      assert.equal((await call(admin, 'GET', '/api/customers/lookup?email=theirs%40example.com')).statusCode, 404);
      assert.equal((await call(other, 'GET', `/api/customers/${theirs.id}`)).json().name, 'Theirs', 'untouched');
    });
  });
}
