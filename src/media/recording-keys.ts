// Per-tenant recording keys derived from one 32-byte master key. The master key is configured
// (base64) or, when none is, generated once and kept in a key file readable by its owner only.
// Derivation is HKDF-SHA256 (RFC 5869) with the key id and the tenant id in `info`, so every
// tenant has its own key and a recording of one tenant does not decrypt as another's.
import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DomainError } from '../kernel/index.ts';
import type { RecordingKey, RecordingKeys } from './recording-store.ts';

export interface RecordingKeysOptions {
  /** Base64 (standard or URL-safe alphabet) of exactly 32 bytes, e.g. `openssl rand -base64 32`. */
  masterKeyBase64?: string | undefined;
  /** Where the generated master key is kept when none is configured (created 0600, its folder 0700). */
  keyFile: string;
}

const MASTER_KEY_BYTES = 32;
const KEY_ID_LABEL = 'switchboard/recording/key-id/v1';
const TENANT_KEY_LABEL = 'switchboard/recording/tenant-key/v1';
/** 43 base64 characters carry 32 bytes (the last one's low two bits zero), plus optional padding. */
const BASE64_32 = /^(?:[A-Za-z0-9+/]{42}|[A-Za-z0-9_-]{42})[AEIMQUYcgkosw048]=?$/;

/**
 * Loads or creates the master key and returns the key source. Rejects with
 * `SB_MEDIA_RECORDING_KEY_INVALID` when the configured key or the key file's content is not
 * base64 of exactly 32 bytes; the message never repeats the value.
 */
export async function createRecordingKeys(opts: RecordingKeysOptions): Promise<RecordingKeys> {
  if (opts.masterKeyBase64 !== undefined) {
    const key = decodeMasterKey(opts.masterKeyBase64);
    if (!key) {
      throw new DomainError('SB_MEDIA_RECORDING_KEY_INVALID', 500,
        'the configured recording master key (SB_RECORDING_KEY) must be base64 of exactly 32 bytes, e.g. from `openssl rand -base64 32`');
    }
    return new DerivedRecordingKeys(key);
  }
  return new DerivedRecordingKeys(await loadOrCreateKeyFile(opts.keyFile));
}

/** Key id and per-tenant keys from one master key; later master keys can sit beside it under other ids. */
export class DerivedRecordingKeys implements RecordingKeys {
  readonly keyId: string;
  readonly #master: KeyObject;
  readonly #tenantKeys = new Map<string, RecordingKey>();

  /** Takes a copy of the 32-byte master key and wipes the given buffer. */
  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== MASTER_KEY_BYTES) throw new Error(`a recording master key is ${MASTER_KEY_BYTES} bytes`);
    this.#master = createSecretKey(Buffer.from(masterKey));
    masterKey.fill(0);
    // A one-way fingerprint of the master key, so a file names the key it needs without revealing it.
    const id = Buffer.from(hkdfSync('sha256', this.#master, new Uint8Array(0), KEY_ID_LABEL, 8));
    this.keyId = `mk1-${id.toString('hex')}`;
  }

  keyFor(tenantId: string): Promise<RecordingKey> {
    let k = this.#tenantKeys.get(tenantId);
    if (!k) {
      k = { keyId: this.keyId, key: this.#derive(tenantId) };
      this.#tenantKeys.set(tenantId, k);
    }
    return Promise.resolve(k);
  }

  keyById(tenantId: string, keyId: string): Promise<RecordingKey | undefined> {
    return keyId === this.keyId ? this.keyFor(tenantId) : Promise.resolve(undefined);
  }

  #derive(tenantId: string): KeyObject {
    // RFC 5869 §3.1: the master key is already uniformly random, so the salt may be empty; `info`
    // binds the output to its purpose, the key id and the tenant (each length-prefixed, so no two
    // tenants' inputs can coincide).
    const label = Buffer.from(TENANT_KEY_LABEL, 'utf8');
    const keyId = Buffer.from(this.keyId, 'utf8');
    const tenant = Buffer.from(tenantId, 'utf8');
    if (tenant.length === 0 || tenant.length > 0xffff) throw new Error('tenant id must be 1 to 65535 bytes');
    const info = Buffer.alloc(label.length + 1 + keyId.length + 2 + tenant.length);
    let at = label.copy(info, 0);
    at = info.writeUInt8(keyId.length, at);
    at += keyId.copy(info, at);
    at = info.writeUInt16BE(tenant.length, at);
    tenant.copy(info, at);
    return createSecretKey(Buffer.from(hkdfSync('sha256', this.#master, new Uint8Array(0), info, 32)));
  }
}

/** The 32 bytes the text encodes, or undefined when it is not base64 of exactly 32 bytes. */
function decodeMasterKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (!BASE64_32.test(t)) return undefined;
  const key = Buffer.from(t, 'base64');
  return key.length === MASTER_KEY_BYTES ? key : undefined;
}

async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(dir, 0o700);
  // Written under a temporary name and linked into place: a crash never leaves a half-written key
  // file, and of two processes starting at once the second adopts the first one's key.
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(MASTER_KEY_BYTES);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    key.fill(0);
    const theirs = await readKeyFile(path);
    if (!theirs) throw new Error(`recording key file ${path} vanished while being created`);
    return theirs;
  } finally {
    await unlink(tmp);
  }
  await syncDirectory(dir);
  return key;
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const key = decodeMasterKey(text);
  if (!key) throw new DomainError('SB_MEDIA_RECORDING_KEY_INVALID', 500, `recording key file ${path} does not hold base64 of exactly 32 bytes`);
  return key;
}

/** Makes a new directory entry durable; skipped where a directory cannot be opened or synced (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
}
