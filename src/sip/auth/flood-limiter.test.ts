import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../kernel/index.ts';
import { FloodLimiter } from './flood-limiter.ts';

const count = (limiter: FloodLimiter, ip: string, n: number): number => {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (limiter.allow(ip)) allowed++;
  return allowed;
};

describe('flood limiter: per-source token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, ratePerSecond: 10, burst: 20 });
    assert.equal(count(limiter, '192.0.2.1', 50), 20);
    clock.advance(1000);
    assert.equal(count(limiter, '192.0.2.1', 50), 10);
    clock.advance(500);
    assert.equal(count(limiter, '192.0.2.1', 50), 5);
  });

  it('over ten seconds at 100 msg/s offered, lets through burst + rate × time', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, ratePerSecond: 20, burst: 5 });
    let allowed = 0;
    for (let ms = 0; ms < 10_000; ms += 10) {
      if (limiter.allow('198.51.100.7')) allowed++;
      clock.advance(10);
    }
    assert.ok(allowed >= 5 + 199 && allowed <= 5 + 200, `allowed ${allowed}`);
  });

  it('one source flooding does not affect another', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, ratePerSecond: 5 });
    assert.equal(count(limiter, '192.0.2.1', 100), 5);
    assert.equal(count(limiter, '192.0.2.2', 3), 3);
    assert.equal(limiter.allow('192.0.2.1'), false);
  });

  it('forgets idle sources and caps how many it tracks', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, ratePerSecond: 10, burst: 10, maxSources: 100 });
    for (let i = 0; i < 1000; i++) limiter.allow(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(limiter.size, 100);
    clock.advance(1000);
    limiter.allow('10.9.9.9');
    assert.equal(limiter.size, 1);
  });

  it('the least recently seen source is the one evicted at the cap', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, ratePerSecond: 1, burst: 1, maxSources: 2 });
    assert.equal(limiter.allow('a'), true);
    assert.equal(limiter.allow('b'), true);
    assert.equal(limiter.allow('a'), false);
    assert.equal(limiter.allow('c'), true);
    assert.equal(limiter.allow('a'), false, 'a was seen more recently than b, so it kept its empty bucket');
  });
});
