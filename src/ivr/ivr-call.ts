// What the IVR needs of a live call: the port the voice layer implements for each call it hands to
// a flow. The interpreter never touches SIP or RTP; it plays, listens for keys, and finally hands
// the call on (queue, transfer, voicemail, callback) or hangs up.
import type { FlowLanguage, SkillNeed, TransferTarget } from './flow-document.ts';

/** A prompt ready to play: text already rendered, language chosen. */
export type SpokenPrompt =
  | { kind: 'say'; text: string; language: FlowLanguage }
  | { kind: 'recording'; id: string }
  | { kind: 'tone'; name: 'beep' | 'ringback' | 'busy' }
  | { kind: 'silence'; ms: number };

export interface PlayResult {
  outcome: 'finished' | 'interrupted' | 'hung-up';
  /** Prompts that could not be played (the caller heard a fallback tone instead), with why. */
  failures: string[];
}

export interface CollectOptions {
  maxDigits: number;
  terminator?: string | undefined;
  /** Wait for the first key (keys typed during the prompt count as already typed). */
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
}

export interface CollectResult {
  digits: string;
  ended: 'max' | 'terminator' | 'timeout' | 'hung-up';
}

export interface QueueRequest {
  queueId: string;
  priority: number;
  requirements: SkillNeed[];
  language: FlowLanguage;
  callbackKey?: string | undefined;
}

export interface IvrCall {
  readonly callId: string;
  readonly tenantId: string;
  /** The caller's number or SIP user, as presented. */
  readonly caller: string;
  /** The number dialled (the DID). */
  readonly dialled: string;
  readonly hungUp: boolean;
  /** Plays prompts in order; with `bargeIn` a key press cuts them short and stays buffered for `collect`. */
  play(prompts: SpokenPrompt[], opts: { bargeIn: boolean }): Promise<PlayResult>;
  /** Keys typed since the last `clearDigits`, waiting as the options say. */
  collect(opts: CollectOptions): Promise<CollectResult>;
  clearDigits(): void;
  /** The flow's exits: each hands the call on; they resolve once it has been handed on. */
  enqueue(request: QueueRequest): Promise<void>;
  transfer(target: TransferTarget): Promise<void>;
  voicemail(opts: { maxSeconds: number; language: FlowLanguage }): Promise<void>;
  requestCallback(opts: { queueId: string; number: string; language: FlowLanguage }): Promise<void>;
  hangup(): Promise<void>;
}
