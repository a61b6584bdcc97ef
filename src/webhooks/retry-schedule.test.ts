import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY, nextRetry, retryDelayMs } from './retry-schedule.ts';

describe('retry schedule (exponential backoff, equal jitter)', () => {
  test('the wait doubles from 30 s and lies between half and all of it', () => {
    for (let n = 1; n <= 5; n++) {
      const ceiling = 30_000 * 2 ** (n - 1);
      assert.equal(retryDelayMs(n, DEFAULT_RETRY, 0), ceiling / 2);
      assert.equal(retryDelayMs(n, DEFAULT_RETRY, 0.5), ceiling * 0.75);
      assert.ok(retryDelayMs(n, DEFAULT_RETRY, 0.999999) <= ceiling);
      assert.ok(retryDelayMs(n, DEFAULT_RETRY, 0.999999) > ceiling * 0.99);
    }
  });

  test('the wait never passes the 6 h cap', () => {
    assert.equal(retryDelayMs(10, DEFAULT_RETRY, 0), 30_000 * 2 ** 9 / 2);
    assert.ok(retryDelayMs(11, DEFAULT_RETRY, 0.999999) <= 6 * 3600_000);
    assert.equal(retryDelayMs(11, DEFAULT_RETRY, 0), 3 * 3600_000);
    assert.ok(retryDelayMs(50, DEFAULT_RETRY, 0.999999) <= 6 * 3600_000);
    assert.equal(retryDelayMs(50, DEFAULT_RETRY, 0), 3 * 3600_000);
  });

  test('after the last attempt there is no retry', () => {
    assert.equal(nextRetry(DEFAULT_RETRY.maxAttempts - 1, DEFAULT_RETRY, 0), retryDelayMs(DEFAULT_RETRY.maxAttempts - 1, DEFAULT_RETRY, 0));
    assert.equal(nextRetry(DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY, 0), undefined);
    assert.equal(nextRetry(1, { baseMs: 1000, capMs: 8000, maxAttempts: 1 }, 0), undefined);
  });

  test('the default schedule spans 7 to 15 hours', () => {
    let low = 0;
    let high = 0;
    for (let n = 1; n < DEFAULT_RETRY.maxAttempts; n++) {
      low += nextRetry(n, DEFAULT_RETRY, 0)!;
      high += nextRetry(n, DEFAULT_RETRY, 0.999999)!;
    }
    assert.ok(low > 7 * 3600_000 && low < 8 * 3600_000, String(low));
    assert.ok(high > 14 * 3600_000 && high < 15 * 3600_000, String(high));
  });
});
