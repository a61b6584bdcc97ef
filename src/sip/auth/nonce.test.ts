import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../kernel/index.ts';
import { NonceService } from './nonce.ts';

const SECRET = 'a server secret of enough length';
const make = (clock = new ManualClock(), maxTracked?: number) =>
  ({ clock, nonces: new NonceService({ clock, secret: SECRET, ttlMs: 30_000, ...(maxTracked === undefined ? {} : { maxTracked }) }) });

describe('RFC 7616 §3.3: server nonces', () => {
  it('are unique token strings that validate without per-nonce memory', () => {
    const { nonces } = make();
    const a = nonces.issue();
    const b = nonces.issue();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{48}$/);
    assert.equal(nonces.check(a), 'valid');
    assert.equal(nonces.trackedCount, 0);
  });

  it('validate on another instance sharing the secret, not on one with another secret', () => {
    const clock = new ManualClock();
    const a = new NonceService({ clock, secret: SECRET, ttlMs: 30_000 });
    const b = new NonceService({ clock, secret: SECRET, ttlMs: 30_000 });
    const other = new NonceService({ clock, secret: 'another secret of enough length', ttlMs: 30_000 });
    const n = a.issue();
    assert.equal(b.check(n), 'valid');
    assert.equal(other.check(n), 'invalid');
  });

  it('become stale after their lifetime (stale=true, not invalid)', () => {
    const { clock, nonces } = make();
    const n = nonces.issue();
    clock.advance(30_000);
    assert.equal(nonces.check(n), 'valid');
    clock.advance(1);
    assert.equal(nonces.check(n), 'stale');
    assert.equal(nonces.use(n, 1), 'stale');
  });

  it('a tampered nonce is invalid (any changed character, truncation, garbage)', () => {
    const { nonces } = make();
    const n = nonces.issue();
    for (let i = 0; i < n.length; i += 7) {
      const c = n[i] === 'A' ? 'B' : 'A';
      assert.equal(nonces.check(n.slice(0, i) + c + n.slice(i + 1)), 'invalid', `position ${i}`);
    }
    assert.equal(nonces.check(n.slice(1)), 'invalid');
    assert.equal(nonces.check(''), 'invalid');
    assert.equal(nonces.check('x'.repeat(48)), 'invalid');
    assert.equal(nonces.use(n.slice(0, -1) + (n.endsWith('A') ? 'B' : 'A'), 1), 'invalid');
  });

  it('a nonce dated in the future is invalid', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 10));
    const { nonces } = make(clock);
    const n = nonces.issue();
    const earlier = new NonceService({ clock: new ManualClock(Date.UTC(2026, 0, 1)), secret: SECRET, ttlMs: 30_000 });
    assert.equal(earlier.check(n), 'invalid');
  });
});

describe('RFC 7616 §3.4 / §5.4: nonce-count replay protection', () => {
  it('nc must strictly increase on one nonce; a replayed or lower nc is refused', () => {
    const { nonces } = make();
    const n = nonces.issue();
    assert.equal(nonces.use(n, 1), 'accepted');
    assert.equal(nonces.use(n, 1), 'replay');
    assert.equal(nonces.use(n, 3), 'accepted');
    assert.equal(nonces.use(n, 2), 'replay');
    assert.equal(nonces.use(n, 4), 'accepted');
    assert.equal(nonces.use(n, 0), 'replay');
  });

  it('a nonce used without nc (RFC 2069 form) is good once', () => {
    const { nonces } = make();
    const n = nonces.issue();
    assert.equal(nonces.use(n, undefined), 'accepted');
    assert.equal(nonces.use(n, undefined), 'replay');
  });

  it('memory is dropped once nonces expire', () => {
    const { clock, nonces } = make();
    for (let i = 0; i < 10; i++) nonces.use(nonces.issue(), 1);
    assert.equal(nonces.trackedCount, 10);
    clock.advance(30_001);
    nonces.use(nonces.issue(), 1);
    assert.equal(nonces.trackedCount, 1);
  });

  it('memory is capped; a nonce forced out of memory is answered stale, never accepted again', () => {
    const { clock, nonces } = make(new ManualClock(), 3);
    const first = nonces.issue();
    assert.equal(nonces.use(first, 1), 'accepted');
    for (let i = 0; i < 3; i++) {
      clock.advance(1);
      assert.equal(nonces.use(nonces.issue(), 1), 'accepted');
    }
    assert.equal(nonces.trackedCount, 3);
    assert.equal(nonces.use(first, 1), 'stale');
    assert.equal(nonces.use(first, 2), 'stale');
    clock.advance(1);
    assert.equal(nonces.use(nonces.issue(), 1), 'accepted');
  });

  it('refuses a short secret', () => {
    assert.throws(() => new NonceService({ clock: new ManualClock(), secret: 'short', ttlMs: 1 }), RangeError);
  });
});
