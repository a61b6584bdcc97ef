import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { normalizeIdentity, phoneDigitsOf, tryNormalizeIdentity } from './identity.ts';

const phone = (value: string, defaultRegion?: string) => normalizeIdentity({ kind: 'phone', value }, { defaultRegion });
const rejects = (fn: () => unknown, code: string) => assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === code && e.status === 400);

describe('phone numbers are stored as E.164 (ITU-T E.164), the original kept', () => {
  const valid: [string, string | undefined, string][] = [
    // Chinese mobile and landline numbers
    ['+86 138 0013 8000', undefined, '+8613800138000'],
    ['+86-138-0013-8000', undefined, '+8613800138000'],
    ['+8613800138000', undefined, '+8613800138000'],
    ['008613800138000', undefined, '+8613800138000'],
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['0086 138 0013 8000', 'CN', '+8613800138000'],
    ['010 6552 9988', 'CN', '+861065529988'],
    ['(010) 6552-9988', 'CN', '+861065529988'],
    ['+86 10 6552 9988', undefined, '+861065529988'],
    ['021-6427-8888', 'CN', '+862164278888'],
    ['0755 8888 8888', 'CN', '+8675588888888'],
    // Hong Kong
    ['+852 9123 4567', undefined, '+85291234567'],
    ['2123 4567', 'HK', '+85221234567'],
    // Taiwan
    ['+886 912 345 678', undefined, '+886912345678'],
    ['0912-345-678', 'TW', '+886912345678'],
    ['(02) 2345-6789', 'TW', '+886223456789'],
    // United States
    ['(415) 555-0100', 'US', '+14155550100'],
    ['415.555.0100', 'US', '+14155550100'],
    ['+1 (212) 555-0123', undefined, '+12125550123'],
    ['1-415-555-0100', 'US', '+14155550100'],
    // an international number is not bent by the region
    ['+86 138 0013 8000', 'US', '+8613800138000'],
    // SIP and tel URIs (RFC 3261 §19.1, RFC 3966), as caller ids arrive
    ['sip:+8613800138000@carrier.example.net', undefined, '+8613800138000'],
    ['<sip:+14155550100@10.0.0.1:5060;transport=udp>', undefined, '+14155550100'],
    ['sips:+85291234567@sbc.example.hk;user=phone', undefined, '+85291234567'],
    ['sip:%2B886912345678@example.tw', undefined, '+886912345678'],
    ['tel:+1-415-555-0100;ext=12', undefined, '+14155550100'],
    ['sip:13800138000@pbx.example.cn', 'CN', '+8613800138000'],
  ];
  for (const [raw, region, e164] of valid) {
    test(`${raw}${region ? ` (region ${region})` : ''} -> ${e164}`, () => {
      const n = phone(raw, region);
      assert.equal(n.value, e164);
      assert.equal(n.original, raw);
      assert.equal(n.kind, 'phone');
      assert.equal(n.matchKey, e164.replace(/\D/g, '').slice(-8));
    });
  }

  const invalid: [string, string | undefined][] = [
    ['+86 123', undefined], // too short for China
    ['+86 1380013800', undefined], // one digit short of a mobile
    ['+1 000 000 0000', undefined], // no US area code 000
    ['+1 415 555 01000', undefined], // too long
    ['abc', undefined],
    ['', undefined],
    ['+', undefined],
    ['sip:alice@example.com', undefined],
    ['138 0013 8000', 'US'], // a Chinese national number is not a US number
  ];
  for (const [raw, region] of invalid) {
    test(`${JSON.stringify(raw)}${region ? ` (region ${region})` : ''} is rejected with a message naming the field`, () => {
      assert.throws(() => phone(raw, region), (e: unknown) => {
        assert.ok(e instanceof DomainError);
        assert.equal(e.code, 'SB_CRM_PHONE_INVALID');
        assert.equal(e.details?.['field'], 'value');
        assert.match(e.message, /^value /);
        return true;
      });
    });
  }

  test('a national number without a default region is rejected and the message says how to fix it', () => {
    assert.throws(() => phone('(415) 555-0100'), /country code .* default region/);
    assert.throws(() => phone('010 6552 9988'), /default region/);
  });

  test('errors never echo the number', () => {
    try { phone('+86 1380013800'); assert.fail('accepted'); } catch (e) { assert.ok(!(e as Error).message.includes('1380013800')); }
  });

  test('an unknown default region is a validation error', () => {
    rejects(() => phone('138 0013 8000', 'XX'), 'SB_VALIDATION');
  });

  test('phoneDigitsOf strips URI scheme, host and parameters', () => {
    assert.equal(phoneDigitsOf('sip:+8613800138000@carrier;user=phone'), '+8613800138000');
    assert.equal(phoneDigitsOf(' tel:+14155550100;phone-context=example.com '), '+14155550100');
    assert.equal(phoneDigitsOf('+86 138 0013 8000'), '+86 138 0013 8000');
  });
});

describe('e-mail addresses', () => {
  test('are lower-cased and trimmed; mailto: is dropped; an IDN domain is kept in ASCII', () => {
    assert.equal(normalizeIdentity({ kind: 'email', value: '  Li.Wei@Example.COM ' }).value, 'li.wei@example.com');
    assert.equal(normalizeIdentity({ kind: 'email', value: 'mailto:Ops@Example.org' }).value, 'ops@example.org');
    assert.equal(normalizeIdentity({ kind: 'email', value: 'info@例子.中国' }).value, 'info@xn--fsqu00a.xn--fiqs8s');
  });

  test('the duplicate key drops a sub-address (RFC 5233)', () => {
    const n = normalizeIdentity({ kind: 'email', value: 'Wei+Orders@Example.com' });
    assert.equal(n.value, 'wei+orders@example.com');
    assert.equal(n.matchKey, 'wei@example.com');
  });

  for (const bad of ['no-at-sign', 'a@b', '@example.com', 'a b@example.com', 'a@-example.com', 'a@exa_mple.com', `${'x'.repeat(243)}@example.com`, 'wei@例子']) {
    test(`${JSON.stringify(bad.slice(0, 40))} is rejected`, () => rejects(() => normalizeIdentity({ kind: 'email', value: bad }), 'SB_CRM_EMAIL_INVALID'));
  }
});

describe('channel ids are opaque', () => {
  test('kept as given (trimmed), case and all', () => {
    const n = normalizeIdentity({ kind: 'wechat_openid', value: ' oUpF8uMuAJO_M2pxb1Q9zNjWeS6o ' });
    assert.equal(n.value, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
    assert.equal(n.matchKey, null);
    for (const kind of ['wechat_unionid', 'whatsapp', 'telegram', 'webchat'] as const) assert.equal(normalizeIdentity({ kind, value: 'Ab1' }).value, 'Ab1');
  });

  test('empty ids, control characters and unknown kinds are rejected', () => {
    rejects(() => normalizeIdentity({ kind: 'telegram', value: '   ' }), 'SB_VALIDATION');
    rejects(() => normalizeIdentity({ kind: 'webchat', value: 'a\u0000b' }), 'SB_VALIDATION');
    rejects(() => normalizeIdentity({ kind: 'fax' as 'phone', value: '1' }), 'SB_VALIDATION');
  });
});

test('tryNormalizeIdentity answers undefined for what cannot be an identity (a withheld caller id)', () => {
  assert.equal(tryNormalizeIdentity({ kind: 'phone', value: 'anonymous' }), undefined);
  assert.equal(tryNormalizeIdentity({ kind: 'phone', value: 'sip:anonymous@anonymous.invalid' }), undefined);
  assert.equal(tryNormalizeIdentity({ kind: 'phone', value: '+8613800138000' })?.value, '+8613800138000');
});
