// Events the voice domain publishes (docs/events.md). Payloads are ids and facts.
import type { RtpSessionStats } from '../media/index.ts';

export type VoiceEvents = {
  /** A key pressed by a party of a call, reported once (RFC 4733, in-band tone or SIP INFO). */
  CallDigitReceived: { tenantId: string; callId: string; sipCallId: string; digit: string; source: 'rfc4733' | 'inband' | 'info' };
  CallRecordingStarted: { tenantId: string; callId: string; recordingId: string };
  /** The recording is complete in the store: its size, SHA-256 of the plaintext WAV and length. */
  CallRecordingStopped: { tenantId: string; callId: string; recordingId: string; bytes: number; sha256: string; durationMs: number; pausedMs: number };
  /** A call's media ended; per leg what was sent and received, loss and jitter (call quality). */
  CallMediaEnded: { tenantId: string; callId: string; legs: RtpSessionStats[] };
};
