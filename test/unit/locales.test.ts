// The three UI languages share one key set, and no translation is left empty or untranslated by mistake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '..', '..', 'web', 'src', 'locales');
type Tree = { [k: string]: string | Tree };
const areas = (lang: string) => readdirSync(resolve(dir, lang)).filter((f) => f.endsWith('.json')).sort();
/** A language's texts: its area files merged, each file owning its top-level keys. */
const load = (lang: string): Tree => {
  const merged: Tree = {};
  for (const file of areas(lang)) {
    const part = JSON.parse(readFileSync(resolve(dir, lang, file), 'utf8')) as Tree;
    for (const key of Object.keys(part)) assert.ok(!(key in merged), `${lang}/${file}: top-level key ${key} is already in another file`);
    Object.assign(merged, part);
  }
  return merged;
};

test('every language has the same area files', () => {
  assert.deepEqual(areas('zh-CN'), areas('en'));
  assert.deepEqual(areas('zh-TW'), areas('en'));
});

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const en = flatten(load('en'));
for (const lang of ['zh-CN', 'zh-TW']) {
  const other = flatten(load(lang));
  test(`${lang} has exactly the keys of en`, () => {
    assert.deepEqual([...other.keys()].sort(), [...en.keys()].sort());
  });
  test(`${lang} keeps every {{placeholder}} of en and has no empty string`, () => {
    for (const [key, text] of en) {
      const want = (text.match(/\{\{\w+\}\}/g) ?? []).sort();
      const value = other.get(key) ?? '';
      assert.notEqual(value.trim(), '', `${lang} ${key} is empty`);
      assert.deepEqual((value.match(/\{\{\w+\}\}/g) ?? []).sort(), want, `${lang} ${key}`);
    }
  });
  test(`${lang} translates the navigation and login texts (not copies of en)`, () => {
    for (const key of [...en.keys()].filter((k) => k.startsWith('nav.') || k.startsWith('login.'))) {
      assert.notEqual(other.get(key), en.get(key), `${lang} ${key}`);
    }
  });
}

test('zh-CN and zh-TW differ where the scripts differ', () => {
  const cn = flatten(load('zh-CN'));
  const tw = flatten(load('zh-TW'));
  assert.equal(cn.get('nav.users'), '用户');
  assert.equal(tw.get('nav.users'), '使用者');
  assert.notEqual(cn.get('login.title'), tw.get('login.title'));
});
