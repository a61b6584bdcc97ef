// The recorder on a manual pacing clock, into the real encrypted store: exact samples in, exact
// samples back, whatever the chunking.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualPacingTimer, PacingClock } from './pacing-clock.ts';
import { PLAYOUT_MS, Recorder } from './recorder.ts';
import { DerivedRecordingKeys } from './recording-keys.ts';
import { LocalRecordingStore } from './recording-store.local.ts';
import { parseWav } from './wav.ts';

const scratch = await mkdtemp(join(tmpdir(), 'sb-recorder-'));
after(() => rm(scratch, { recursive: true, force: true }));
const store = new LocalRecordingStore({ root: scratch, keys: new DerivedRecordingKeys(randomBytes(32)) });

/** Sample n of a channel's test signal: distinct per channel and per position, so any misplacement shows. */
const left = (n: number) => ((n * 7) % 30000) - 15000;
const right = (n: number) => -(((n * 13) % 30000) - 15000) - 1;

async function stereoOf(id: string): Promise<{ l: number[]; r: number[] }> {
  const read = await store.read('t', id);
  assert.ok(read.ok && read.complete);
  const wav = parseWav(read.bytes);
  assert.ok(wav.ok && wav.wav.channels === 2 && wav.wav.sampleRate === 8000 && wav.wav.format === 'pcm16');
  const data = new DataView(wav.wav.data.buffer, wav.wav.data.byteOffset, wav.wav.data.byteLength);
  const l: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < data.byteLength / 4; i++) { l.push(data.getInt16(4 * i, true)); r.push(data.getInt16(4 * i + 2, true)); }
  return { l, r };
}

/** A recorder fed on a manual clock: `frames(n)` feeds one 20 ms frame per channel and advances the clock 20 ms, n times. */
async function fedRecorder(id: string) {
  const timer = new ManualPacingTimer();
  const clock = new PacingClock({ timer });
  const recorder = new Recorder(await store.create('t', id), clock);
  let fed = 0;
  const feedFrame = () => {
    recorder.feed('left', Int16Array.from({ length: 160 }, (_, i) => left(fed + i)));
    recorder.feed('right', Int16Array.from({ length: 160 }, (_, i) => right(fed + i)));
    fed += 160;
  };
  return {
    timer, clock, recorder, feedFrame,
    get fed() { return fed; },
    frames(n: number) { for (let f = 0; f < n; f++) { feedFrame(); timer.advance(20); } },
  };
}

/** Samples held back before a channel gives anything. */
const HELD = (PLAYOUT_MS * 8000) / 1000;

describe('Recorder', () => {
  test('each 20 ms tick interleaves both channels into the chunk; chunks of 1 s reach the file intact, in order, after 100 ms held back, the rest drained on stop', async () => {
    const rec = await fedRecorder('exact');
    // 3.5 s fed in 20 ms frames, one frame ahead of the clock.
    rec.feedFrame();
    rec.frames(175);
    const result = await rec.recorder.stop();
    const { l, r } = await stereoOf('exact');
    // The FIFOs give silence until they hold 100 ms; one frame was fed ahead, so the file begins
    // with 100 ms less that frame of silence.
    const lead = HELD - 160;
    assert.equal(result.durationMs, l.length / 8);
    assert.equal(l.length, lead + rec.fed, 'every sample fed is in the file: what was held back at stop was drained');
    assert.ok(l.slice(0, lead).every((x) => x === 0) && r.slice(0, lead).every((x) => x === 0), 'silence while the first 100 ms comes in');
    assert.ok(l.slice(lead).every((x, n) => x === left(n)), 'every left sample in place');
    assert.ok(r.slice(lead).every((x, n) => x === right(n)), 'every right sample in place');
    assert.equal(rec.clock.taskCount, 0, 'off the clock once stopped');
  });

  test('packets arriving late and the clock running missed frames back to back (a stalled event loop) leave no gap', async () => {
    const rec = await fedRecorder('late');
    rec.frames(20);
    // 80 ms without a packet: the clock runs the 4 missed frames at once; then the 4 late frames arrive together.
    rec.timer.advance(80);
    for (let k = 0; k < 4; k++) rec.feedFrame();
    rec.frames(20);
    // Two frames in one burst, then none for a tick (jitter).
    for (let k = 0; k < 10; k++) { rec.feedFrame(); rec.feedFrame(); rec.timer.advance(20); rec.timer.advance(20); }
    await rec.recorder.stop();
    const { l, r } = await stereoOf('late');
    const lead = l.findIndex((x) => x !== 0);
    assert.ok(lead > 0 && lead <= HELD, `held back ${lead} samples`);
    assert.equal(l.length - lead, rec.fed);
    assert.ok(l.slice(lead).every((x, n) => x === left(n)), 'the left channel holds every sample, in order, with no silence inserted');
    assert.ok(r.slice(lead).every((x, n) => x === right(n)), 'and so does the right');
  });

  test('pause writes silence on both channels and drops what arrives meanwhile, even what was held back at resume; a short channel is padded with silence', async () => {
    const timer = new ManualPacingTimer();
    const clock = new PacingClock({ timer });
    const recorder = new Recorder(await store.create('t', 'paused'), clock);
    const frame = (v: number) => new Int16Array(160).fill(v);
    for (let f = 0; f < 10; f++) { recorder.feed('left', frame(1000)); timer.advance(20); }
    recorder.pause();
    for (let f = 0; f < 10; f++) { recorder.feed('left', frame(2222)); recorder.feed('right', frame(2222)); timer.advance(20); }
    recorder.resume();
    for (let f = 0; f < 10; f++) { recorder.feed('left', frame(3000)); recorder.feed('right', frame(-3000)); timer.advance(20); }
    const result = await recorder.stop();
    const { l, r } = await stereoOf('paused');
    assert.ok(!l.includes(2222) && !r.includes(2222), 'nothing said while paused reaches the file');
    assert.equal(result.pausedMs, 200);
    const at = (xs: number[], frame: number) => xs[frame * 160 + 80];
    // The first advance runs frames 0 and 1 (due at 0 and 20 ms). The left channel gives its first
    // frame once it holds 100 ms (after the fifth frame fed: frame 5); frames 11–20 were paused;
    // after the resume it is held back again (frames 21–24), and its last 100 ms drained on stop.
    assert.deepEqual([at(l, 1), at(l, 4), at(l, 5), at(l, 10), at(r, 5)], [0, 0, 1000, 1000, 0], 'held back, then the caller; the right channel, never fed, is silent');
    assert.ok(l.slice(11 * 160, 25 * 160).every((x) => x === 0) && r.slice(11 * 160, 25 * 160).every((x) => x === 0), 'silence while paused, and while the resumed audio comes in');
    assert.deepEqual([at(l, 25), at(r, 25), at(l, 34), at(r, 34)], [3000, -3000, 3000, -3000]);
    assert.equal(l.length, 35 * 160);
  });
});
