import assert from 'node:assert/strict';
import { createHash, hkdfSync, KeyObject, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRecordingKeys, DerivedRecordingKeys } from './recording-keys.ts';
import type { RecordingKeys, RecordingReadResult } from './recording-store.ts';
import { LocalRecordingStore } from './recording-store.local.ts';
import { ManualPacingTimer } from './pacing-clock.ts';
import { parseWav, wavHeader } from './wav.ts';

const scratch = await mkdtemp(join(tmpdir(), 'sb-recording-store-'));
after(() => rm(scratch, { recursive: true, force: true }));

let dirs = 0;
async function freshDir(): Promise<string> {
  const d = join(scratch, `d${++dirs}`);
  await mkdir(d);
  return d;
}

async function freshStore(keys: RecordingKeys = new DerivedRecordingKeys(randomBytes(32))): Promise<{ store: LocalRecordingStore; root: string; keys: RecordingKeys }> {
  const root = join(await freshDir(), 'recordings');
  return { store: new LocalRecordingStore({ root, keys }), root, keys };
}

/** 64 bytes that occur nowhere by chance, planted throughout the plaintext. */
const MARKER = Buffer.from('<<switchboard-plaintext-marker-0123456789abcdef-must-not-leak!>>', 'latin1');
assert.equal(MARKER.length, 64);

/** A chunk of `n` bytes: random audio with the marker planted every 4 KiB. */
function chunkOf(n: number): Uint8Array {
  const c = randomBytes(n);
  for (let at = 0; at + MARKER.length <= n; at += 4096) MARKER.copy(c, at);
  return new Uint8Array(c);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** One second of 8 kHz stereo 16-bit audio. */
const SECOND = 32_000;

async function record(store: LocalRecordingStore, tenantId: string, recordingId: string, chunks: readonly Uint8Array[]) {
  const sink = await store.create(tenantId, recordingId);
  for (const c of chunks) await sink.append(c);
  const dataBytes = chunks.reduce((n, c) => n + c.length, 0);
  const header = wavHeader({ sampleRate: 8000, channels: 2, format: 'pcm16', dataBytes });
  const done = await sink.finish(header);
  return { header, done, plain: concat([header, ...chunks]) };
}

/** The documented layout: header end and each segment's frame offset and sealed length. */
function layout(file: Buffer): { headerEnd: number; keyIdAt: number; keyIdLength: number; segments: { at: number; length: number }[] } {
  let at = 6;
  const keyIdLength = file[at]!;
  const keyIdAt = at + 1;
  for (let i = 0; i < 3; i++) at += 1 + file[at]!;
  const headerEnd = at + 16 + 8 + 16;
  const segments: { at: number; length: number }[] = [];
  for (let p = headerEnd; p < file.length;) {
    const length = file.readUInt32BE(p);
    segments.push({ at: p, length });
    p += 8 + length;
  }
  return { headerEnd, keyIdAt, keyIdLength, segments };
}

function assertFails(r: RecordingReadResult, code: string, why: string): void {
  assert.equal(r.ok, false, `${why}: read back as plaintext`);
  if (!r.ok) assert.equal(r.code, code, `${why}: ${r.message}`);
}

describe('LocalRecordingStore: round trip', () => {
  test('a multi-chunk recording reads back as header + chunks, with the SHA-256 of that plaintext', async () => {
    const { store } = await freshStore();
    const chunks = [chunkOf(SECOND), chunkOf(SECOND), chunkOf(2 * SECOND), chunkOf(SECOND), chunkOf(1236)];
    const { done, plain, header } = await record(store, 'tenant-a', 'rec-1', chunks);
    assert.equal(done.bytes, plain.length);
    assert.equal(done.sha256, sha256(plain));
    const r = await store.read('tenant-a', 'rec-1');
    assert.ok(r.ok);
    assert.equal(r.complete, true);
    assert.deepEqual(r.bytes, plain);
    assert.equal(r.sha256, done.sha256);
    const wav = parseWav(r.bytes);
    assert.ok(wav.ok);
    assert.equal(wav.wav.data.length, plain.length - header.length);
  });

  test('appends issued without waiting land in call order', async () => {
    const { store } = await freshStore();
    const chunks = Array.from({ length: 8 }, () => chunkOf(SECOND));
    const sink = await store.create('t', 'r');
    const header = new Uint8Array([1, 2, 3, 4]);
    const pending = chunks.map((c) => sink.append(c));
    const done = await sink.finish(header);
    await Promise.all(pending);
    const r = await store.read('t', 'r');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(r.bytes, concat([header, ...chunks]));
    assert.equal(done.sha256, sha256(r.bytes));
  });

  test('a recording without chunks reads back as its header alone', async () => {
    const { store } = await freshStore();
    const { plain } = await record(store, 't', 'empty', []);
    const r = await store.read('t', 'empty');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(r.bytes, plain);
    assert.equal(plain.length, 44);
  });

  test('the file holds no plaintext: the 64-byte marker planted in every chunk never appears', async () => {
    const { store, root } = await freshStore();
    const chunks = [chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND)];
    await record(store, 't', 'secret', chunks);
    const file = await readFile(join(root, 't', 'secret.sbrec'));
    assert.ok(file.length > 3 * SECOND);
    assert.equal(file.indexOf(MARKER), -1);
    for (const c of chunks) assert.equal(file.indexOf(Buffer.from(c.subarray(100, 164))), -1);
  });

  test('recording files are 0600 in a 0700 tenant folder, with no temporary file left behind', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(100)]);
    assert.equal((await stat(join(root, 't', 'r.sbrec'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(root, 't'))).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(join(root, 't')), ['r.sbrec']);
  });

  test('remove deletes a recording once; reading it afterwards is not-found', async () => {
    const { store } = await freshStore();
    await record(store, 't', 'r', [chunkOf(100)]);
    assert.equal(await store.remove('t', 'r'), true);
    assert.equal(await store.remove('t', 'r'), false);
    assertFails(await store.read('t', 'r'), 'not-found', 'removed');
    assertFails(await store.read('t', 'never'), 'not-found', 'never written');
  });

  test('creating an existing recording is refused and leaves the original intact', async () => {
    const { store } = await freshStore();
    const { plain } = await record(store, 't', 'r', [chunkOf(500)]);
    await assert.rejects(store.create('t', 'r'), { code: 'SB_MEDIA_RECORDING_EXISTS' });
    const r = await store.read('t', 'r');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(r.bytes, plain);
  });

  test('abort deletes the recording; after finish it changes nothing; a finished sink refuses more', async () => {
    const { store } = await freshStore();
    const sink = await store.create('t', 'aborted');
    await sink.append(chunkOf(100));
    await sink.abort();
    assertFails(await store.read('t', 'aborted'), 'not-found', 'aborted');
    await assert.rejects(sink.append(chunkOf(10)));

    const kept = await store.create('t', 'kept');
    await kept.append(chunkOf(100));
    await kept.finish(new Uint8Array(44));
    await kept.abort();
    const r = await store.read('t', 'kept');
    assert.ok(r.ok && r.complete);
    await assert.rejects(kept.append(chunkOf(10)));
    await assert.rejects(kept.finish(new Uint8Array(44)));
  });
});

describe('LocalRecordingStore: tampering', () => {
  test('flipping any single byte of a small recording is detected, never read as plaintext', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(40), chunkOf(40), chunkOf(40), chunkOf(17)]);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { headerEnd, keyIdAt, keyIdLength, segments } = layout(original);
    assert.equal(segments.length, 5);
    let tampered = 0;
    for (let i = 0; i < original.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const bad = Buffer.from(original);
        bad[i]! ^= mask;
        await writeFile(path, bad);
        const r = await store.read('t', 'r');
        const where = `byte ${i} ^ 0x${mask.toString(16)}`;
        assert.equal(r.ok, false, `${where} read back as plaintext`);
        if (r.ok) continue;
        // A changed key id names a key the store does not hold; everything else is tampering.
        if (i >= keyIdAt && i < keyIdAt + keyIdLength && r.code === 'unknown-key') continue;
        assert.equal(r.code, 'tampered', `${where}: ${r.message}`);
        tampered++;
      }
    }
    assert.ok(tampered >= 2 * (original.length - headerEnd), 'every segment byte flip reports tampered');
    await writeFile(path, original);
    assert.ok((await store.read('t', 'r')).ok);
  });

  test('flips in the header, length prefixes, a middle chunk and the final segment of a long recording are detected', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND), chunkOf(999)]);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { headerEnd, segments } = layout(original);
    const middle = segments[2]!;
    const final = segments[segments.length - 1]!;
    const positions = new Set<number>();
    for (let i = 0; i < headerEnd; i++) positions.add(i);
    for (const s of segments) for (let i = 0; i < 8; i++) positions.add(s.at + i);
    for (const s of [middle, final]) {
      for (const off of [8, 9, 20, 50, s.length / 2, s.length - 9, s.length - 8, s.length + 7]) positions.add(s.at + Math.floor(off));
    }
    assert.ok([...positions].every((i) => i < original.length));
    for (const i of positions) {
      const bad = Buffer.from(original);
      bad[i]! ^= 0x10;
      await writeFile(path, bad);
      const r = await store.read('t', 'r');
      assert.equal(r.ok, false, `byte ${i} read back as plaintext`);
      if (!r.ok) assert.ok(r.code === 'tampered' || (i < headerEnd && r.code === 'unknown-key'), `byte ${i}: ${r.code}`);
    }
  });

  test('swapping, dropping or repeating segments is detected', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND), chunkOf(300)]);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { headerEnd, segments } = layout(original);
    const seg = (i: number): Buffer => original.subarray(segments[i]!.at, segments[i]!.at + 8 + segments[i]!.length);
    const head = original.subarray(0, headerEnd);
    const variants: [string, Buffer][] = [
      ['chunks 0 and 1 swapped', Buffer.concat([head, seg(1), seg(0), seg(2), seg(3), seg(4)])],
      ['chunks 1 and 3 swapped (different lengths)', Buffer.concat([head, seg(0), seg(3), seg(2), seg(1), seg(4)])],
      ['chunk 1 dropped', Buffer.concat([head, seg(0), seg(2), seg(3), seg(4)])],
      ['chunk 1 repeated', Buffer.concat([head, seg(0), seg(1), seg(1), seg(2), seg(3), seg(4)])],
      ['final segment moved to the front', Buffer.concat([head, seg(4), seg(0), seg(1), seg(2), seg(3)])],
      ['last chunk presented as the final segment', Buffer.concat([head, seg(0), seg(1), seg(2), seg(4), seg(3)])],
    ];
    for (const [name, bytes] of variants) {
      await writeFile(path, bytes);
      assertFails(await store.read('t', 'r'), 'tampered', name);
    }
  });

  test('reordering the chunks of an unfinished recording (no final hash to fall back on) is detected', async () => {
    const { store, root } = await freshStore();
    const same = chunkOf(SECOND);
    const sink = await store.create('t', 'open');
    for (const c of [chunkOf(SECOND), same, same]) await sink.append(c);
    const path = join(root, 't', 'open.sbrec');
    const original = await readFile(path);
    const { headerEnd, segments } = layout(original);
    const seg = (i: number): Buffer => original.subarray(segments[i]!.at, segments[i]!.at + 8 + segments[i]!.length);
    // The same plaintext at two positions is sealed under two nonces: the ciphertexts (tags aside) differ.
    const ciphertext = (i: number): Buffer => seg(i).subarray(8, 8 + segments[i]!.length - 16);
    assert.notDeepEqual(ciphertext(1), ciphertext(2));
    const head = original.subarray(0, headerEnd);
    for (const [name, bytes] of [
      ['chunks 0 and 1 swapped', Buffer.concat([head, seg(1), seg(0), seg(2)])],
      ['chunks 1 and 2 swapped', Buffer.concat([head, seg(0), seg(2), seg(1)])],
      ['chunk 0 dropped', Buffer.concat([head, seg(1), seg(2)])],
    ] as const) {
      await writeFile(path, bytes);
      assertFails(await store.read('t', 'open'), 'tampered', name);
    }
    await sink.abort();
  });

  test('segments spliced in from another recording of the same tenant are detected', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'one', [chunkOf(SECOND), chunkOf(SECOND)]);
    await record(store, 't', 'two', [chunkOf(SECOND), chunkOf(SECOND)]);
    const one = await readFile(join(root, 't', 'one.sbrec'));
    const two = await readFile(join(root, 't', 'two.sbrec'));
    const l1 = layout(one);
    const l2 = layout(two);
    const s2 = l2.segments[1]!;
    const spliced = Buffer.concat([one.subarray(0, l1.segments[1]!.at), two.subarray(s2.at, s2.at + 8 + s2.length), one.subarray(l1.segments[2]!.at)]);
    await writeFile(join(root, 't', 'one.sbrec'), spliced);
    assertFails(await store.read('t', 'one'), 'tampered', 'spliced chunk');
  });

  test('cutting into or off the final segment reads as incomplete, never complete', async () => {
    const { store, root } = await freshStore();
    const chunks = [chunkOf(SECOND), chunkOf(SECOND), chunkOf(700)];
    await record(store, 't', 'r', chunks);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { segments } = layout(original);
    const final = segments[3]!;
    const lastChunk = segments[2]!;
    const cases: [string, number, Uint8Array[]][] = [
      ['final segment cut by one byte', original.length - 1, chunks],
      ['final segment cut in the middle', final.at + 8 + 10, chunks],
      ['final segment cut inside its length prefix', final.at + 3, chunks],
      ['final segment removed', final.at, chunks],
      ['final segment and half the last chunk removed', lastChunk.at + 8 + 100, chunks.slice(0, 2)],
    ];
    for (const [name, size, expected] of cases) {
      await writeFile(path, original);
      await truncate(path, size);
      const r = await store.read('t', 'r');
      assert.ok(r.ok, name);
      assert.equal(r.complete, false, name);
      assert.deepEqual(r.bytes, concat(expected), name);
      assert.equal(r.sha256, sha256(concat(expected)), name);
    }
  });

  test('bytes appended after the final segment are detected', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(SECOND), chunkOf(200)]);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { segments } = layout(original);
    const firstChunk = original.subarray(segments[0]!.at, segments[0]!.at + 8 + segments[0]!.length);
    for (const [name, extra] of [
      ['one random byte', randomBytes(1)], ['seven random bytes', randomBytes(7)], ['100 random bytes', randomBytes(100)],
      ['zeros', Buffer.alloc(64)], ['a copy of the first chunk', firstChunk],
    ] as const) {
      await writeFile(path, Buffer.concat([original, extra]));
      assertFails(await store.read('t', 'r'), 'tampered', name);
    }
  });

  test('a file that is not a recording, or is cut inside its header, is reported as tampered', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'r', [chunkOf(100)]);
    const path = join(root, 't', 'r.sbrec');
    const original = await readFile(path);
    const { headerEnd } = layout(original);
    for (const [name, bytes] of [
      ['empty', Buffer.alloc(0)], ['a WAV file', Buffer.from(wavHeader({ sampleRate: 8000, channels: 2, format: 'pcm16', dataBytes: 0 }))],
      ['cut inside the header', original.subarray(0, headerEnd - 5)],
    ] as const) {
      await writeFile(path, bytes);
      assertFails(await store.read('t', 'r'), 'tampered', name);
    }
  });
});

describe('LocalRecordingStore: tenants', () => {
  test("tenant A's file copied into tenant B's folder reads as wrong-tenant, not as B's plaintext", async () => {
    const { store, root } = await freshStore();
    await record(store, 'tenantA', 'rec', [chunkOf(SECOND), chunkOf(SECOND)]);
    await mkdir(join(root, 'tenantB'), { recursive: true });
    await copyFile(join(root, 'tenantA', 'rec.sbrec'), join(root, 'tenantB', 'rec.sbrec'));
    const r = await store.read('tenantB', 'rec');
    assertFails(r, 'wrong-tenant', 'copied to B');
    if (!r.ok) assert.ok(!r.message.includes('tenantA'), 'the message does not name the other tenant');
  });

  test("relabelling A's file as B's does not make it decrypt under B's key", async () => {
    const { store, root } = await freshStore();
    await record(store, 'tenantA', 'rec', [chunkOf(SECOND)]);
    const file = await readFile(join(root, 'tenantA', 'rec.sbrec'));
    const at = file.indexOf(Buffer.from('tenantA', 'latin1'));
    assert.ok(at > 0);
    file.write('tenantB', at, 'latin1');
    await mkdir(join(root, 'tenantB'), { recursive: true });
    await writeFile(join(root, 'tenantB', 'rec.sbrec'), file);
    assertFails(await store.read('tenantB', 'rec'), 'tampered', 'relabelled');
  });

  test('a recording copied under another recording id of the same tenant is detected', async () => {
    const { store, root } = await freshStore();
    await record(store, 't', 'original', [chunkOf(100)]);
    await copyFile(join(root, 't', 'original.sbrec'), join(root, 't', 'other.sbrec'));
    assertFails(await store.read('t', 'other'), 'tampered', 'renamed');
  });

  test('a store with another master key cannot read the file and says so without key material', async () => {
    const mine = await freshStore();
    await record(mine.store, 't', 'r', [chunkOf(SECOND)]);
    const theirs = await freshStore();
    await mkdir(join(theirs.root, 't'), { recursive: true });
    await copyFile(join(mine.root, 't', 'r.sbrec'), join(theirs.root, 't', 'r.sbrec'));
    const r = await theirs.store.read('t', 'r');
    assertFails(r, 'unknown-key', 'foreign master key');
    if (!r.ok) assert.match(r.message, /key id mk1-[0-9a-f]{16}/);
  });
});

describe('LocalRecordingStore: crashes', () => {
  test('a sink dropped without finish reads back as incomplete with every flushed chunk', async () => {
    const { store, keys, root } = await freshStore();
    const chunks = [chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND)];
    const sink = await store.create('t', 'crashed');
    for (const c of chunks) await sink.append(c);
    // The "crash": the sink is never finished. A new store (a restart) reads what was flushed.
    const restarted = new LocalRecordingStore({ root, keys });
    const r = await restarted.read('t', 'crashed');
    assert.ok(r.ok);
    assert.equal(r.complete, false);
    assert.deepEqual(r.bytes, concat(chunks));
    assert.equal(r.sha256, sha256(concat(chunks)));
    // Recovery rebuilds the header from the length.
    const rebuilt = concat([wavHeader({ sampleRate: 8000, channels: 2, format: 'pcm16', dataBytes: r.bytes.length }), r.bytes]);
    const wav = parseWav(rebuilt);
    assert.ok(wav.ok);
    assert.equal(wav.wav.data.length, 3 * SECOND);
    await sink.abort();
  });

  test('an append cut short by a crash leaves the earlier chunks readable', async () => {
    const { store, root } = await freshStore();
    const chunks = [chunkOf(SECOND), chunkOf(SECOND), chunkOf(SECOND)];
    const sink = await store.create('t', 'torn');
    for (const c of chunks) await sink.append(c);
    await sink.append(chunkOf(SECOND));
    const path = join(root, 't', 'torn.sbrec');
    const full = await readFile(path);
    const fourth = layout(full).segments[3]!;
    for (const [name, bytes] of [
      ['cut inside the length prefix', full.subarray(0, fourth.at + 5)],
      ['cut inside the ciphertext', full.subarray(0, fourth.at + 8 + 1000)],
      ['cut before the tag', full.subarray(0, fourth.at + 8 + fourth.length - 1)],
      ['zero-filled by the file system', Buffer.concat([full.subarray(0, fourth.at), Buffer.alloc(8 + fourth.length)])],
    ] as const) {
      await writeFile(path, bytes);
      const r = await store.read('t', 'torn');
      assert.ok(r.ok, name);
      assert.equal(r.complete, false, name);
      assert.deepEqual(r.bytes, concat(chunks), name);
    }
    await sink.abort();
  });

  test('a recording only created, with no chunk yet, reads as an empty incomplete recording', async () => {
    const { store } = await freshStore();
    const sink = await store.create('t', 'r');
    const r = await store.read('t', 'r');
    assert.ok(r.ok);
    assert.equal(r.complete, false);
    assert.equal(r.bytes.length, 0);
    await sink.abort();
  });
});

describe('LocalRecordingStore: group syncs', () => {
  test('one pass per interval syncs every recording written to since the last pass, each once; nothing is armed while nothing is written', async () => {
    const timer = new ManualPacingTimer();
    const root = join(await freshDir(), 'recordings');
    const store = new LocalRecordingStore({ root, keys: new DerivedRecordingKeys(randomBytes(32)), timer, syncIntervalMs: 1000 });
    const sinks = await Promise.all(['a', 'b', 'c'].map((id) => store.create('t', id)));
    const first = chunkOf(SECOND);
    // Appends resolve once written, without waiting for their sync.
    await Promise.all(sinks.map((s) => s.append(first)));
    assert.deepEqual(store.syncStats, { groups: 0, recordings: 0 });
    for (const id of ['a', 'b', 'c']) {
      const r = await store.read('t', id);
      assert.ok(r.ok && !r.complete);
      assert.deepEqual(r.bytes, first, 'a written chunk is readable before its sync');
    }
    timer.advance(999);
    assert.deepEqual(store.syncStats, { groups: 0, recordings: 0 }, 'not before the interval is up');
    timer.advance(1);
    assert.deepEqual(store.syncStats, { groups: 1, recordings: 3 }, 'one pass for all three');
    // Two chunks each for two of them within the next interval: still one sync per recording.
    for (let i = 0; i < 2; i++) await Promise.all(sinks.slice(0, 2).map((s) => s.append(chunkOf(SECOND))));
    timer.advance(1000);
    assert.deepEqual(store.syncStats, { groups: 2, recordings: 5 });
    timer.advance(10_000);
    assert.deepEqual(store.syncStats, { groups: 2, recordings: 5 }, 'no pass while nothing new is written');
    // Finish syncs its own recording at once: it does not wait for a pass.
    const done = await sinks[2]!.finish(new Uint8Array([1, 2, 3]));
    assert.equal(done.bytes, 3 + SECOND);
    const r = await store.read('t', 'c');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(store.syncStats, { groups: 2, recordings: 5 });
    await Promise.all(sinks.slice(0, 2).map((s) => s.abort()));
  });

  test('a recording finished or aborted before the pass is left alone by it', async () => {
    const timer = new ManualPacingTimer();
    const root = join(await freshDir(), 'recordings');
    const store = new LocalRecordingStore({ root, keys: new DerivedRecordingKeys(randomBytes(32)), timer });
    const kept = await store.create('t', 'kept');
    const dropped = await store.create('t', 'dropped');
    await kept.append(chunkOf(SECOND));
    await dropped.append(chunkOf(SECOND));
    await kept.finish(new Uint8Array(4));
    await dropped.abort();
    timer.advance(1000);
    // The pass finds both closed; its turn in each sink's queue changes nothing.
    await kept.abort();
    const r = await store.read('t', 'kept');
    assert.ok(r.ok && r.complete);
    assertFails(await store.read('t', 'dropped'), 'not-found', 'dropped');
  });

  test('the caller may reuse its chunk buffer as soon as append returns', async () => {
    const { store } = await freshStore();
    const sink = await store.create('t', 'reused');
    const buffer = chunkOf(SECOND);
    const copies: Uint8Array[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 4; i++) {
      buffer.fill(i + 1, 0, 100);
      copies.push(buffer.slice());
      pending.push(sink.append(buffer));
    }
    buffer.fill(0xee);
    await Promise.all(pending);
    await sink.finish(new Uint8Array(0));
    const r = await store.read('t', 'reused');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(r.bytes, concat(copies));
  });
});

describe('LocalRecordingStore: ids', () => {
  const bad = ['', '../x', '..', '.', 'a/b', 'a\\b', '/abs', 'x'.repeat(65), 'caf\u00e9', 'a b', 'a\0b', 'rec.sbrec'];

  test('ids that could escape the folder or are empty are rejected by create, read and remove', async () => {
    const { store, root } = await freshStore();
    for (const id of bad) {
      await assert.rejects(store.create('t', id), { code: 'SB_MEDIA_RECORDING_ID_INVALID' }, `recording id ${JSON.stringify(id)}`);
      await assert.rejects(store.create(id, 'r'), { code: 'SB_MEDIA_RECORDING_ID_INVALID' }, `tenant id ${JSON.stringify(id)}`);
      assertFails(await store.read('t', id), 'invalid-id', `read ${JSON.stringify(id)}`);
      assertFails(await store.read(id, 'r'), 'invalid-id', `read tenant ${JSON.stringify(id)}`);
      await assert.rejects(store.remove('t', id), { code: 'SB_MEDIA_RECORDING_ID_INVALID' });
    }
    await assert.rejects(readdir(root), { code: 'ENOENT' }, 'nothing was created');
  });

  test('ids of 64 letters, digits, "_" and "-" (a UUID among them) are accepted', async () => {
    const { store } = await freshStore();
    for (const id of ['a', 'x'.repeat(64), '0b9c5a1e-3d2f-4c8b-9a7e-5f6d4c3b2a10', 'A_b-9']) {
      await record(store, id, id, [chunkOf(10)]);
      assert.ok((await store.read(id, id)).ok, id);
    }
  });
});

describe('recording keys', () => {
  test('a generated master key is written 0600 in a 0700 folder and reused on the next start', async () => {
    const dataDir = await freshDir();
    const keyFile = join(dataDir, 'keys', 'recording-master.key');
    const first = await createRecordingKeys({ keyFile });
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'keys'))).mode & 0o777, 0o700);
    assert.equal(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').length, 32);
    assert.deepEqual(await readdir(join(dataDir, 'keys')), ['recording-master.key']);

    const root = join(dataDir, 'recordings');
    const { plain } = await record(new LocalRecordingStore({ root, keys: first }), 't', 'r', [chunkOf(SECOND)]);
    const second = await createRecordingKeys({ keyFile });
    assert.equal((await second.keyFor('t')).keyId, (await first.keyFor('t')).keyId);
    const r = await new LocalRecordingStore({ root, keys: second }).read('t', 'r');
    assert.ok(r.ok && r.complete);
    assert.deepEqual(r.bytes, plain);
  });

  test('two starts racing on an absent key file agree on one key', async () => {
    const keyFile = join(await freshDir(), 'keys', 'k');
    const [a, b] = await Promise.all([createRecordingKeys({ keyFile }), createRecordingKeys({ keyFile })]);
    assert.equal((await a.keyFor('t')).keyId, (await b.keyFor('t')).keyId);
  });

  test('a configured master key is used instead of the key file', async () => {
    const keyFile = join(await freshDir(), 'keys', 'k');
    const master = randomBytes(32);
    const a = await createRecordingKeys({ masterKeyBase64: master.toString('base64'), keyFile });
    const b = await createRecordingKeys({ masterKeyBase64: ` ${master.toString('base64url')}\n`, keyFile });
    await assert.rejects(stat(keyFile), { code: 'ENOENT' });
    assert.equal((await a.keyFor('t')).keyId, (await b.keyFor('t')).keyId);
  });

  test('a configured key that is not base64 of exactly 32 bytes is rejected without echoing it', async () => {
    const keyFile = join(await freshDir(), 'k');
    const bad = [
      '', 'not base64 at all!', randomBytes(31).toString('base64'), randomBytes(33).toString('base64'),
      randomBytes(32).toString('hex'), randomBytes(16).toString('base64'), `${randomBytes(32).toString('base64')}AAAA`,
      `${randomBytes(32).toString('base64').slice(0, 42)}B=`,
    ];
    for (const value of bad) {
      await assert.rejects(createRecordingKeys({ masterKeyBase64: value, keyFile }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SB_MEDIA_RECORDING_KEY_INVALID');
        assert.match(e.message, /exactly 32 bytes/);
        if (value.trim()) assert.ok(!e.message.includes(value.trim()), 'the message does not repeat the key');
        return true;
      }, JSON.stringify(value));
    }
  });

  test('a damaged key file is rejected rather than replaced', async () => {
    const keyFile = join(await freshDir(), 'k');
    await writeFile(keyFile, 'c2hvcnQ=\n', { mode: 0o600 });
    await assert.rejects(createRecordingKeys({ keyFile }), { code: 'SB_MEDIA_RECORDING_KEY_INVALID' });
    assert.equal(await readFile(keyFile, 'utf8'), 'c2hvcnQ=\n');
  });

  test('each tenant gets its own key; the same tenant and master always the same', async () => {
    const master = randomBytes(32);
    const keys = new DerivedRecordingKeys(Buffer.from(master));
    const raw = async (k: RecordingKeys, t: string): Promise<Buffer> => {
      const { key } = await k.keyFor(t);
      return key instanceof KeyObject ? key.export() : Buffer.from(key);
    };
    const a = await raw(keys, 'tenant-a');
    const b = await raw(keys, 'tenant-b');
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, b);
    assert.deepEqual(await raw(new DerivedRecordingKeys(Buffer.from(master)), 'tenant-a'), a);
    assert.notDeepEqual(await raw(new DerivedRecordingKeys(randomBytes(32)), 'tenant-a'), a);
    assert.notDeepEqual(a, master);
  });

  test('the derivation is HKDF-SHA256 with the documented info, so stored recordings stay readable across versions', async () => {
    const master = Buffer.alloc(32, 7);
    const keys = new DerivedRecordingKeys(Buffer.from(master));
    const { keyId, key } = await keys.keyFor('tenant-a');
    const expectedId = `mk1-${Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'switchboard/recording/key-id/v1', 8)).toString('hex')}`;
    assert.equal(keyId, expectedId);
    const info = Buffer.concat([
      Buffer.from('switchboard/recording/tenant-key/v1'), Buffer.of(keyId.length), Buffer.from(keyId), Buffer.of(0, 8), Buffer.from('tenant-a'),
    ]);
    const expected = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    assert.deepEqual((key as KeyObject).export(), expected);
  });

  test('keyById finds the current key id and nothing else', async () => {
    const keys = new DerivedRecordingKeys(randomBytes(32));
    const current = await keys.keyFor('t');
    assert.equal((await keys.keyById('t', current.keyId))?.keyId, current.keyId);
    assert.equal(await keys.keyById('t', 'mk1-0000000000000000'), undefined);
  });

  test('the master key buffer handed to the constructor is wiped', () => {
    const master = randomBytes(32);
    new DerivedRecordingKeys(master);
    assert.ok(master.every((b) => b === 0));
  });
});
