import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readLookupAnswer } from './lookup-answer.ts';

const answer = (status: number, body: string) => ({ kind: 'response' as const, status, contentType: 'application/json', body: Buffer.from(body) });

describe('reading a lookup answer', () => {
  test('2xx JSON is found', () => {
    const r = readLookupAnswer(answer(200, '{"name":"Ada","tier":"gold"}'), 2000);
    assert.deepEqual(r.result, { ok: true, data: { name: 'Ada', tier: 'gold' }, cached: false });
    assert.equal(r.json, '{"name":"Ada","tier":"gold"}');
    assert.deepEqual(readLookupAnswer(answer(200, '[{"id":1}]'), 2000).result, { ok: true, data: [{ id: 1 }], cached: false });
  });

  test('404, 410, 204, null and an empty list are not found', () => {
    for (const [status, body] of [[404, ''], [410, ''], [204, ''], [200, 'null'], [200, '[]']] as const) {
      assert.deepEqual(readLookupAnswer(answer(status, body), 2000).result, { ok: false, reason: 'not-found' }, `${status} ${body}`);
    }
  });

  test('other statuses, a body that is not JSON, timeouts and network errors', () => {
    assert.deepEqual(readLookupAnswer(answer(500, '{}'), 2000), { result: { ok: false, reason: 'error' }, detail: 'answered 500' });
    assert.deepEqual(readLookupAnswer(answer(302, ''), 2000).result, { ok: false, reason: 'error' });
    assert.equal(readLookupAnswer(answer(200, '<html>'), 2000).result.ok, false);
    assert.deepEqual(readLookupAnswer({ kind: 'timeout' }, 1500), { result: { ok: false, reason: 'timeout' }, detail: 'no answer within 1500 ms' });
    assert.deepEqual(readLookupAnswer({ kind: 'error', message: 'ECONNREFUSED' }, 2000), { result: { ok: false, reason: 'error' }, detail: 'ECONNREFUSED' });
  });
});
