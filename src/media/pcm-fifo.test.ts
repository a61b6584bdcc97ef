import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ulawDecode, ulawToPcm } from './g711.ts';
import { PcmFifo } from './pcm-fifo.ts';

/**
 * The FIFO's meaning, spelt out with a plain array: oldest samples go past the bound; with a
 * playout depth, nothing comes out until that many are in, and again after a pull ran short.
 */
class ModelFifo {
  readonly max: number;
  readonly playout: number;
  filling: boolean;
  items: number[] = [];
  dropped = 0;
  underruns = 0;
  constructor(max: number, playout = 0) { this.max = max; this.playout = Math.min(playout, max); this.filling = this.playout > 0; }
  push(xs: readonly number[]): void {
    this.items.push(...xs);
    const over = this.items.length - this.max;
    if (over > 0) { this.items.splice(0, over); this.dropped += over; }
    if (this.items.length >= this.playout) this.filling = false;
  }
  pull(count: number): { real: number; out: number[] } {
    if (this.filling) return { real: 0, out: Array(count).fill(0) };
    const taken = this.items.splice(0, count);
    if (taken.length < count) { this.underruns++; if (this.playout > 0) this.filling = true; }
    return { real: taken.length, out: [...taken, ...Array(count - taken.length).fill(0)] };
  }
  discard(count: number): number { return this.items.splice(0, count).length; }
}

const samples = (n: number, from: number) => Int16Array.from({ length: n }, (_, i) => (from + i) % 30000);

describe('PcmFifo', () => {
  test('samples come out in order across the ring\'s wrap, and a short pull is padded with silence', () => {
    const fifo = new PcmFifo(8);
    fifo.push(samples(6, 1));
    const out = new Int16Array(4);
    assert.equal(fifo.pull(out), 4);
    assert.deepEqual([...out], [1, 2, 3, 4]);
    fifo.push(samples(5, 7));
    assert.equal(fifo.size, 7);
    const all = new Int16Array(9);
    assert.equal(fifo.pull(all), 7);
    assert.deepEqual([...all], [5, 6, 7, 8, 9, 10, 11, 0, 0]);
    assert.equal(fifo.underruns, 1);
  });

  test('past the bound the oldest samples are dropped and counted; a push larger than the FIFO keeps its newest samples', () => {
    const fifo = new PcmFifo(5);
    fifo.push(samples(4, 1));
    fifo.push(samples(3, 5));
    assert.equal(fifo.dropped, 2);
    const out = new Int16Array(5);
    fifo.pull(out);
    assert.deepEqual([...out], [3, 4, 5, 6, 7]);
    fifo.push(samples(2, 100));
    fifo.push(samples(12, 200));
    assert.equal(fifo.dropped, 2 + 2 + 7);
    fifo.pull(out);
    assert.deepEqual([...out], [207, 208, 209, 210, 211]);
  });

  test('pullInto interleaves two FIFOs into one stereo buffer (left at even, right at odd indices)', () => {
    const left = new PcmFifo();
    const right = new PcmFifo();
    left.push(Int16Array.from([1, 2, 3]));
    right.push(Int16Array.from([-1, -2]));
    const stereo = new Int16Array(8).fill(99);
    assert.equal(left.pullInto(stereo, 2, 2, 3), 3);
    assert.equal(right.pullInto(stereo, 3, 2, 3), 2);
    assert.deepEqual([...stereo], [99, 99, 1, -1, 2, -2, 3, 0]);
  });

  test('pushWith decodes a G.711 payload where it lies in the packet straight into the ring, across the wrap', () => {
    const fifo = new PcmFifo(8);
    fifo.push(samples(5, 1));
    fifo.discard(5);
    const packet = Uint8Array.from([0x80, 0, 1, 2, 0x00, 0x10, 0x7f, 0x80, 0xff, 0x55]);
    fifo.pushWith(ulawToPcm, packet, 4, 6);
    const out = new Int16Array(6);
    assert.equal(fifo.pull(out), 6);
    assert.deepEqual([...out], [...packet.subarray(4)].map(ulawDecode));
  });

  test('discard drops the oldest samples without copying them anywhere', () => {
    const fifo = new PcmFifo(4);
    fifo.push(samples(3, 1));
    assert.equal(fifo.discard(2), 2);
    assert.equal(fifo.discard(5), 1);
    fifo.push(samples(3, 10));
    const out = new Int16Array(3);
    fifo.pull(out);
    assert.deepEqual([...out], [10, 11, 12]);
  });

  test('a playout depth holds samples back until that many are in, and again after it runs dry; release gives the rest', () => {
    const fifo = new PcmFifo(16, { playoutSamples: 6 });
    const out = new Int16Array(4);
    fifo.push(samples(4, 1));
    assert.equal(fifo.pull(out), 0, 'held back: 4 of 6 in');
    assert.deepEqual([...out], [0, 0, 0, 0]);
    assert.equal(fifo.underruns, 0, 'holding back is not running dry');
    fifo.push(samples(2, 5));
    assert.equal(fifo.pull(out), 4);
    assert.deepEqual([...out], [1, 2, 3, 4]);
    assert.equal(fifo.pull(out), 2, 'short: what is there, then silence');
    assert.deepEqual([...out], [5, 6, 0, 0]);
    assert.equal(fifo.underruns, 1);
    fifo.push(samples(3, 7));
    assert.equal(fifo.pull(out), 0, 'after running dry it holds back again');
    fifo.release();
    assert.equal(fifo.pull(out), 3, 'released: the rest comes out');
    assert.deepEqual([...out], [7, 8, 9, 0]);
  });

  test('property: any sequence of pushes, pulls, strided pulls and discards behaves as the plain-array model', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), n: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('pull' as const), n: fc.nat({ max: 40 }), stride: fc.integer({ min: 1, max: 3 }), offset: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('discard' as const), n: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('decode' as const), codes: fc.uint8Array({ maxLength: 40 }), offset: fc.nat({ max: 12 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 33 }), fc.oneof(fc.constant(0), fc.nat({ max: 40 })), fc.array(op, { maxLength: 60 }), (max, playout, ops) => {
      const fifo = new PcmFifo(max, { playoutSamples: playout });
      const model = new ModelFifo(max, playout);
      let next = 1;
      for (const o of ops) {
        if (o.kind === 'push') {
          const xs = samples(o.n, next);
          next += o.n;
          fifo.push(xs);
          model.push([...xs]);
        } else if (o.kind === 'pull') {
          const out = new Int16Array(o.offset + o.n * o.stride).fill(-7);
          const real = fifo.pullInto(out, o.offset, o.stride, o.n);
          const want = model.pull(o.n);
          assert.equal(real, want.real);
          assert.deepEqual(Array.from({ length: o.n }, (_, i) => out[o.offset + i * o.stride]), want.out);
          assert.ok(out.every((x, i) => (i >= o.offset && (i - o.offset) % o.stride === 0) || x === -7), 'nothing written between the strided slots');
        } else if (o.kind === 'decode') {
          const packet = new Uint8Array(o.offset + o.codes.length);
          packet.set(o.codes, o.offset);
          fifo.pushWith(ulawToPcm, packet, o.offset, o.codes.length);
          model.push([...o.codes].map(ulawDecode));
        } else {
          assert.equal(fifo.discard(o.n), model.discard(o.n));
        }
        assert.equal(fifo.size, model.items.length);
        assert.equal(fifo.dropped, model.dropped);
        assert.equal(fifo.underruns, model.underruns);
      }
    }), { seed: 4242, numRuns: 2000 });
  });
});
