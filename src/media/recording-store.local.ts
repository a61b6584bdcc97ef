// Recordings in a local directory, `<root>/<tenantId>/<recordingId>.sbrec`, encrypted with
// AES-256-GCM as a stream of independently authenticated segments, one per appended chunk, in
// the manner of the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) that age and
// Tink's streaming AEAD use: each segment's nonce and additional data carry its index and
// whether it is the last, so segments cannot be reordered, dropped, spliced from another file or
// cut off at the end unnoticed. Appends are written at once and synced in groups: one pass per
// `syncIntervalMs` syncs every recording written to since the last pass (syncs issued together
// share the file system's journal commits), and finish syncs its recording before it resolves.
// A crash keeps every chunk synced before it, and a chunk is synced at most `syncIntervalMs`
// after its append.
//
// File layout (integers big-endian):
//   header   "SBREC1" | u8 n, key id | u8 n, tenant id | u8 n, recording id
//            | salt (16 random bytes) | nonce prefix (8 random bytes) | tag (16)
//   segment* u32 L | u32 ~L | AES-256-GCM ciphertext and tag (L bytes)
// The file key is HKDF-SHA256(tenant key, salt) (RFC 5869). Segment i (from 0) is sealed with
// nonce = prefix | u32 i and additional data = u32 i | u8 kind (0 chunk, 1 final). The header tag
// is GCM over no plaintext with the header bytes as additional data and counter 0xFFFFFFFF, which
// no segment uses. The final segment holds SHA-256 of the plaintext WAV | u64 its length | the
// WAV header; it must be the file's last bytes. `~L` tells a damaged length (tampering) from a
// segment cut short by a crash mid-write (an unfinished recording).
import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../kernel/index.ts';
import type { PacingTimer } from './pacing-clock.ts';
import {
  RECORDING_ID_PATTERN, RecordingReadError,
  type RecordingFinished, type RecordingKeys, type RecordingReadErrorCode, type RecordingReadResult, type RecordingSink, type RecordingStore,
} from './recording-store.ts';

export interface LocalRecordingStoreOptions {
  /** The directory holding one folder per tenant. */
  root: string;
  keys: RecordingKeys;
  /** How long an appended chunk may wait for its sync (default 5000 ms); 0 syncs on the next turn of the event loop. */
  syncIntervalMs?: number;
  /** Where the group sync waits (default: an unreferenced setTimeout, so it never holds the process open). */
  timer?: Pick<PacingTimer, 'wake'>;
}

/**
 * Each fdatasync of a recording costs the kernel about the same however many chunks it covers
 * (the file's inode is written either way), so syncing every 5 s rather than every chunk makes
 * syncs about five times cheaper per second of audio.
 */
const DEFAULT_SYNC_INTERVAL_MS = 5000;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const unreferencedTimer: Pick<PacingTimer, 'wake'> = {
  wake(fn, delayMs) {
    const t = setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

const MAGIC = Buffer.from('SBREC1', 'latin1');
const EXTENSION = '.sbrec';
const SALT_BYTES = 16;
const PREFIX_BYTES = 8;
const TAG_BYTES = 16;
const FRAME_BYTES = 8;
const DIGEST_BYTES = 32;
const FINAL_FIXED_BYTES = DIGEST_BYTES + 8;
/** Largest chunk or header accepted: 16 MiB, over eight minutes of 8 kHz stereo 16-bit audio. */
const MAX_PLAINTEXT_BYTES = 16 * 1024 * 1024;
const MAX_SEALED_BYTES = FINAL_FIXED_BYTES + MAX_PLAINTEXT_BYTES + TAG_BYTES;
/** Counter reserved for the header tag; segments use 0 .. 0xFFFFFFFE. */
const HEADER_COUNTER = 0xffffffff;
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const FILE_KEY_INFO = 'switchboard/recording/file-key/v1';

const SegmentKind = { Chunk: 0, Final: 1 } as const;
type SegmentKind = (typeof SegmentKind)[keyof typeof SegmentKind];

export class LocalRecordingStore implements RecordingStore {
  readonly #root: string;
  readonly #keys: RecordingKeys;
  readonly #syncs: GroupSync;

  constructor(opts: LocalRecordingStoreOptions) {
    this.#root = opts.root;
    this.#keys = opts.keys;
    this.#syncs = new GroupSync(opts.timer ?? unreferencedTimer, opts.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS);
  }

  /** Group syncs run so far and the recordings they synced (each at most once per group). */
  get syncStats(): { groups: number; recordings: number } {
    return { groups: this.#syncs.groups, recordings: this.#syncs.recordings };
  }

  async create(tenantId: string, recordingId: string): Promise<RecordingSink> {
    checkIds(tenantId, recordingId);
    const { keyId, key } = await this.#keys.keyFor(tenantId);
    if (!KEY_ID_PATTERN.test(keyId)) throw new Error('the recording key source returned a key id outside [A-Za-z0-9._-]{1,64}');
    const dir = join(this.#root, tenantId);
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });

    const salt = randomBytes(SALT_BYTES);
    const prefix = randomBytes(PREFIX_BYTES);
    const fileKey = deriveFileKey(key, salt);
    const head = encodeHeader(keyId, tenantId, recordingId, salt, prefix);
    const start = Buffer.concat([head, headerTag(fileKey, prefix, head)]);

    // The header is made durable under a temporary name, then linked into place: the recording's
    // name never shows a half-written header, and an existing recording is never overwritten.
    const path = join(dir, recordingId + EXTENSION);
    const tmp = join(dir, `.${recordingId}.${randomBytes(6).toString('hex')}.new`);
    const fh = await open(tmp, 'wx+', 0o600);
    try {
      await writeAll(fh, start, 0);
      await fh.datasync();
      await link(tmp, path);
    } catch (e) {
      await fh.close();
      if (errno(e) === 'EEXIST') throw new DomainError('SB_MEDIA_RECORDING_EXISTS', 409, `recording ${recordingId} already exists`);
      throw e;
    } finally {
      await unlink(tmp);
    }
    await syncDirectory(dir);
    if (created !== undefined) {
      for (let d = dir; dirname(d) !== d; d = dirname(d)) {
        await syncDirectory(dirname(d));
        if (d === created) break;
      }
    }
    return new LocalRecordingSink({ fh, path, recordingId, fileKey, prefix, end: start.length, syncs: this.#syncs });
  }

  async read(tenantId: string, recordingId: string): Promise<RecordingReadResult> {
    if (!RECORDING_ID_PATTERN.test(tenantId) || !RECORDING_ID_PATTERN.test(recordingId)) {
      return fail(RecordingReadError.InvalidId, 'tenant and recording ids must be 1 to 64 letters, digits, "_" or "-"');
    }
    let file: Buffer;
    try {
      file = await readFile(join(this.#root, tenantId, recordingId + EXTENSION));
    } catch (e) {
      if (errno(e) === 'ENOENT') return fail(RecordingReadError.NotFound, `recording ${recordingId} not found`);
      throw e;
    }
    return openRecording(file, this.#keys, tenantId, recordingId);
  }

  async remove(tenantId: string, recordingId: string): Promise<boolean> {
    checkIds(tenantId, recordingId);
    const dir = join(this.#root, tenantId);
    try {
      await unlink(join(dir, recordingId + EXTENSION));
    } catch (e) {
      if (errno(e) === 'ENOENT') return false;
      throw e;
    }
    await syncDirectory(dir);
    return true;
  }
}

type SinkState = 'open' | 'finished' | 'aborted' | 'failed';

/**
 * Syncs recordings in groups: the first chunk written after a pass arms the next one, which syncs
 * every recording written to in between, all at once.
 */
class GroupSync {
  readonly #timer: Pick<PacingTimer, 'wake'>;
  readonly #intervalMs: number;
  #written = new Set<LocalRecordingSink>();
  #armed = false;
  groups = 0;
  recordings = 0;

  constructor(timer: Pick<PacingTimer, 'wake'>, intervalMs: number) {
    this.#timer = timer;
    this.#intervalMs = intervalMs;
  }

  /** A chunk of `sink` was written: it is synced by the next pass. */
  written(sink: LocalRecordingSink): void {
    this.#written.add(sink);
    if (this.#armed) return;
    this.#armed = true;
    this.#timer.wake(() => this.#pass(), this.#intervalMs);
  }

  #pass(): void {
    this.#armed = false;
    const batch = this.#written;
    this.#written = new Set();
    this.groups++;
    for (const sink of batch) {
      this.recordings++;
      void sink.sync();
    }
  }
}

interface SinkInit {
  fh: FileHandle;
  path: string;
  recordingId: string;
  fileKey: KeyObject;
  prefix: Uint8Array;
  /** Offset just past the header. */
  end: number;
  syncs: GroupSync;
}

/** open -> finished | aborted; open -> failed (I/O error) -> aborted. */
class LocalRecordingSink implements RecordingSink {
  readonly #fh: FileHandle;
  readonly #path: string;
  readonly #recordingId: string;
  readonly #key: KeyObject;
  readonly #prefix: Uint8Array;
  /** Where each flushed chunk's sealed bytes lie, by segment index. */
  readonly #chunks: { at: number; length: number }[] = [];
  #state: SinkState = 'open';
  /** False once finish or abort has been called: later appends are refused at once. */
  #accepting = true;
  #nextIndex = 0;
  /** Offset just past the last segment written. */
  #end: number;
  readonly #syncs: GroupSync;
  /** Why the sink failed, for the error of every later call. */
  #cause: unknown;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(init: SinkInit) {
    this.#fh = init.fh;
    this.#path = init.path;
    this.#recordingId = init.recordingId;
    this.#key = init.fileKey;
    this.#prefix = init.prefix;
    this.#end = init.end;
    this.#syncs = init.syncs;
  }

  append(chunk: Uint8Array): Promise<void> {
    try {
      this.#checkAccepting();
      if (chunk.length > MAX_PLAINTEXT_BYTES) throw new RangeError(`a recording chunk is at most ${MAX_PLAINTEXT_BYTES} bytes`);
      // One index stays free for the final segment.
      if (this.#nextIndex >= HEADER_COUNTER - 1) throw new RangeError('a recording holds at most 2^32 - 2 chunks');
    } catch (e) {
      return Promise.reject(e);
    }
    // Sealed now, in call order, so the caller may reuse its buffer as soon as this returns.
    const index = this.#nextIndex++;
    const segment = seal(this.#key, this.#prefix, index, SegmentKind.Chunk, chunk);
    return this.#run(async () => {
      this.#checkOpen();
      const at = await this.#write(segment);
      this.#chunks[index] = { at: at + FRAME_BYTES, length: segment.sealedLength };
      this.#syncs.written(this);
    });
  }

  /** The group sync's turn: makes every segment written so far durable. Never rejects. */
  sync(): Promise<void> {
    return this.#run(async () => {
      if (this.#state !== 'open') return;
      try {
        await this.#fh.datasync();
      } catch (e) {
        this.#fail(e);
      }
    });
  }

  async finish(header: Uint8Array): Promise<RecordingFinished> {
    this.#checkAccepting();
    if (header.length > MAX_PLAINTEXT_BYTES) throw new RangeError(`a recording header is at most ${MAX_PLAINTEXT_BYTES} bytes`);
    this.#accepting = false;
    const index = this.#nextIndex++;
    const headerCopy = Buffer.from(header);
    return this.#run(async () => {
      this.#checkOpen();
      // The plaintext WAV starts with the header, which is known only now, so SHA-256 cannot run
      // alongside the appends. The chunks are read back from disk and decrypted one at a time:
      // the hash covers what is actually stored, and memory stays at one chunk.
      const hash = createHash('sha256').update(headerCopy);
      let bytes = headerCopy.length;
      for (let i = 0; i < index; i++) {
        const where = this.#chunks[i];
        if (!where) throw new Error(`recording ${this.#recordingId}: chunk ${i} was never written`);
        const sealed = Buffer.alloc(where.length);
        await readAll(this.#fh, sealed, where.at);
        const plain = unseal(this.#key, this.#prefix, i, SegmentKind.Chunk, sealed);
        if (!plain) {
          this.#state = 'failed';
          throw new Error(`recording ${this.#recordingId}: chunk ${i} reads back differently from what was written`);
        }
        hash.update(plain);
        bytes += plain.length;
      }
      const digest = hash.digest();
      const final = Buffer.alloc(FINAL_FIXED_BYTES + headerCopy.length);
      digest.copy(final, 0);
      final.writeBigUInt64BE(BigInt(bytes), DIGEST_BYTES);
      headerCopy.copy(final, FINAL_FIXED_BYTES);
      await this.#write(seal(this.#key, this.#prefix, index, SegmentKind.Final, final));
      // One sync makes the final segment and every chunk not yet synced by a group durable.
      try {
        await this.#fh.datasync();
      } catch (e) {
        this.#fail(e);
        throw e;
      }
      this.#state = 'finished';
      await this.#fh.close();
      return { bytes, sha256: digest.toString('hex') };
    });
  }

  abort(): Promise<void> {
    this.#accepting = false;
    return this.#run(async () => {
      if (this.#state === 'finished' || this.#state === 'aborted') return;
      this.#state = 'aborted';
      await this.#fh.close();
      try {
        await unlink(this.#path);
      } catch (e) {
        if (errno(e) !== 'ENOENT') throw e;
      }
      await syncDirectory(dirname(this.#path));
    });
  }

  /** Runs operations one after another in call order; one failing does not stop the next. */
  #run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(op);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #checkAccepting(): void {
    if (!this.#accepting) throw new Error(`recording ${this.#recordingId} is already finished or aborted`);
  }

  #checkOpen(): void {
    if (this.#state === 'open') return;
    const why = this.#cause instanceof Error ? `: ${this.#cause.message}` : '';
    throw new Error(`recording ${this.#recordingId} is ${this.#state}${why}`);
  }

  #fail(cause: unknown): void {
    this.#state = 'failed';
    this.#cause ??= cause;
  }

  /** Writes a segment at the end; on failure cuts the file back so it stays a clean unfinished recording. */
  async #write(segment: SealedSegment): Promise<number> {
    const at = this.#end;
    try {
      await writeAllv(this.#fh, segment.parts, at);
    } catch (e) {
      this.#fail(e);
      // Best effort: a reader also accepts a last segment cut short.
      await this.#fh.truncate(at).catch(() => undefined);
      throw e;
    }
    this.#end = at + FRAME_BYTES + segment.sealedLength;
    return at;
  }
}

interface FileHeader {
  keyId: string;
  tenantId: string;
  recordingId: string;
  salt: Uint8Array;
  prefix: Uint8Array;
  /** The header bytes before the tag (the tag's additional data). */
  signed: Uint8Array;
  tag: Uint8Array;
  /** Offset of the first segment. */
  end: number;
}

/** Decrypts and verifies a whole file read from `<tenantId>/<recordingId>.sbrec`. */
async function openRecording(file: Buffer, keys: RecordingKeys, tenantId: string, recordingId: string): Promise<RecordingReadResult> {
  const tampered = (why: string): RecordingReadResult => fail(RecordingReadError.Tampered, `recording ${recordingId} is damaged or was modified: ${why}`);
  const h = parseHeader(file);
  if (typeof h === 'string') return tampered(h);
  const k = await keys.keyById(h.tenantId, h.keyId);
  if (!k) return fail(RecordingReadError.UnknownKey, `recording ${recordingId} is encrypted under key id ${h.keyId}, which is not available`);
  const key = deriveFileKey(k.key, h.salt);
  if (!verifyHeaderTag(key, h)) return tampered('its header fails authentication');
  // The header is authentic from here on, so its ids are what the writer recorded.
  if (h.tenantId !== tenantId) return fail(RecordingReadError.WrongTenant, `the file stored as recording ${recordingId} belongs to another tenant`);
  if (h.recordingId !== recordingId) return tampered('the file holds a different recording');

  const chunks: Buffer[] = [];
  let final: Buffer | undefined;
  let pos = h.end;
  for (let index = 0; pos < file.length; index++) {
    const rest = file.length - pos;
    // A crash mid-append leaves a prefix of one segment (or, on some file systems, zeros).
    if (rest < FRAME_BYTES || allZero(file, pos)) break;
    const length = file.readUInt32BE(pos);
    if ((length ^ file.readUInt32BE(pos + 4)) >>> 0 !== 0xffffffff) return tampered(`segment ${index} has a damaged length`);
    if (length < TAG_BYTES || length > MAX_SEALED_BYTES) return tampered(`segment ${index} has an impossible length`);
    if (FRAME_BYTES + length > rest) break;
    if (index >= HEADER_COUNTER) return tampered('too many segments');
    const sealed = file.subarray(pos + FRAME_BYTES, pos + FRAME_BYTES + length);
    pos += FRAME_BYTES + length;
    // Only the file's last segment may be the final one: anything after it makes it fail below.
    const last = pos === file.length;
    const asFinal = last ? unseal(key, h.prefix, index, SegmentKind.Final, sealed) : undefined;
    if (asFinal) {
      final = asFinal;
      continue;
    }
    const chunk = unseal(key, h.prefix, index, SegmentKind.Chunk, sealed);
    if (!chunk) return tampered(`segment ${index} fails authentication`);
    chunks.push(chunk);
  }

  const hash = createHash('sha256');
  if (!final) {
    for (const c of chunks) hash.update(c);
    return { ok: true, bytes: concat(chunks), sha256: hash.digest('hex'), complete: false };
  }
  if (final.length < FINAL_FIXED_BYTES) return tampered('the final segment is too short');
  const header = final.subarray(FINAL_FIXED_BYTES);
  hash.update(header);
  for (const c of chunks) hash.update(c);
  const digest = hash.digest();
  const plain = concat([header, ...chunks]);
  if (!digest.equals(final.subarray(0, DIGEST_BYTES)) || final.readBigUInt64BE(DIGEST_BYTES) !== BigInt(plain.length)) {
    return tampered('the plaintext does not match the SHA-256 kept at finish');
  }
  return { ok: true, bytes: plain, sha256: digest.toString('hex'), complete: true };
}

function checkIds(tenantId: string, recordingId: string): void {
  // The ids become path components: the pattern admits no separator, dot segment or empty name.
  if (!RECORDING_ID_PATTERN.test(tenantId) || !RECORDING_ID_PATTERN.test(recordingId)) {
    throw new DomainError('SB_MEDIA_RECORDING_ID_INVALID', 400, 'tenant and recording ids must be 1 to 64 letters, digits, "_" or "-"');
  }
}

function fail(code: RecordingReadErrorCode, message: string): RecordingReadResult {
  return { ok: false, code, message };
}

/**
 * A key of this file's own from the tenant key and the file's random salt (RFC 5869). Nonces are
 * then unique per key by construction (NIST SP 800-38D §8.2.1: fixed field + invocation counter)
 * rather than by the luck of a random 64-bit prefix across all of a tenant's recordings.
 */
function deriveFileKey(tenantKey: KeyObject | Uint8Array, salt: Uint8Array): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', tenantKey, salt, FILE_KEY_INFO, 32)));
}

/** NIST SP 800-38D §8.2.1: 96-bit IV = 64-bit fixed field (the prefix) | 32-bit invocation counter. */
function nonce(prefix: Uint8Array, counter: number): Buffer {
  const iv = Buffer.alloc(PREFIX_BYTES + 4);
  iv.set(prefix, 0);
  iv.writeUInt32BE(counter, PREFIX_BYTES);
  return iv;
}

function segmentAad(index: number, kind: SegmentKind): Buffer {
  const aad = Buffer.alloc(5);
  aad.writeUInt32BE(index, 0);
  aad.writeUInt8(kind, 4);
  return aad;
}

/** A segment as written: its frame (`u32 L | u32 ~L`), ciphertext and tag, as separate buffers for one gathered write. */
interface SealedSegment {
  parts: Buffer[];
  /** L: ciphertext and tag. */
  sealedLength: number;
}

/** Seals `plain` as segment `index` (ciphertext followed by its 16-byte tag), framed, without joining the parts. */
function seal(key: KeyObject, prefix: Uint8Array, index: number, kind: SegmentKind, plain: Uint8Array): SealedSegment {
  const c = createCipheriv('aes-256-gcm', key, nonce(prefix, index), { authTagLength: TAG_BYTES });
  c.setAAD(segmentAad(index, kind));
  const body = c.update(plain);
  const rest = c.final();
  const tag = c.getAuthTag();
  const sealedLength = body.length + rest.length + tag.length;
  const frame = Buffer.allocUnsafe(FRAME_BYTES);
  frame.writeUInt32BE(sealedLength, 0);
  frame.writeUInt32BE(~sealedLength >>> 0, 4);
  return { parts: rest.length > 0 ? [frame, body, rest, tag] : [frame, body, tag], sealedLength };
}

/** The plaintext, or undefined when the segment fails authentication as `index`/`kind`. */
function unseal(key: KeyObject, prefix: Uint8Array, index: number, kind: SegmentKind, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < TAG_BYTES) return undefined;
  const d = createDecipheriv('aes-256-gcm', key, nonce(prefix, index), { authTagLength: TAG_BYTES });
  d.setAAD(segmentAad(index, kind));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plain = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([plain, d.final()]);
  } catch {
    return undefined;
  }
}

function headerTag(key: KeyObject, prefix: Uint8Array, signed: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce(prefix, HEADER_COUNTER), { authTagLength: TAG_BYTES });
  c.setAAD(signed);
  c.final();
  return c.getAuthTag();
}

function verifyHeaderTag(key: KeyObject, h: FileHeader): boolean {
  const d = createDecipheriv('aes-256-gcm', key, nonce(h.prefix, HEADER_COUNTER), { authTagLength: TAG_BYTES });
  d.setAAD(h.signed);
  d.setAuthTag(h.tag);
  try {
    d.final();
    return true;
  } catch {
    return false;
  }
}

function encodeHeader(keyId: string, tenantId: string, recordingId: string, salt: Uint8Array, prefix: Uint8Array): Buffer {
  const field = (s: string): Buffer => {
    const b = Buffer.from(s, 'latin1');
    return Buffer.concat([Buffer.of(b.length), b]);
  };
  return Buffer.concat([MAGIC, field(keyId), field(tenantId), field(recordingId), salt, prefix]);
}

/** The header's fields, or why it is not one. */
function parseHeader(file: Buffer): FileHeader | string {
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) return 'it does not start with "SBREC1"';
  let at = MAGIC.length;
  const field = (pattern: RegExp): string | undefined => {
    const n = file[at];
    if (n === undefined || at + 1 + n > file.length) return undefined;
    const s = file.toString('latin1', at + 1, at + 1 + n);
    at += 1 + n;
    return pattern.test(s) ? s : undefined;
  };
  const keyId = field(KEY_ID_PATTERN);
  const tenantId = field(RECORDING_ID_PATTERN);
  const recordingId = field(RECORDING_ID_PATTERN);
  if (keyId === undefined || tenantId === undefined || recordingId === undefined) return 'its header has a malformed id';
  if (at + SALT_BYTES + PREFIX_BYTES + TAG_BYTES > file.length) return 'its header is cut short';
  const salt = file.subarray(at, at + SALT_BYTES);
  const prefix = file.subarray(at + SALT_BYTES, at + SALT_BYTES + PREFIX_BYTES);
  const signedEnd = at + SALT_BYTES + PREFIX_BYTES;
  return {
    keyId, tenantId, recordingId, salt, prefix,
    signed: file.subarray(0, signedEnd),
    tag: file.subarray(signedEnd, signedEnd + TAG_BYTES),
    end: signedEnd + TAG_BYTES,
  };
}

function allZero(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw new Error('write made no progress');
    done += bytesWritten;
  }
}

/** Writes `parts` one after another from `position` with as few gathered writes as the file system allows. */
async function writeAllv(fh: FileHandle, parts: readonly Uint8Array[], position: number): Promise<void> {
  let total = 0;
  for (const p of parts) total += p.length;
  let rest = parts;
  for (let done = 0; done < total;) {
    const { bytesWritten } = await fh.writev(rest as Uint8Array[], position + done);
    if (bytesWritten === 0) throw new Error('write made no progress');
    done += bytesWritten;
    // A short write: go on from where it stopped.
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i]!.length) skip -= rest[i++]!.length;
    rest = i < rest.length ? [rest[i]!.subarray(skip), ...rest.slice(i + 1)] : [];
  }
}

async function readAll(fh: FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < into.length;) {
    const { bytesRead } = await fh.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error('the recording file is shorter than what was written');
    done += bytesRead;
  }
}

/** Makes a directory entry durable; skipped where a directory cannot be opened or synced (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP'].includes(errno(e) ?? '')) throw e;
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
