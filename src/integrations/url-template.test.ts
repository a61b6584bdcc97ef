import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUrlTemplate, renderLookupUrl } from './url-template.ts';

describe('lookup URL template', () => {
  test('placeholders are replaced, percent-encoded (RFC 3986 §2.1)', () => {
    assert.equal(renderLookupUrl('https://crm.example.com/api/customers?phone={{phone}}', { phone: '+8613800138000' }), 'https://crm.example.com/api/customers?phone=%2B8613800138000');
    assert.equal(renderLookupUrl('https://crm.example.com/c/{{ email }}/x', { email: 'a/b?c=d&e@example.com' }), 'https://crm.example.com/c/a%2Fb%3Fc%3Dd%26e%40example.com/x');
    assert.equal(renderLookupUrl('https://crm.example.com/?p={{phone}}&e={{email}}', { phone: '1' }), 'https://crm.example.com/?p=1&e=');
  });

  test('a good template passes', () => {
    assert.equal(checkUrlTemplate('https://crm.example.com/api/customers?phone={{phone}}&email={{email}}', false), undefined);
    assert.equal(checkUrlTemplate('https://crm.example.com/api/customers/{{phone}}', false), undefined);
  });

  test('placeholders in the host, unknown placeholders and private hosts are refused', () => {
    assert.equal(checkUrlTemplate('https://{{phone}}.example.com/', false)?.kind, 'invalid');
    assert.equal(checkUrlTemplate('https://crm{{phone}}/x', false)?.kind, 'invalid');
    assert.equal(checkUrlTemplate('{{phone}}', false)?.kind, 'invalid');
    assert.match(checkUrlTemplate('https://crm.example.com/?q={{name}}', false)?.message ?? '', /\{\{name\}\}/);
    assert.equal(checkUrlTemplate('http://127.0.0.1:8080/?p={{phone}}', false)?.kind, 'private');
    assert.equal(checkUrlTemplate('http://127.0.0.1:8080/?p={{phone}}', true), undefined);
  });
});
