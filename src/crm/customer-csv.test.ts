import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { readCustomerCsv, writeCustomerCsv } from './customer-csv.ts';
import type { Customer, FieldDefinition } from './customer-model.ts';

const defs: FieldDefinition[] = [{ key: 'tier', label: 'Tier', type: 'select', options: ['gold'], required: false }];
const csvError = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'SB_CRM_CSV_INVALID' && e.status === 400 && re.test(e.message));

describe('reading the customer CSV', () => {
  test('maps header names (any case and spacing) to attributes, identities and custom fields', () => {
    const rows = readCustomerCsv('\uFEFFName,Company,Phone,Phone 2,E-mail,Tags,Time Zone,tier\r\n王小明,上海贸易,+86 138 0013 8000; +852 9123 4567,,XM@Example.com,vip;大客户,Asia/Shanghai,gold\r\n', defs);
    assert.equal(rows.length, 1);
    const r = rows[0]!;
    assert.equal(r.row, 2);
    assert.equal(r.name, '王小明');
    assert.equal(r.company, '上海贸易');
    assert.deepEqual(r.tags, ['vip', '大客户']);
    assert.equal(r.timeZone, 'Asia/Shanghai');
    assert.deepEqual(r.fields, { tier: 'gold' });
    assert.deepEqual(r.identities, [
      { kind: 'phone', value: '+86 138 0013 8000', field: 'Phone #1' },
      { kind: 'phone', value: '+852 9123 4567', field: 'Phone #2' },
      { kind: 'email', value: 'XM@Example.com', field: 'E-mail' },
    ]);
  });

  test('a row with the wrong number of cells is reported on its own, the others read', () => {
    const rows = readCustomerCsv('name,email\nA,a@example.com\nB\nC,c@example.com\n', []);
    assert.equal(rows.length, 3);
    assert.match(rows[1]!.problem ?? '', /1 cells where the header has 2/);
    assert.equal(rows[2]!.name, 'C');
  });

  test('files that are not CSV or have no header are a clear 400', () => {
    csvError(() => readCustomerCsv('', []), /empty/);
    csvError(() => readCustomerCsv('Alice,+8613800138000\n', []), /not a header/);
    csvError(() => readCustomerCsv('name,"unclosed\n', []), /not valid CSV/);
    csvError(() => readCustomerCsv('\u0000\u0001PK\u0003\u0004', []), /not CSV/);
    csvError(() => readCustomerCsv('name,shoe_size\nA,42\n', []), /shoe_size/);
    csvError(() => readCustomerCsv('name,Name\nA,B\n', []), /appears twice/);
  });
});

describe('writing the customer CSV', () => {
  const customer: Customer = {
    id: 'c1', name: '=HYPERLINK("http://evil.example")', company: '台北商行', language: 'zh-TW', timeZone: 'Asia/Taipei', tags: ['vip'], fields: { tier: 'gold' },
    consent: { recording: { given: null, at: null }, marketing: { given: null, at: null } },
    identities: [{ id: 'i1', kind: 'phone', value: '+886912345678', original: '0912-345-678', createdAt: 'x' }],
    legalHold: null, mergedInto: null, erasedAt: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  };

  test('has a BOM and a header; a formula is defused and read back as written; phones stay as they are', () => {
    const text = writeCustomerCsv([customer], defs);
    assert.ok(text.startsWith('\uFEFFid,name,company,language,time_zone,tags,phone,email,'));
    assert.ok(text.includes('"\'=HYPERLINK(""http://evil.example"")"'));
    assert.ok(text.includes(',+886912345678,'));
    const [row] = readCustomerCsv(text, defs);
    assert.equal(row!.name, customer.name);
    assert.equal(row!.company, '台北商行');
    assert.deepEqual(row!.identities, [{ kind: 'phone', value: '+886912345678', field: 'phone' }]);
    assert.deepEqual(row!.fields, { tier: 'gold' });
  });
});
