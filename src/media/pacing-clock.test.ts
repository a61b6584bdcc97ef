import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualPacingTimer, PacingClock } from './pacing-clock.ts';

test('an hour of frames with late wake-ups: exactly one frame per 20 ms, no drift', () => {
  const timer = new ManualPacingTimer();
  const clock = new PacingClock({ timer });
  const seen: number[] = [];
  clock.add({ tick: (f) => { seen.push(f); } });
  let r = 7;
  // Every wake-up comes 0–9 ms late (a pseudo-random, busy event loop).
  const jitter = () => { r = (r * 1103515245 + 12345) % 2147483648; return r % 10; };
  for (let i = 0; i < 3600; i++) timer.advance(1000, jitter);
  // Frames are due at 0, 20, …, 3 600 000 ms.
  assert.equal(seen.length, 3600 * 50 + 1);
  assert.ok(seen.every((f, i) => f === i), 'frames run in order, none skipped or repeated');
  assert.equal(clock.stats.skippedFrames, 0);
});

test('a stall longer than the catch-up limit skips frames instead of bursting them', () => {
  const timer = new ManualPacingTimer();
  const clock = new PacingClock({ timer, maxCatchUpFrames: 5 });
  let ticks = 0;
  clock.add({ tick: () => { ticks++; } });
  timer.advance(100);
  const before = ticks;
  // The event loop is blocked for a second: one wake-up finds 50 frames due.
  timer.advance(1000, () => 1000);
  assert.ok(ticks - before <= 6, `ran ${ticks - before} frames at once`);
  assert.ok(clock.stats.skippedFrames >= 40);
  timer.advance(1000);
  assert.ok(ticks - before >= 50, 'back on schedule afterwards');
});

test('tasks run in the order added; a removed task stops; the clock sleeps with no tasks and a throwing task does not stop the others', () => {
  const timer = new ManualPacingTimer();
  const errors: unknown[] = [];
  const clock = new PacingClock({ timer, onError: (e) => errors.push(e) });
  const order: string[] = [];
  const offA = clock.add({ tick: () => { order.push('a'); } });
  clock.add({ tick: () => { throw new Error('boom'); } });
  const offC = clock.add({ tick: () => { order.push('c'); } });
  timer.advance(40);
  assert.deepEqual(order.slice(0, 4), ['a', 'c', 'a', 'c']);
  assert.ok(errors.length >= 2);
  offA();
  order.length = 0;
  timer.advance(20);
  assert.deepEqual(order, ['c']);
  offC();
  assert.equal(clock.taskCount, 1);
});
