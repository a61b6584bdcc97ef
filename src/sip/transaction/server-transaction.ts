// Server transactions, RFC 3261 §17.2, with the Accepted state of RFC 6026 §7.1.
// INVITE:     Proceeding -> Completed -> Confirmed -> Terminated   (2xx: -> Accepted -> Terminated)
// non-INVITE: Trying -> Proceeding -> Completed -> Terminated
import type { Clock, TimerHandle } from '../../kernel/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import { isReliable, type SendFn, type TimerValues, type TxRequest, type TxResponse } from './transaction-types.ts';

export type ServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

export interface ServerTransactionDeps {
  clock: Clock;
  send: SendFn;
  timers: TimerValues;
}

export interface ServerTransactionEvents {
  /** Timer H fired: no ACK came for a non-2xx final response (§17.2.1); the TU may end the dialog. */
  ackTimeout?(): void;
  transportError?(error: Error): void;
  terminated?(): void;
}

export class ServerTransaction {
  readonly request: TxRequest;
  /** Where responses go (RFC 3261 §18.2.2, computed by the layer above from Via, received and rport). */
  readonly responseTarget: Endpoint;
  readonly isInvite: boolean;
  events: ServerTransactionEvents = {};
  readonly #d: ServerTransactionDeps;
  readonly #onTerminated: () => void;
  #state: ServerState;
  #last: TxResponse | undefined;
  #retransmit: TimerHandle | undefined;
  #timeout: TimerHandle | undefined;
  #linger: TimerHandle | undefined;
  #interval: number;

  constructor(request: TxRequest, responseTarget: Endpoint, deps: ServerTransactionDeps, onTerminated: () => void) {
    this.request = request;
    this.responseTarget = responseTarget;
    this.#d = deps;
    this.#onTerminated = onTerminated;
    this.isInvite = request.method === 'INVITE';
    this.#state = this.isInvite ? 'Proceeding' : 'Trying';
    this.#interval = deps.timers.t1;
  }

  get state(): ServerState {
    return this.#state;
  }

  get lastResponse(): TxResponse | undefined {
    return this.#last;
  }

  /** A retransmission of the request arrived (§17.2.1, §17.2.2): resend the last response, if any. */
  receiveRetransmission(): void {
    const s = this.#state;
    if (this.#last && (s === 'Proceeding' || s === 'Completed')) this.#transmit(this.#last.bytes);
  }

  /** An ACK matched this INVITE transaction (§17.2.1): Completed -> Confirmed, Timer I. */
  receiveAck(): void {
    if (!this.isInvite || this.#state !== 'Completed') return;
    this.#retransmit?.cancel();
    this.#timeout?.cancel();
    this.#state = 'Confirmed';
    this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), isReliable(this.responseTarget) ? 0 : this.#d.timers.t4);
  }

  /** The TU sends a response through the transaction. */
  respond(res: TxResponse): void {
    const s = this.#state;
    if (s === 'Completed' || s === 'Confirmed' || s === 'Terminated') return;
    if (s === 'Accepted') {
      // RFC 6026 §7.1: the TU retransmits 2xx itself while Accepted; pass them through.
      if (res.status >= 200 && res.status < 300) this.#transmit(res.bytes);
      return;
    }
    this.#last = res;
    this.#transmit(res.bytes);
    if (res.status < 200) {
      if (s === 'Trying') this.#state = 'Proceeding';
      return;
    }
    const { t1, t2, t4 } = this.#d.timers;
    const reliable = isReliable(this.responseTarget);
    if (this.isInvite) {
      if (res.status < 300) {
        // RFC 6026 §7.1: 2xx -> Accepted, Timer L = 64*T1 absorbs request retransmissions.
        this.#state = 'Accepted';
        this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), 64 * t1);
        return;
      }
      // §17.2.1: 300-699 -> Completed; Timer G retransmits (unreliable) doubling up to T2; Timer H = 64*T1.
      this.#state = 'Completed';
      if (!reliable) this.#scheduleG(t2);
      this.#timeout = this.#d.clock.setTimeout(() => {
        if (this.#state === 'Completed') {
          this.events.ackTimeout?.();
          this.#terminate();
        }
      }, 64 * t1);
      return;
    }
    // §17.2.2: final response -> Completed; Timer J = 64*T1 unreliable, 0 reliable.
    this.#state = 'Completed';
    this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), reliable ? 0 : 64 * t1);
    void t4;
  }

  #scheduleG(t2: number): void {
    this.#retransmit = this.#d.clock.setTimeout(() => {
      if (this.#state !== 'Completed' || !this.#last) return;
      this.#transmit(this.#last.bytes);
      this.#interval = Math.min(2 * this.#interval, t2);
      this.#scheduleG(t2);
    }, this.#interval);
  }

  #transmit(bytes: Buffer): void {
    this.#d.send(bytes, this.responseTarget).catch((err: unknown) => {
      if (this.#state === 'Terminated') return;
      // §17.2.4: the transport layer failed; inform the TU and terminate.
      this.events.transportError?.(err instanceof Error ? err : new Error(String(err)));
      this.#terminate();
    });
  }

  #terminate(): void {
    if (this.#state === 'Terminated') return;
    this.#retransmit?.cancel();
    this.#timeout?.cancel();
    this.#linger?.cancel();
    this.#state = 'Terminated';
    this.events.terminated?.();
    this.#onTerminated();
  }
}
