// Events the voice domain publishes (docs/events.md). Payloads are ids and facts; `at` is ISO UTC.
import type { RtpSessionStats } from '../media/index.ts';

/** Who ended a call. */
export type CallEndedBy = 'customer' | 'agent' | 'system';

/** Where a call was sent on. */
export type CallTarget = { kind: 'agent' | 'queue' | 'number' | 'extension'; id: string };

export type VoiceEvents = {
  /** A call reached Switchboard (a DID from a carrier or phone, or a call Switchboard placed). */
  CallArrived: { tenantId: string; callId: string; direction: 'inbound' | 'outbound' | 'internal'; from: string; to: string; at: string };
  /** Switchboard answered the caller itself (the IVR speaks). */
  CallAnswered: { tenantId: string; callId: string; at: string };
  /** An agent's phone answered and is bridged with the customer. */
  CallConnected: { tenantId: string; callId: string; agentId: string | null; at: string };
  /** A caller asked to be called back: a new (outbound) interaction `callId` waits in the queue. */
  CallbackRequested: { tenantId: string; callId: string; originalCallId: string; number: string; queueId: string; at: string };
  CallHeld: { tenantId: string; callId: string; agentId: string | null; at: string };
  CallResumed: { tenantId: string; callId: string; agentId: string | null; at: string };
  /** The customer was sent on by the agent (`fromAgentId`) or the IVR. */
  CallTransferred: { tenantId: string; callId: string; fromAgentId: string | null; target: CallTarget; mode: 'blind' | 'attended'; at: string };
  /** A third party joined the customer and the agent (a three-way conference). */
  CallConferenced: { tenantId: string; callId: string; agentId: string | null; target: CallTarget; at: string };
  /** A supervisor is listening, whispering to the agent, or barged in (each change of mode again). */
  CallMonitored: { tenantId: string; callId: string; supervisorId: string; agentId: string | null; mode: 'listen' | 'whisper' | 'barge'; at: string };
  /** The customer's leg ended. */
  CallEnded: { tenantId: string; callId: string; endedBy: CallEndedBy; reason: string; at: string };
  /** A caller left a voicemail (a recording in the store). */
  VoicemailRecorded: { tenantId: string; callId: string; recordingId: string; durationMs: number; at: string };
  /** A key pressed by a party of a call, reported once (RFC 4733, in-band tone or SIP INFO). */
  CallDigitReceived: { tenantId: string; callId: string; sipCallId: string; digit: string; source: 'rfc4733' | 'inband' | 'info' };
  CallRecordingStarted: { tenantId: string; callId: string; recordingId: string };
  /** The recording is complete in the store: its size, SHA-256 of the plaintext WAV and length. */
  CallRecordingStopped: { tenantId: string; callId: string; recordingId: string; bytes: number; sha256: string; durationMs: number; pausedMs: number };
  /** A call's media ended; per leg what was sent and received, loss and jitter (call quality). */
  CallMediaEnded: { tenantId: string; callId: string; legs: RtpSessionStats[] };
};
