// The storage port for call recordings. A recording is written as it happens: chunks of audio
// (each at least one second) in order, then, on hang-up, the WAV header that logically comes
// first but whose sizes are only known at the end. Adapters keep recordings encrypted at rest
// under a per-tenant key (`RecordingKeys`) and keep the SHA-256 of the plaintext WAV file.
import type { KeyObject } from 'node:crypto';

/** Tenant and recording ids: letters, digits, `_` and `-`, 1 to 64 of them (a UUID fits). */
export const RECORDING_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface RecordingStore {
  /**
   * Starts a new recording. Rejects with a DomainError `SB_MEDIA_RECORDING_ID_INVALID` for an id
   * outside RECORDING_ID_PATTERN and `SB_MEDIA_RECORDING_EXISTS` when the recording already exists.
   */
  create(tenantId: string, recordingId: string): Promise<RecordingSink>;
  /**
   * Reads, decrypts and verifies a whole recording. Never throws for a missing, damaged or
   * misplaced file or a bad id: those come back as `{ ok: false, code }`. Throws only when the
   * storage itself fails (permissions, I/O errors).
   */
  read(tenantId: string, recordingId: string): Promise<RecordingReadResult>;
  /**
   * Deletes a recording; false when there was none. Rejects with `SB_MEDIA_RECORDING_ID_INVALID`
   * for a bad id.
   */
  remove(tenantId: string, recordingId: string): Promise<boolean>;
}

/**
 * One recording being written. Lifecycle: open -> finished | aborted (an I/O failure leaves it
 * failed: later appends and finish reject, abort still discards it). Calls may be issued without
 * waiting for the previous one; they take effect in call order.
 */
export interface RecordingSink {
  /**
   * Appends one chunk of plaintext; chunks arrive in order, each ≥ 1 s of audio except possibly
   * the last. Takes what it needs of `chunk` before it returns, so the caller may reuse the buffer
   * at once. Resolves once the chunk is written (`read` sees it); it is on stable storage from the
   * adapter's next sync on (the local store: one sync of every open recording per interval, and
   * at finish), and a crash keeps every chunk synced before it (`read` then reports
   * `complete: false`).
   */
  append(chunk: Uint8Array): Promise<void>;
  /**
   * The plaintext that logically comes first but is only known at the end (the WAV header, whose
   * sizes depend on the length). Closes the recording; resolves, once all of it is on stable
   * storage, with its size and the SHA-256 (lower-case hex) of header + all chunks in order, i.e.
   * of the plaintext WAV file.
   */
  finish(header: Uint8Array): Promise<RecordingFinished>;
  /**
   * Stops and deletes the recording, chunks already flushed included; does nothing once finished.
   * (To keep what was flushed, stop without aborting: it reads back as `complete: false`.)
   */
  abort(): Promise<void>;
}

export interface RecordingFinished {
  /** Plaintext bytes: header + chunks. */
  bytes: number;
  /** SHA-256 of the plaintext, lower-case hex. */
  sha256: string;
}

export const RecordingReadError = {
  /** No such recording for this tenant. */
  NotFound: 'not-found',
  /** A tenant or recording id outside RECORDING_ID_PATTERN. */
  InvalidId: 'invalid-id',
  /** The file fails authentication or is malformed: modified, reordered, spliced or corrupt. */
  Tampered: 'tampered',
  /** An authentic recording of another tenant, placed under this tenant's name. */
  WrongTenant: 'wrong-tenant',
  /** Encrypted under a key id the key source does not hold (e.g. a different master key). */
  UnknownKey: 'unknown-key',
} as const;
export type RecordingReadErrorCode = (typeof RecordingReadError)[keyof typeof RecordingReadError];

/**
 * `complete: true`: `bytes` is the plaintext WAV file (header + chunks) and `sha256` matched the
 * one kept at finish. `complete: false`: the sink was never finished (crash, restart, or a write
 * cut short): `bytes` holds only the chunks that were flushed, in order and authenticated,
 * without the header, and `sha256` is their hash; the caller rebuilds a header to recover the
 * recording. Truncating a finished recording is indistinguishable from that and reads the same
 * way, never as complete. Messages name ids only, never key material.
 */
export type RecordingReadResult =
  | { ok: true; bytes: Uint8Array; sha256: string; complete: boolean }
  | { ok: false; code: RecordingReadErrorCode; message: string };

export interface RecordingKey {
  /** Names the key in files so it can be found again after rotation: 1–64 of [A-Za-z0-9._-]. */
  keyId: string;
  /** 32 bytes for AES-256. */
  key: KeyObject | Uint8Array;
}

/** Where per-tenant recording keys come from. */
export interface RecordingKeys {
  /** The key new recordings of this tenant are encrypted under. */
  keyFor(tenantId: string): Promise<RecordingKey>;
  /** The key a recording names; undefined when that key id is not held (recordings keep their key id). */
  keyById(tenantId: string, keyId: string): Promise<RecordingKey | undefined>;
}
