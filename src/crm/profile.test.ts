import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { nameKey, normalizeLanguage, normalizeTags, normalizeText, normalizeTimeZone } from './profile.ts';

const invalid = (fn: () => unknown, field: string) => assert.throws(fn, (e: unknown) => e instanceof DomainError && e.details?.['field'] === field);

test('languages are BCP 47 tags in canonical form', () => {
  assert.equal(normalizeLanguage('en'), 'en');
  assert.equal(normalizeLanguage('zh-cn'), 'zh-CN');
  assert.equal(normalizeLanguage('ZH-tw'), 'zh-TW');
  assert.equal(normalizeLanguage('zh-Hant-HK'), 'zh-Hant-HK');
  assert.equal(normalizeLanguage(''), null);
  invalid(() => normalizeLanguage('chinese simplified'), 'language');
  invalid(() => normalizeLanguage('zh_CN!'), 'language');
});

test('time zones are IANA names; offsets and unknown names are refused', () => {
  assert.equal(normalizeTimeZone('Asia/Shanghai'), 'Asia/Shanghai');
  assert.equal(normalizeTimeZone('america/new_york'), 'America/New_York');
  assert.equal(normalizeTimeZone('UTC'), 'UTC');
  invalid(() => normalizeTimeZone('+08:00'), 'timeZone');
  invalid(() => normalizeTimeZone('Mars/Olympus_Mons'), 'timeZone');
});

test('tags are a trimmed, sorted set', () => {
  assert.deepEqual(normalizeTags([' vip', 'wholesale', 'vip', '', '大客户']), ['vip', 'wholesale', '大客户']);
  invalid(() => normalizeTags(['x'.repeat(65)]), 'tags.0');
});

test('names are trimmed and NFC; empty is null; the name+company key ignores case and spacing', () => {
  assert.equal(normalizeText('  王小明 ', 'name'), '王小明');
  assert.equal(normalizeText('   ', 'name'), null);
  assert.equal(nameKey('Li  Wei', 'ACME Ltd'), nameKey('li wei', 'acme ltd'));
  assert.equal(nameKey('Li Wei', null), null);
});
