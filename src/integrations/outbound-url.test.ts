import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutboundUrl, isPrivateHost } from './outbound-url.ts';

describe('outbound URLs', () => {
  test('public http and https URLs pass', () => {
    for (const url of ['https://crm.example.com/hooks', 'http://93.184.216.34:8080/x?y=1', 'https://[2606:4700:4700::1111]/x', 'https://8.8.8.8/']) {
      assert.equal(checkOutboundUrl(url, false), undefined, url);
    }
  });

  test('loopback, private, link-local and unspecified addresses are refused unless allowed', () => {
    const refused = [
      'http://127.0.0.1/', 'http://127.1.2.3:9/', 'http://10.0.0.1/', 'http://172.16.5.4/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://100.64.0.1/',
      'http://localhost:8080/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://0x7f000001/', 'http://2130706433/',
    ];
    for (const url of refused) {
      assert.equal(checkOutboundUrl(url, false)?.kind, 'private', url);
      assert.equal(checkOutboundUrl(url, true), undefined, url);
    }
  });

  test('other schemes, credentials and relative URLs are invalid', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'https://user:pass@example.com/', 'https://user@example.com/', '/relative', 'not a url', `https://example.com/${'a'.repeat(2100)}`]) {
      assert.equal(checkOutboundUrl(url, true)?.kind, 'invalid', url);
    }
  });

  test('host names are left to the connection check', () => {
    assert.equal(isPrivateHost('crm.internal.example'), false);
    assert.equal(isPrivateHost('10.1.1.1'), true);
    assert.equal(isPrivateHost('93.184.216.34'), false);
  });
});
