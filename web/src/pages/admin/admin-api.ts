// The admin console's requests: the shared API client's errors plus the server's `details`
// (`details.field` names the offending field, `details.issues` lists a flow's issues), WAV uploads,
// and the types of what the admin pages read.
import { api, ApiError } from '../../api.ts';

export interface FlowIssue { path: string; message: string }

/** An error of the admin API: an `ApiError` that also reads a flow's issues from its details. */
export class AdminApiError extends ApiError {
  get issues(): FlowIssue[] {
    const list = this.details['issues'];
    return Array.isArray(list) ? list.filter((i): i is FlowIssue => typeof i?.path === 'string' && typeof i?.message === 'string') : [];
  }
}

async function send<T>(method: string, path: string, headers: Record<string, string>, body: BodyInit | undefined): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers, body });
  } catch {
    throw new AdminApiError('network', 0, 'network error', {});
  }
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => ({}))) as { code?: string; message?: string; details?: Record<string, unknown> };
  if (!res.ok) {
    // A 401 means the session ended: the shared client takes the app back to the login page.
    if (res.status === 401) await api('GET', '/api/auth/me').catch(() => undefined);
    throw new AdminApiError(payload.code ?? 'unknown', res.status, payload.message ?? res.statusText, payload.details ?? {});
  }
  return payload as T;
}

export function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? {} : { 'content-type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
}

/** Uploads a WAV file as the body (RFC 2361 audio/wav). */
export function uploadWav<T>(path: string, file: Blob): Promise<T> {
  return send<T>('POST', path, { 'content-type': 'audio/wav' }, file);
}

export interface Phone { id: string; username: string; displayName: string; userId: string | null; createdAt: string }
export interface Trunk { id: string; name: string; host: string; port: number; transport: string; realm: string; username: string | null; callerId: string | null }
export interface Agent {
  id: string; displayName: string; state: string; reason: string | null; stateSince: string;
  skills: Record<string, number>; capacity: Record<string, number>; load: Record<string, number>;
}
export interface SkillRequirement { skill: string; minProficiency: number }
export interface RelaxationStep { afterSeconds: number; drop?: string[]; lower?: SkillRequirement[] }
export type Overflow = { kind: 'queue'; queueId: string } | { kind: 'voicemail' } | { kind: 'callback' } | { kind: 'hangup' };
export interface QueueSettings {
  priority: number; strategy: string; requirements: SkillRequirement[]; relaxation: RelaxationStep[];
  agingSecondsPerLevel: number | null; maxWaitSeconds: number | null; overflow: Overflow | null;
  offerTimeoutSeconds: number; wrapUpSeconds: number; announceEverySeconds: number | null;
  holdMusicPromptId: string | null; dispositions: string[]; serviceLevelSeconds: number;
}
export interface Queue { id: string; name: string; settings: QueueSettings; stats: { waiting: number; longestWaitMs: number; offered: number }; createdAt: string; updatedAt: string }
export interface Prompt { id: string; name: string; durationMs: number; bytes: number; createdAt: string }
export interface Flow { id: string; name: string; description: string | null; publishedVersion: number | null; latestVersion: number; createdAt: string; updatedAt: string }
export interface FlowVersion { version: number; document: unknown; createdAt: string; createdBy: string | null; publishedAt: string | null; issues: FlowIssue[] }
export interface OpeningRange { start: string; end: string }
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export interface Holiday { date: string; name: string; hours?: OpeningRange[] }
export interface Calendar { id: string; name: string; timeZone: string; weekly: Record<Weekday, OpeningRange[]>; holidays: Holiday[]; createdAt: string; updatedAt: string }
export interface CalendarStatus { at: string; open: boolean; nextChange: string | null }
export interface DialledNumber { id: string; number: string; label: string | null; flowId: string | null; createdAt: string }
export interface UnknownNumberTreatment { status: 404 | 480; announce: boolean }
export interface CustomerField { key: string; label: string; type: string; options: string[]; required: boolean }
