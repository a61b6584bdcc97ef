// Call recordings for the people allowed to hear them: a search over the interactions that have a
// recording (by day range, agent, queue, customer number, disposition), and playback of the
// decrypted WAV, each access written to the audit trail with who heard which recording.
import type { AuditRecord } from '../audit/index.ts';
import type { Interaction, InteractionQuery } from '../interactions/index.ts';
import { DomainError, notFound } from '../kernel/index.ts';
import { wavHeader, type RecordingReadResult } from '../media/index.ts';

export interface RecordingQuery {
  from?: string | undefined;
  to?: string | undefined;
  agentId?: string | undefined;
  queueId?: string | undefined;
  /** Digits of the customer's number; matches the end of it (a national number finds its E.164 form). */
  number?: string | undefined;
  disposition?: string | undefined;
  limit?: number | undefined;
}

export interface RecordingHit {
  recordingId: string;
  interactionId: string;
  arrivedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  caller: string | null;
  direction: string;
  agentId: string | null;
  queueId: string | null;
  disposition: string | null;
  outcome: string | null;
}

export interface RecordingsDeps {
  interactions: { list(tenantId: string, q: InteractionQuery): Promise<Interaction[]> };
  /** The recording store; undefined on a server without media (nothing can be played). */
  store: { read(tenantId: string, recordingId: string): Promise<RecordingReadResult> } | undefined;
  audit: { append(rec: AuditRecord): Promise<void> };
}

export interface RecordingListener { userId: string; name: string; ip: string | null }

/** Interactions examined per search at most (newest first), so a search stays bounded. */
export const SCAN_LIMIT = 5000;
const PAGE = 500;
/** Recordings are 8 kHz 16-bit stereo: the customer on the left, the agent on the right (media/recorder.ts). */
const RECORDING_FORMAT = { sampleRate: 8000, channels: 2, format: 'pcm16' } as const;

const digits = (s: string) => s.replace(/\D/g, '');

export class Recordings {
  readonly #d: RecordingsDeps;

  constructor(deps: RecordingsDeps) {
    this.#d = deps;
  }

  /** Recorded interactions matching every given filter, newest first. */
  async search(tenantId: string, q: RecordingQuery): Promise<RecordingHit[]> {
    const want = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const number = q.number ? digits(q.number) : '';
    const hits: RecordingHit[] = [];
    let before: string | undefined;
    for (let scanned = 0; scanned < SCAN_LIMIT && hits.length < want;) {
      const page = await this.#d.interactions.list(tenantId, { from: q.from, to: q.to, agentId: q.agentId, queueId: q.queueId, before, limit: PAGE });
      scanned += page.length;
      for (const r of page) {
        if (!r.recordingId) continue;
        if (number && !digits(r.customerAddress ?? '').endsWith(number)) continue;
        if (q.disposition && r.disposition !== q.disposition) continue;
        hits.push({
          recordingId: r.recordingId, interactionId: r.id, arrivedAt: r.arrivedAt, answeredAt: r.answeredAt, endedAt: r.endedAt, caller: r.customerAddress,
          direction: r.direction, agentId: r.agentId, queueId: r.queueId, disposition: r.disposition, outcome: r.outcome,
        });
        if (hits.length === want) break;
      }
      if (page.length < PAGE) break;
      before = page.at(-1)!.arrivedAt;
    }
    return hits;
  }

  /**
   * The recording as a WAV file, after writing the access to the audit trail. A recording that was
   * never finished (the server stopped during the call) gets a header for the audio that was kept.
   * SB_NOT_FOUND for none; SB_DESKTOP_RECORDING_UNREADABLE when it fails verification.
   */
  async open(tenantId: string, recordingId: string, listener: RecordingListener, context: { interactionId?: string } = {}): Promise<Uint8Array> {
    if (!this.#d.store) throw notFound('recording');
    const r = await this.#d.store.read(tenantId, recordingId);
    if (!r.ok) {
      if (r.code === 'not-found' || r.code === 'invalid-id') throw notFound('recording');
      throw new DomainError('SB_DESKTOP_RECORDING_UNREADABLE', 409, 'the recording fails verification and cannot be played', { recordingId });
    }
    await this.#d.audit.append({
      tenantId, action: 'recording.played', targetType: 'recording', targetId: recordingId,
      actorId: listener.userId, actorName: listener.name, ip: listener.ip, details: { ...context, complete: r.complete },
    });
    if (r.complete) return r.bytes;
    const header = wavHeader({ ...RECORDING_FORMAT, dataBytes: r.bytes.length });
    const whole = new Uint8Array(header.length + r.bytes.length);
    whole.set(header, 0);
    whole.set(r.bytes, header.length);
    return whole;
  }
}
