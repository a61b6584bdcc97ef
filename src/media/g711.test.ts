import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  alawDecode, alawEncode, alawToPcm, alawToUlaw, pcmToAlaw, pcmToUlaw, ulawDecode, ulawEncode, ulawToAlaw, ulawToPcm,
} from './g711.ts';

// Reference quantisers written from the decision values of G.711 Tables 1 and 2, searching
// segment by segment. A 16-bit integer x stands for the analogue value x + 0.5 (G.191's
// convention), so |2x + 1| is the magnitude in half-LSBs of the 16-bit scale.

/** µ-law (Table 2): segment ends in the 8159 scale; segment s ≥ 1 has step 2^(s+1). */
const U_ENDS = [31, 95, 223, 479, 991, 2015, 4063, 8159];

function refUlawEncode(x: number): number {
  const a8 = Math.abs(2 * x + 1); // 8 × magnitude in 14-bit units
  let seg = U_ENDS.findIndex((end) => a8 < 8 * end);
  let q: number;
  if (seg === -1) { seg = 7; q = 15; } // beyond the last decision value: saturate
  else if (seg === 0) q = a8 < 8 ? 0 : Math.floor((a8 - 8) / 16) + 1; // [0,1) then steps of 2
  else q = Math.floor((a8 - 8 * U_ENDS[seg - 1]!) / (8 * 2 ** (seg + 1)));
  return ~((x < 0 ? 0x80 : 0) | (seg << 4) | q) & 0xff; // all bits inverted on the line
}

function refUlawDecode(code: number): number {
  const u = ~code & 0xff;
  const seg = (u >> 4) & 7;
  const q = u & 15;
  const v = seg === 0 ? 2 * q : U_ENDS[seg - 1]! + 2 ** (seg + 1) * q + 2 ** seg;
  return (u & 0x80 ? -4 : 4) * v + 0; // + 0: the negative zero code is plain 0
}

/** A-law (Table 1): segment s ends at 2^(s+5) in the 4096 scale; steps 2, 2, 4, 8 … 128. */
function refAlawEncode(x: number): number {
  const a16 = Math.abs(2 * x + 1); // 16 × magnitude in 13-bit units
  let seg = 0;
  while (seg < 8 && a16 >= 16 * 2 ** (seg + 5)) seg++;
  let q: number;
  if (seg === 8) { seg = 7; q = 15; }
  else {
    const start = seg === 0 ? 0 : 2 ** (seg + 4);
    const step = seg <= 1 ? 2 : 2 ** seg;
    q = Math.floor((a16 - 16 * start) / (16 * step));
  }
  return ((x >= 0 ? 0x80 : 0) | (seg << 4) | q) ^ 0x55; // even bits inverted
}

function refAlawDecode(code: number): number {
  const a = (code ^ 0x55) & 0xff;
  const seg = (a >> 4) & 7;
  const q = a & 15;
  const start = seg === 0 ? 0 : 2 ** (seg + 4);
  const step = seg <= 1 ? 2 : 2 ** seg;
  return (a & 0x80 ? 8 : -8) * (start + step * q + step / 2);
}

/** Step of the segment a code belongs to, in 16-bit units. */
const ulawStep = (code: number): number => 4 * 2 ** (((~code >> 4) & 7) + 1);
const alawStep = (code: number): number => { const s = ((code ^ 0x55) >> 4) & 7; return 8 * (s <= 1 ? 2 : 2 ** s); };

const ALL = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

test('µ-law and A-law encoders match the segment-search reference for all 65536 inputs', () => {
  let bad = 0;
  for (const x of ALL) {
    if (ulawEncode(x) !== refUlawEncode(x)) { bad++; assert.equal(ulawEncode(x), refUlawEncode(x), `µ-law ${x}`); }
    if (alawEncode(x) !== refAlawEncode(x)) { bad++; assert.equal(alawEncode(x), refAlawEncode(x), `A-law ${x}`); }
  }
  assert.equal(bad, 0);
});

test('µ-law and A-law decoders match the reference quantised values for all 256 codes', () => {
  for (let c = 0; c < 256; c++) {
    assert.equal(ulawDecode(c), refUlawDecode(c), `µ-law code ${c}`);
    assert.equal(alawDecode(c), refAlawDecode(c), `A-law code ${c}`);
  }
});

test('known values from G.711', () => {
  assert.equal(ulawEncode(0), 0xff);
  assert.equal(ulawEncode(-1), 0x7f); // negative zero
  assert.equal(ulawDecode(0x00), -32124);
  assert.equal(ulawDecode(0x80), 32124);
  assert.equal(ulawDecode(0xff), 0);
  assert.equal(ulawDecode(0x7f), 0);
  assert.equal(ulawEncode(32767), 0x80);
  assert.equal(ulawEncode(-32768), 0x00);
  assert.equal(alawEncode(0), 0xd5);
  assert.equal(alawEncode(-1), 0x55);
  assert.equal(alawDecode(0xd5), 8);
  assert.equal(alawDecode(0x55), -8);
  assert.equal(alawDecode(0xaa), 32256);
  assert.equal(alawDecode(0x2a), -32256);
  assert.equal(alawEncode(32767), 0xaa);
  assert.equal(alawEncode(-32768), 0x2a);
});

test('one\'s complement symmetry: x and ~x differ only in the sign bit', () => {
  for (let x = 0; x < 32768; x++) {
    assert.equal(ulawEncode(x) ^ ulawEncode(~x), 0x80, `µ-law ${x}`);
    assert.equal(alawEncode(x) ^ alawEncode(~x), 0x80, `A-law ${x}`);
  }
});

test('decode(encode(x)) is within half a step of its segment; beyond the range it saturates', () => {
  for (const x of ALL) {
    const u = ulawEncode(x);
    const yu = ulawDecode(u);
    if (x >= 32636 || x <= -32637) assert.equal(yu, x > 0 ? 32124 : -32124, `µ-law saturation ${x}`);
    else assert.ok(Math.abs(yu - x) <= ulawStep(u) / 2, `µ-law ${x} → ${yu}`);
    const a = alawEncode(x);
    const ya = alawDecode(a);
    assert.ok(Math.abs(ya - x) <= alawStep(a) / 2, `A-law ${x} → ${ya}`);
  }
  // Every code's own value is a fixed point.
  for (let c = 0; c < 256; c++) {
    if (c !== 0x7f) assert.equal(ulawEncode(ulawDecode(c)), c, `µ-law code ${c}`); // −0 decodes to 0 = +0
    assert.equal(alawEncode(alawDecode(c)), c, `A-law code ${c}`);
  }
});

test('buffer versions equal the scalar functions and honour n', () => {
  const pcm = Int16Array.from({ length: 4000 }, (_, i) => Math.round(32767 * Math.sin(i * 0.37) * Math.cos(i * 0.011)));
  const u = new Uint8Array(pcm.length);
  const a = new Uint8Array(pcm.length);
  pcmToUlaw(pcm, u);
  pcmToAlaw(pcm, a);
  for (let i = 0; i < pcm.length; i++) {
    assert.equal(u[i], ulawEncode(pcm[i]!));
    assert.equal(a[i], alawEncode(pcm[i]!));
  }
  const du = new Int16Array(pcm.length);
  const da = new Int16Array(pcm.length);
  ulawToPcm(u, du);
  alawToPcm(a, da);
  for (let i = 0; i < pcm.length; i++) {
    assert.equal(du[i], ulawDecode(u[i]!));
    assert.equal(da[i], alawDecode(a[i]!));
  }
  // n limits the count; the rest of dst is untouched.
  const part = new Uint8Array(10).fill(0x33);
  pcmToUlaw(pcm, part, 4);
  assert.deepEqual([...part.subarray(4)], Array(6).fill(0x33));
  assert.deepEqual([...part.subarray(0, 4)], [...u.subarray(0, 4)]);
  const partPcm = new Int16Array(10).fill(7);
  alawToPcm(a, partPcm, 3);
  assert.deepEqual([...partPcm.subarray(3)], Array(7).fill(7));
  // n larger than either array is capped, not an overrun.
  const small = new Uint8Array(5);
  pcmToAlaw(pcm, small, 1000);
  assert.deepEqual([...small], [...a.subarray(0, 5)]);
});

test('offsets convert a payload where it lies (after a 12-byte RTP header), equal to converting a view of it', () => {
  const pcm = Int16Array.from({ length: 200 }, (_, i) => Math.round(30000 * Math.sin(i * 0.21)));
  const packet = new Uint8Array(12 + 160).fill(0xee);
  pcmToUlaw(pcm, packet, 160, 40, 12);
  assert.deepEqual([...packet.subarray(0, 12)], Array(12).fill(0xee), 'the header bytes are untouched');
  const view = new Uint8Array(160);
  pcmToUlaw(pcm.subarray(40, 200), view);
  assert.deepEqual([...packet.subarray(12)], [...view]);
  const back = new Int16Array(170).fill(9);
  ulawToPcm(packet, back, undefined, 12, 10);
  assert.deepEqual([...back.subarray(0, 10)], Array(10).fill(9));
  assert.deepEqual([...back.subarray(10)], [...view].map(ulawDecode));
  pcmToAlaw(pcm, packet, 160, 40, 12);
  const aBack = new Int16Array(160);
  alawToPcm(packet, aBack, 160, 12);
  assert.deepEqual([...aBack], [...pcm.subarray(40, 200)].map((x) => alawDecode(alawEncode(x))));
  // In place at an offset, as a bridge transcodes a relayed packet.
  const inPlace = packet.slice();
  alawToUlaw(inPlace, inPlace, 160, 12, 12);
  const expected = new Uint8Array(160);
  alawToUlaw(packet.subarray(12), expected);
  assert.deepEqual([...inPlace.subarray(12)], [...expected]);
  ulawToAlaw(inPlace, inPlace, 160, 12, 12);
  ulawToAlaw(expected, expected);
  assert.deepEqual([...inPlace.subarray(12)], [...expected]);
  // Offsets past the end convert nothing instead of overrunning.
  const short = new Int16Array(4).fill(5);
  ulawToPcm(packet, short, 100, 170);
  assert.deepEqual([...short.subarray(2)], [5, 5]);
  ulawToPcm(packet, short, 100, 400);
  assert.deepEqual([...short], [ulawDecode(packet[170]!), ulawDecode(packet[171]!), 5, 5]);
});

test('transcoding tables equal decode-then-encode and work in place', () => {
  const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const toA = new Uint8Array(256);
  const toU = new Uint8Array(256);
  ulawToAlaw(codes, toA);
  alawToUlaw(codes, toU);
  for (let c = 0; c < 256; c++) {
    if (c === 0x7f) assert.equal(toA[c], 0x55, 'µ-law −0 stays negative: A-law −8'); // decode gives plain 0
    else assert.equal(toA[c], alawEncode(ulawDecode(c)), `µ→A ${c}`);
    assert.equal(toU[c], ulawEncode(alawDecode(c)), `A→µ ${c}`);
    // The sign survives both ways (bit 7 is the sign in both laws).
    assert.equal(toA[c]! & 0x80, c & 0x80, `µ→A sign ${c}`);
    assert.equal(toU[c]! & 0x80, c & 0x80, `A→µ sign ${c}`);
  }
  const inPlace = codes.slice();
  ulawToAlaw(inPlace, inPlace);
  assert.deepEqual(inPlace, toA);
  // A µ-law signal transcoded to A-law decodes close to the original.
  for (let c = 0; c < 256; c++) {
    const err = Math.abs(alawDecode(toA[c]!) - ulawDecode(c));
    assert.ok(err <= alawStep(toA[c]!) / 2, `µ→A ${c}: ${err}`);
  }
});

// sox 14.4.2 reduces a sample to 14 bits (µ-law) or 13 bits (A-law) by rounding to nearest,
// (x + 2) >> 2 and (x + 4) >> 3, clipping at the top, and then applies Sun's g711.c quantiser
// on that value; Sun's µ-law takes a negative value's plain magnitude, its A-law the one's
// complement. G.191 instead truncates with the one's complement for negatives. The quantisers
// are the same; only the reduction differs, so sox's code for x equals ours for the 16-bit
// value G.191 reads as sox's reduced sample. These make that exact, for every input.
function soxUlawInput(x: number): number {
  const y = Math.min(8191, (x + 2) >> 2);
  return y >= 0 ? y << 2 : Math.max(-32768, (y - 1) << 2);
}
function soxAlawInput(x: number): number {
  return Math.min(4095, (x + 4) >> 3) << 3;
}

const hasSox = existsSync('/usr/bin/sox');

function sox(args: string[], input: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'sb-g711-'));
  try {
    writeFileSync(join(dir, 'in.raw'), input);
    const r = spawnSync('/usr/bin/sox', ['-D', ...args.map((a) => a.replace('IN', join(dir, 'in.raw')).replace('OUT', join(dir, 'out.raw')))], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return new Uint8Array(readFileSync(join(dir, 'out.raw')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pcmBytes = (): Uint8Array => {
  const b = new Uint8Array(65536 * 2);
  const v = new DataView(b.buffer);
  ALL.forEach((x, i) => v.setInt16(2 * i, x, true));
  return b;
};

test('encoding agrees with sox for all 65536 inputs, up to sox\'s documented rounding', { skip: !hasSox && 'sox not found (apt-get install sox)' }, () => {
  const raw = pcmBytes();
  for (const law of ['mu-law', 'a-law'] as const) {
    const out = sox(['-t', 'raw', '-r', '8000', '-e', 'signed-integer', '-b', '16', '-c', '1', 'IN', '-t', 'raw', '-e', law, '-b', '8', 'OUT'], raw);
    assert.equal(out.length, 65536);
    const encode = law === 'mu-law' ? ulawEncode : alawEncode;
    const input = law === 'mu-law' ? soxUlawInput : soxAlawInput;
    const decode = law === 'mu-law' ? ulawDecode : alawDecode;
    let differ = 0;
    for (let i = 0; i < 65536; i++) {
      const x = ALL[i]!;
      assert.equal(out[i], encode(input(x)), `${law} ${x}: sox ${out[i]} vs model`);
      const ours = encode(x);
      if (out[i] !== ours) {
        differ++;
        // Only inputs within a rounding distance of a decision value move, by one level, or
        // from −0 to +0 (µ-law 0x7f and 0xff both decode to 0).
        const gap = Math.abs(decode(out[i]!) - decode(ours));
        const step = law === 'mu-law' ? Math.max(ulawStep(out[i]!), ulawStep(ours)) : Math.max(alawStep(out[i]!), alawStep(ours));
        assert.ok(gap <= step && (gap > 0 || decode(ours) === 0), `${law} ${x}: ${out[i]} vs ${ours}`);
      }
    }
    // Differences are confined to the neighbourhood of the 127 decision values per sign.
    assert.ok(differ > 0 && differ <= (law === 'mu-law' ? 2 : 4) * 256, `${law}: ${differ} inputs differ`);
  }
});

test('decoding agrees with sox for all 256 codes, exactly', { skip: !hasSox && 'sox not found (apt-get install sox)' }, () => {
  const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const law of ['mu-law', 'a-law'] as const) {
    const out = sox(['-t', 'raw', '-r', '8000', '-e', law, '-b', '8', '-c', '1', 'IN', '-t', 'raw', '-e', 'signed-integer', '-b', '16', 'OUT'], codes);
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    assert.equal(out.length, 512);
    for (let c = 0; c < 256; c++) assert.equal(v.getInt16(2 * c, true), law === 'mu-law' ? ulawDecode(c) : alawDecode(c), `${law} code ${c}`);
  }
});
