// Uploaded prompts (ivr_prompt): recordings a workspace plays instead of text-to-speech. The upload
// is checked and converted to 8 kHz mono 16-bit WAV by the media engine's decoder (any WAV the
// engine reads: PCM16, µ-law, A-law, any rate), kept as a file `<dir>/<tenantId>/<id>.wav`, and
// described by a row. Tenant-scoped and audited.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { FlowActor } from './flows.sql.ts';

interface PromptTables {
  ivr_prompt: { id: string; tenant_id: string; name: string; duration_ms: number; bytes: number; created_at: string };
}

export interface UploadedPrompt { id: string; name: string; durationMs: number; bytes: number; createdAt: string }

export interface PromptLibraryDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
  directory: string;
  /** Reads any supported WAV into 8 kHz mono samples. */
  decode(bytes: Uint8Array): { ok: true; samples: Int16Array } | { ok: false; error: string };
  /** Writes 8 kHz mono samples as a WAV file's bytes. */
  encode(samples: Int16Array): Buffer;
}

/** Longest prompt accepted: ten minutes. */
const MAX_SAMPLES = 8000 * 600;

export class PromptLibrary {
  readonly #db: Kysely<PromptTables>;
  readonly #d: PromptLibraryDeps;

  constructor(deps: PromptLibraryDeps) {
    this.#db = tables<PromptTables>(deps.db);
    this.#d = deps;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  #file(tenantId: string, id: string): string {
    return join(this.#d.directory, tenantId, `${id}.wav`);
  }

  async list(tenantId: string): Promise<UploadedPrompt[]> {
    return (await this.#scope(tenantId).selectFrom('ivr_prompt').selectAll().orderBy('name').execute()).map(toPrompt);
  }

  async exists(tenantId: string, id: string): Promise<boolean> {
    return !!(await this.#scope(tenantId).selectFrom('ivr_prompt').select('id').where('id', '=', id).executeTakeFirst());
  }

  /** The file to play for a prompt of this workspace, or undefined. */
  async path(tenantId: string, id: string): Promise<string | undefined> {
    return (await this.exists(tenantId, id)) ? this.#file(tenantId, id) : undefined;
  }

  async upload(tenantId: string, name: string, wav: Uint8Array, actor?: FlowActor): Promise<UploadedPrompt> {
    const decoded = this.#d.decode(wav);
    if (!decoded.ok) throw new DomainError('SB_IVR_PROMPT_UNUSABLE', 400, `the upload is not a usable WAV file: ${decoded.error}`, { field: 'body' });
    if (decoded.samples.length === 0) throw new DomainError('SB_IVR_PROMPT_UNUSABLE', 400, 'the WAV file holds no audio', { field: 'body' });
    if (decoded.samples.length > MAX_SAMPLES) throw new DomainError('SB_IVR_PROMPT_UNUSABLE', 400, 'prompts are limited to ten minutes', { field: 'body' });
    const s = this.#scope(tenantId);
    if (await s.selectFrom('ivr_prompt').select('id').where('name', '=', name).executeTakeFirst()) {
      throw new DomainError('SB_IVR_PROMPT_EXISTS', 409, `a prompt named ${name} already exists`);
    }
    const id = newId();
    const bytes = this.#d.encode(decoded.samples);
    const file = this.#file(tenantId, id);
    await mkdir(join(this.#d.directory, tenantId), { recursive: true, mode: 0o700 });
    await writeFile(`${file}.tmp`, bytes, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    const row = { id, name, duration_ms: Math.round(decoded.samples.length / 8), bytes: bytes.length, created_at: new Date(this.#d.clock.now()).toISOString() };
    await s.insertInto('ivr_prompt', row).execute();
    await this.#d.audit.append({ tenantId, action: 'ivr.prompt.uploaded', targetType: 'ivr_prompt', targetId: id, details: { name }, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null });
    return toPrompt({ ...row, tenant_id: tenantId });
  }

  async remove(tenantId: string, id: string, actor?: FlowActor): Promise<void> {
    const r = await this.#scope(tenantId).deleteFrom('ivr_prompt').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('prompt');
    await rm(this.#file(tenantId, id), { force: true });
    await this.#d.audit.append({ tenantId, action: 'ivr.prompt.deleted', targetType: 'ivr_prompt', targetId: id, details: {}, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null });
  }
}

const toPrompt = (r: PromptTables['ivr_prompt']): UploadedPrompt => ({ id: r.id, name: r.name, durationMs: Number(r.duration_ms), bytes: Number(r.bytes), createdAt: r.created_at });
