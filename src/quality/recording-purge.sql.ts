// Deletes recordings once the workspace's retention policy says they are due. Every finished call
// recording (CallRecordingStopped) and voicemail (VoicemailRecorded) is noted in quality_recording
// with the instant it was finished; the job visits each workspace with a limited policy, removes
// the due recordings from the recording store, and marks their rows deleted (the row stays, so
// "deleted by the retention policy on …" can be told from "never recorded"). Audited per run.
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import type { Clock, EventSubscriber, Logger, TimerHandle } from '../kernel/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { VoiceEvents } from '../voice/index.ts';
import type { RetentionPolicy } from './retention-policy.sql.ts';
import { retentionCutoff } from './retention.ts';

export interface RecordingTables {
  quality_recording: {
    tenant_id: string; recording_id: string; call_id: string; kind: string; recorded_at: string; deleted_at: string | null;
  };
}

export const RECORDING_KINDS = { Call: 'call', Voicemail: 'voicemail' } as const;
export type RecordingKind = (typeof RECORDING_KINDS)[keyof typeof RECORDING_KINDS];

export interface GovernedRecording {
  recordingId: string; callId: string; kind: RecordingKind; recordedAt: string; deletedAt: string | null;
}

export interface RecordingPurgeDeps {
  db: SqlDatabase;
  bus: EventSubscriber<Pick<VoiceEvents, 'CallRecordingStopped' | 'VoicemailRecorded'>>;
  clock: Clock;
  policy: RetentionPolicy;
  /** The recording store (media); `remove` answers false for a recording that is already gone. */
  recordings: { remove(tenantId: string, recordingId: string): Promise<boolean> };
  audit: { append(rec: AuditRecord): Promise<void> };
  log: Logger;
  /** Time between runs (default one hour). */
  everyMs?: number;
}

/** Recordings removed per workspace and statement; a run repeats until none is due. */
const BATCH = 200;
const HOUR_MS = 3_600_000;

export class RecordingPurge {
  readonly #d: RecordingPurgeDeps;
  readonly #db: Kysely<RecordingTables>;
  readonly #pending = new Set<Promise<void>>();
  readonly #unsubscribe: (() => void)[] = [];
  #timer: TimerHandle | undefined;
  #running: Promise<unknown> | undefined;

  constructor(deps: RecordingPurgeDeps) {
    this.#d = deps;
    this.#db = tables<RecordingTables>(deps.db);
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  /** Notes recordings as they are finished and runs the purge now and then every `everyMs`. */
  start(): void {
    const iso = () => new Date(this.#d.clock.now()).toISOString();
    this.#unsubscribe.push(
      this.#d.bus.subscribe('CallRecordingStopped', (p) => this.#note(p.tenantId, { recordingId: p.recordingId, callId: p.callId, kind: RECORDING_KINDS.Call, recordedAt: iso() })),
      this.#d.bus.subscribe('VoicemailRecorded', (p) => this.#note(p.tenantId, { recordingId: p.recordingId, callId: p.callId, kind: RECORDING_KINDS.Voicemail, recordedAt: p.at })),
    );
    this.#schedule(0);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  /** Resolves once every recording noted so far is written and a run in progress has finished. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    await this.#running;
  }

  #schedule(ms: number): void {
    this.#timer = this.#d.clock.setTimeout(() => {
      this.#running = this.run().catch((err: unknown) => this.#d.log.error({ err }, 'recording purge failed')).finally(() => {
        if (this.#timer) this.#schedule(this.#d.everyMs ?? HOUR_MS);
      });
    }, ms);
  }

  #note(tenantId: string, r: Omit<GovernedRecording, 'deletedAt'>): void {
    const write = this.#scope(tenantId)
      .insertInto('quality_recording', { recording_id: r.recordingId, call_id: r.callId, kind: r.kind, recorded_at: r.recordedAt, deleted_at: null })
      // TenantScope's insert builder is typed over any tenant table, so its columns are named untyped here.
      .onConflict((oc) => oc.columns(['tenant_id', 'recording_id'] as never[]).doNothing())
      .execute()
      .then(() => undefined, (err: unknown) => this.#d.log.error({ err, tenantId, recordingId: r.recordingId }, 'could not note a recording'));
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  /** A workspace's governed recordings, newest first. */
  async recordings(tenantId: string, limit = 100): Promise<GovernedRecording[]> {
    const rows = await this.#scope(tenantId).selectFrom('quality_recording').selectAll().orderBy('recorded_at', 'desc').orderBy('recording_id').limit(limit).execute();
    return rows.map((r) => ({ recordingId: r.recording_id, callId: r.call_id, kind: r.kind as RecordingKind, recordedAt: r.recorded_at, deletedAt: r.deleted_at }));
  }

  /** One pass over every workspace with a limited policy; answers how many recordings each lost. */
  async run(): Promise<{ tenantId: string; deleted: number }[]> {
    const out: { tenantId: string; deleted: number }[] = [];
    for (const { tenantId, days } of await this.#d.policy.limited()) {
      const deleted = await this.#purgeTenant(tenantId, days);
      if (deleted > 0) {
        out.push({ tenantId, deleted });
        await this.#d.audit.append({
          tenantId, action: 'quality.recordings.deleted', targetType: 'quality_setting', targetId: tenantId,
          details: { count: deleted, retentionDays: days }, actorId: null, actorName: 'system', ip: null,
        });
      }
    }
    return out;
  }

  async #purgeTenant(tenantId: string, days: number): Promise<number> {
    const now = this.#d.clock.now();
    const cutoff = retentionCutoff(now, days);
    const s = this.#scope(tenantId);
    let deleted = 0;
    for (;;) {
      const due = await s.selectFrom('quality_recording').select('recording_id')
        .where('deleted_at', 'is', null).where('recorded_at', '<=', cutoff).orderBy('recorded_at').limit(BATCH).execute();
      let removed = 0;
      for (const { recording_id: id } of due) {
        try {
          await this.#d.recordings.remove(tenantId, id);
        } catch (err) {
          this.#d.log.error({ err, tenantId, recordingId: id }, 'could not delete a recording');
          continue;
        }
        await s.updateTable('quality_recording').set({ deleted_at: new Date(now).toISOString() }).where('recording_id', '=', id).execute();
        removed++;
      }
      deleted += removed;
      if (due.length < BATCH || removed === 0) return deleted;
    }
  }
}
