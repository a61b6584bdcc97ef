import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDtmfRelay } from './dtmf-relay.ts';

test('application/dtmf-relay: Signal names the key (10 and 11 are * and #); anything else is no key', () => {
  assert.equal(parseDtmfRelay('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), '5');
  assert.equal(parseDtmfRelay('application/dtmf-relay', 'signal = #\nduration=100'), '#');
  assert.equal(parseDtmfRelay('application/dtmf-relay', 'Signal=10\r\n'), '*');
  assert.equal(parseDtmfRelay('application/dtmf-relay', 'Signal=11\r\n'), '#');
  assert.equal(parseDtmfRelay('application/dtmf-relay', 'Signal=d\r\n'), 'D');
  for (const bad of ['', 'Duration=160', 'Signal=', 'Signal=12', 'Signal=X', 'Signal=55']) assert.equal(parseDtmfRelay('application/dtmf-relay', bad), undefined, bad);
});

test('application/dtmf: the body is the key', () => {
  assert.equal(parseDtmfRelay('application/dtmf', '7\r\n'), '7');
  assert.equal(parseDtmfRelay('application/dtmf', 'hello'), undefined);
});
