// What the transaction layer needs to know of a message (RFC 3261 §17). The message layer supplies
// these fields; the transaction layer never parses bytes itself.
import type { Endpoint } from '../transport/transport.ts';

/** RFC 3261 §17.1.1.1: T1 (RTT estimate), T2 (max non-INVITE retransmit interval), T4 (max message lifetime). */
export interface TimerValues {
  t1: number;
  t2: number;
  t4: number;
}

export const DEFAULT_TIMERS: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

export interface TxRequest {
  readonly method: string;
  /** Top Via branch; RFC 3261 §8.1.1.7 branches start with the magic cookie z9hG4bK. */
  readonly branch: string;
  /** Top Via sent-by (host[:port]), part of the server-side match (§17.2.3). */
  readonly sentBy: string;
  readonly cseqMethod: string;
  /** For requests from RFC 2543 peers (no magic cookie): the §17.2.3 fallback identity. */
  readonly legacyKey?: string | undefined;
  readonly bytes: Buffer;
}

export interface TxResponse {
  readonly status: number;
  readonly branch: string;
  readonly cseqMethod: string;
  readonly bytes: Buffer;
}

/** Sends bytes to a peer; rejects on a transport error (§17.1.4, §17.2.4). */
export type SendFn = (bytes: Buffer, to: Endpoint) => Promise<void>;

export const isReliable = (e: Endpoint): boolean => e.protocol !== 'udp';

export const MAGIC_COOKIE = 'z9hG4bK';
