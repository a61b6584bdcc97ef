import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { applyFieldChanges, checkDefinitions, parseCell } from './custom-fields.ts';

const field = (e: unknown) => (e instanceof DomainError && e.code === 'SB_VALIDATION' ? e.details?.['field'] : undefined);
const fails = (fn: () => unknown, expectedField: string) => assert.throws(fn, (e: unknown) => {
  assert.equal(field(e), expectedField);
  return true;
});

const defs = checkDefinitions([
  { key: 'account_no', label: 'Account number', type: 'text', required: true },
  { key: 'lifetime_value', label: 'Lifetime value', type: 'number' },
  { key: 'birthday', label: 'Birthday', type: 'date' },
  { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
]);

describe('custom field definitions', () => {
  test('are normalized: select options kept, required defaults to false', () => {
    assert.deepEqual(defs[3], { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'], required: false });
    assert.equal(defs[0]!.required, true);
  });

  test('keys must be well-formed, unique and not a built-in attribute', () => {
    fails(() => checkDefinitions([{ key: 'Bad Key', label: 'x', type: 'text' }]), 'items.0.key');
    fails(() => checkDefinitions([{ key: 'a', label: 'x', type: 'text' }, { key: 'a', label: 'y', type: 'text' }]), 'items.1.key');
    for (const key of ['name', 'phone', 'phones', 'email2', 'e_mail', 'time_zone', 'tags', 'wechat_openid', 'id', 'created_at']) fails(() => checkDefinitions([{ key, label: 'x', type: 'text' }]), 'items.0.key');
  });

  test('a select field needs distinct options; other types take none', () => {
    fails(() => checkDefinitions([{ key: 's', label: 'x', type: 'select' }]), 'items.0.options');
    fails(() => checkDefinitions([{ key: 's', label: 'x', type: 'select', options: ['a', 'a'] }]), 'items.0.options');
    fails(() => checkDefinitions([{ key: 't', label: 'x', type: 'text', options: ['a'] }]), 'items.0.options');
    fails(() => checkDefinitions([{ key: 't', label: 'x', type: 'colour' as 'text' }]), 'items.0.type');
  });
});

describe('custom field values are checked by type', () => {
  const base = { account_no: 'A-1' };
  test('values of the right type are stored; null clears an optional value', () => {
    const v = applyFieldChanges(defs, base, { lifetime_value: 1250.5, birthday: '1990-02-28', tier: 'gold' }, false);
    assert.deepEqual(v, { account_no: 'A-1', lifetime_value: 1250.5, birthday: '1990-02-28', tier: 'gold' });
    assert.deepEqual(applyFieldChanges(defs, v, { tier: null, birthday: null }, false), { account_no: 'A-1', lifetime_value: 1250.5 });
  });

  test('a value of the wrong type names the field', () => {
    fails(() => applyFieldChanges(defs, base, { lifetime_value: '12' }, false), 'fields.lifetime_value');
    fails(() => applyFieldChanges(defs, base, { lifetime_value: Number.NaN }, false), 'fields.lifetime_value');
    fails(() => applyFieldChanges(defs, base, { birthday: '1990-02-30' }, false), 'fields.birthday');
    fails(() => applyFieldChanges(defs, base, { birthday: '28/02/1990' }, false), 'fields.birthday');
    fails(() => applyFieldChanges(defs, base, { tier: 'bronze' }, false), 'fields.tier');
    fails(() => applyFieldChanges(defs, base, { account_no: 7 }, false), 'fields.account_no');
    fails(() => applyFieldChanges(defs, base, { shoe_size: 'x' }, false), 'fields.shoe_size');
  });

  test('a required field must be there on create and may not be cleared later', () => {
    fails(() => applyFieldChanges(defs, {}, { tier: 'gold' }, true), 'fields.account_no');
    fails(() => applyFieldChanges(defs, base, { account_no: null }, false), 'fields.account_no');
    fails(() => applyFieldChanges(defs, base, { account_no: '' }, false), 'fields.account_no');
    assert.deepEqual(applyFieldChanges(defs, {}, { account_no: 'B-2' }, true), { account_no: 'B-2' });
  });

  test('CSV cells are read by type', () => {
    assert.equal(parseCell(defs[1]!, '-12.75', 'lifetime_value'), -12.75);
    fails(() => parseCell(defs[1]!, '12 yuan', 'lifetime_value'), 'lifetime_value');
    assert.equal(parseCell(defs[2]!, '2024-02-29', 'birthday'), '2024-02-29');
    fails(() => parseCell(defs[2]!, '2023-02-29', 'birthday'), 'birthday');
  });
});
