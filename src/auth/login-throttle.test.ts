import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../kernel/index.ts';
import { LoginThrottle } from './login-throttle.ts';

const make = (clock: ManualClock) => new LoginThrottle({ clock, maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMs: 60_000, lockoutMs: 120_000 });

test('failures outside the window do not add up', () => {
  const clock = new ManualClock();
  const t = make(clock);
  t.recordFailure('acct', 'ip1');
  t.recordFailure('acct', 'ip2');
  clock.advance(61_000);
  t.recordFailure('acct', 'ip3');
  assert.equal(t.retryAfterSeconds('acct', 'ip4'), 0);
});

test('the limit locks the account for the lockout time, then lets it try again', () => {
  const clock = new ManualClock();
  const t = make(clock);
  for (let i = 0; i < 3; i++) t.recordFailure('acct', `ip${i}`);
  assert.equal(t.retryAfterSeconds('acct', 'elsewhere'), 120);
  clock.advance(60_000);
  assert.equal(t.retryAfterSeconds('acct', 'elsewhere'), 60);
  clock.advance(60_000);
  assert.equal(t.retryAfterSeconds('acct', 'elsewhere'), 0);
});

test('a success clears the account\'s failures but not the address\'s', () => {
  const clock = new ManualClock();
  const t = make(clock);
  for (let i = 0; i < 2; i++) t.recordFailure('acct', 'ip');
  t.recordSuccess('acct');
  t.recordFailure('acct', 'ip');
  assert.equal(t.retryAfterSeconds('acct', 'other'), 0);
  t.recordFailure('b', 'ip');
  t.recordFailure('c', 'ip');
  assert.equal(t.retryAfterSeconds('d', 'ip'), 120, 'five failures from one address lock the address');
});

test('memory stays bounded', () => {
  const clock = new ManualClock();
  const t = new LoginThrottle({ clock, maxFailuresPerAccount: 3, maxFailuresPerIp: 5, windowMs: 60_000, lockoutMs: 1000, maxKeys: 100 });
  for (let i = 0; i < 1000; i++) t.recordFailure(`a${i}`, `ip${i}`);
  assert.equal(t.retryAfterSeconds('a0', 'ip0'), 0, 'the oldest keys were forgotten');
});
