// The recorder on a manual pacing clock, into the real encrypted store: exact samples in, exact
// samples back, whatever the chunking.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualPacingTimer, PacingClock } from './pacing-clock.ts';
import { Recorder } from './recorder.ts';
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

describe('Recorder', () => {
  test('each 20 ms tick interleaves both channels into the chunk; chunks of 1 s reach the file intact, in order', async () => {
    const timer = new ManualPacingTimer();
    const clock = new PacingClock({ timer });
    const recorder = new Recorder(await store.create('t', 'exact'), clock);
    // 3.5 s fed in 20 ms frames, one frame ahead of the clock: the FIFOs never run dry.
    let fed = 0;
    const feedFrame = () => {
      const l = Int16Array.from({ length: 160 }, (_, i) => left(fed + i));
      const r = Int16Array.from({ length: 160 }, (_, i) => right(fed + i));
      recorder.feed('left', l);
      recorder.feed('right', r);
      fed += 160;
    };
    feedFrame();
    for (let f = 0; f < 175; f++) {
      feedFrame();
      timer.advance(20);
    }
    const result = await recorder.stop();
    const { l, r } = await stereoOf('exact');
    // The first advance runs frames 0 and 1 (due at 0 and 20 ms): 176 frames in all.
    assert.equal(result.durationMs, l.length / 8);
    assert.equal(l.length, 176 * 160);
    assert.ok(l.every((x, n) => x === left(n)), 'every left sample in place');
    assert.ok(r.every((x, n) => x === right(n)), 'every right sample in place');
    assert.equal(clock.taskCount, 0, 'off the clock once stopped');
  });

  test('pause writes silence on both channels and drops what arrives meanwhile; a short channel is padded with silence', async () => {
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
    // The first advance runs frames 0 and 1 (due at 0 and 20 ms) with one frame fed: frame 1
    // found the FIFO empty, frames 2–10 hold the caller again, frames 11–20 were paused.
    assert.deepEqual([at(l, 0), at(l, 10), at(r, 5)], [1000, 1000, 0], 'the right channel, never fed, is silent');
    assert.equal(at(l, 1), 0, 'a FIFO that ran dry gives silence');
    assert.ok(l.slice(11 * 160, 21 * 160).every((x) => x === 0) && r.slice(11 * 160, 21 * 160).every((x) => x === 0), 'silence while paused');
    assert.deepEqual([at(l, 25), at(r, 25)], [3000, -3000]);
  });
});
