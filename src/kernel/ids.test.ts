import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId, randomToken } from './ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The Unix milliseconds in a version 7 UUID's first 48 bits (RFC 9562 §5.7). */
const millisOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

test('row ids are version 7 UUIDs carrying the time they were made', () => {
  const before = Date.now();
  const ids = Array.from({ length: 1000 }, newId);
  const after = Date.now();
  for (const id of ids) {
    assert.match(id, UUID_V7);
    assert.ok(millisOf(id) >= before && millisOf(id) <= after, `${id} was made between ${before} and ${after}`);
  }
  assert.equal(new Set(ids).size, ids.length, 'no repeats');
});

test('an id made in a later millisecond sorts after every earlier one, as text too', async () => {
  const earlier = Array.from({ length: 100 }, newId);
  await sleep(2);
  const later = newId();
  for (const id of earlier) assert.ok(id < later, `${id} < ${later}`);
});

test('tokens are URL-safe and as long as their entropy asks', () => {
  const t = randomToken(32);
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(randomToken(32), t);
});
