// The record of one contact, whatever its channel: when it arrived, entered and left the IVR, was
// queued, first offered, answered and ended; when its wrap-up ended; how it ended and who ended it;
// and its segments in order (IVR, queue, each offer, talk, hold, transfer, wrap-up).

export const SEGMENT_KINDS = ['ivr', 'queue', 'offer', 'talk', 'hold', 'transfer', 'wrap-up', 'voicemail'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * How an interaction ended:
 * - answered: an agent took it;
 * - abandoned: the customer left while queued or being offered, before any agent answered;
 * - abandoned-ivr: the customer left in the IVR, before being queued;
 * - self-service: the IVR ended it (a message, then hang-up);
 * - overflowed: it left its queue for voicemail, callback or hang-up after the longest wait;
 * - voicemail, callback: the customer left a message or asked to be called back;
 * - transferred-out: sent to an outside number without an agent;
 * - failed: the call could not be completed (no route, network failure).
 */
export const OUTCOMES = ['answered', 'abandoned', 'abandoned-ivr', 'self-service', 'overflowed', 'voicemail', 'callback', 'transferred-out', 'failed'] as const;
export type InteractionOutcome = (typeof OUTCOMES)[number];

export interface Segment {
  seq: number;
  kind: SegmentKind;
  agentId: string | null;
  queueId: string | null;
  startedAt: string;
  endedAt: string | null;
  outcome: string | null;
  data: Record<string, unknown> | null;
}

export interface Interaction {
  id: string;
  channel: string;
  direction: 'inbound' | 'outbound' | 'internal';
  customerAddress: string | null;
  customerId: string | null;
  dialled: string | null;
  flowId: string | null;
  language: string | null;
  /** The last queue it was in, and the agent who answered it last. */
  queueId: string | null;
  agentId: string | null;
  arrivedAt: string;
  ivrEnteredAt: string | null;
  ivrLeftAt: string | null;
  queuedAt: string | null;
  firstOfferedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  wrapUpEndedAt: string | null;
  outcome: InteractionOutcome | null;
  endedBy: 'customer' | 'agent' | 'system' | null;
  offers: number;
  transfers: number;
  holds: number;
  holdMs: number;
  disposition: string | null;
  notes: string | null;
  recordingId: string | null;
  ivrPath: unknown[];
  segments: Segment[];
}

export interface InteractionQuery {
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
  agentId?: string | undefined;
  queueId?: string | undefined;
  customerId?: string | undefined;
  limit?: number | undefined;
}
