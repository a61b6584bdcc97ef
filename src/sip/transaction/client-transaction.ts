// Client transactions, RFC 3261 §17.1, with the Accepted state of RFC 6026 §7.2.
// INVITE:     Calling -> Proceeding -> Completed -> Terminated   (2xx: -> Accepted -> Terminated)
// non-INVITE: Trying -> Proceeding -> Completed -> Terminated
import type { Clock, TimerHandle } from '../../kernel/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import { isReliable, type SendFn, type TimerValues, type TxRequest, type TxResponse } from './transaction-types.ts';

export type ClientState = 'Calling' | 'Trying' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';

/** The transaction user's side (§17.1): told of responses and of the transaction's end. */
export interface ClientTransactionUser {
  receiveResponse(response: TxResponse): void;
  /** Timer B/F fired or the transport failed; the TU treats it as a 408 / 503 (§8.1.3.1). */
  timeout?(): void;
  transportError?(error: Error): void;
  terminated?(): void;
}

export interface ClientTransactionDeps {
  clock: Clock;
  send: SendFn;
  timers: TimerValues;
  /** §17.1.1.3: builds the ACK for a non-2xx final response to an INVITE. */
  buildAck?: (request: TxRequest, response: TxResponse) => Buffer;
}

export class ClientTransaction {
  readonly request: TxRequest;
  readonly destination: Endpoint;
  readonly #isInvite: boolean;
  readonly #d: ClientTransactionDeps;
  readonly #user: ClientTransactionUser;
  readonly #onTerminated: () => void;
  #state: ClientState;
  #retransmit: TimerHandle | undefined;
  #timeout: TimerHandle | undefined;
  #linger: TimerHandle | undefined;
  #interval: number;
  #ack: Buffer | undefined;

  constructor(request: TxRequest, destination: Endpoint, user: ClientTransactionUser, deps: ClientTransactionDeps, onTerminated: () => void) {
    this.request = request;
    this.destination = destination;
    this.#user = user;
    this.#d = deps;
    this.#onTerminated = onTerminated;
    this.#isInvite = request.method === 'INVITE';
    this.#state = this.#isInvite ? 'Calling' : 'Trying';
    this.#interval = deps.timers.t1;
  }

  get state(): ClientState {
    return this.#state;
  }

  get key(): string {
    return `${this.request.branch}|${this.request.method === 'ACK' ? 'INVITE' : this.request.method}`;
  }

  start(): void {
    this.#transmit(this.request.bytes);
    const { t1 } = this.#d.timers;
    if (!isReliable(this.destination)) this.#scheduleRetransmit();
    // §17.1.1.2 Timer B / §17.1.2.2 Timer F: 64*T1 for any transport.
    this.#timeout = this.#d.clock.setTimeout(() => this.#onTimeout(), 64 * t1);
  }

  #scheduleRetransmit(): void {
    this.#retransmit = this.#d.clock.setTimeout(() => {
      if (this.#state === 'Calling' || this.#state === 'Trying' || (this.#state === 'Proceeding' && !this.#isInvite)) {
        this.#transmit(this.request.bytes);
        // §17.1.1.2 Timer A doubles each time; §17.1.2.2 Timer E doubles up to T2, and stays at T2 in Proceeding.
        this.#interval = this.#isInvite ? this.#interval * 2 : Math.min(this.#interval * 2, this.#d.timers.t2);
        if (this.#state === 'Proceeding') this.#interval = this.#d.timers.t2;
        this.#scheduleRetransmit();
      }
    }, this.#interval);
  }

  #onTimeout(): void {
    if (this.#state === 'Calling' || this.#state === 'Trying' || (this.#state === 'Proceeding' && !this.#isInvite)) {
      this.#user.timeout?.();
      this.#terminate();
    }
  }

  receiveResponse(res: TxResponse): void {
    const s = this.#state;
    if (s === 'Terminated') return;
    if (res.status < 200) {
      if (s === 'Calling' || s === 'Trying' || s === 'Proceeding') {
        // §17.1.1.2: a provisional response in Calling stops Timer A; §17.1.2.2: non-INVITE keeps E at T2.
        if (this.#isInvite) this.#retransmit?.cancel();
        this.#state = 'Proceeding';
        this.#user.receiveResponse(res);
      }
      return;
    }
    if (this.#isInvite) {
      if (res.status < 300) {
        if (s === 'Calling' || s === 'Proceeding') {
          // RFC 6026 §7.2: 2xx moves to Accepted; retransmitted 2xx go to the TU too (it re-sends the ACK); Timer M = 64*T1.
          this.#stopTimers();
          this.#state = 'Accepted';
          this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), 64 * this.#d.timers.t1);
          this.#user.receiveResponse(res);
        } else if (s === 'Accepted') {
          this.#user.receiveResponse(res);
        }
        return;
      }
      // §17.1.1.2: 300-699 in Calling/Proceeding -> ACK, pass up, Completed with Timer D (>=32 s unreliable, 0 reliable).
      if (s === 'Calling' || s === 'Proceeding') {
        this.#stopTimers();
        this.#ack = this.#d.buildAck?.(this.request, res);
        if (this.#ack) this.#transmit(this.#ack);
        this.#state = 'Completed';
        this.#user.receiveResponse(res);
        const timerD = isReliable(this.destination) ? 0 : Math.max(32_000, 64 * this.#d.timers.t1);
        this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), timerD);
      } else if (s === 'Completed' && this.#ack) {
        this.#transmit(this.#ack); // a retransmitted final response gets the ACK again
      }
      return;
    }
    // §17.1.2.2: non-INVITE final response -> Completed, Timer K = T4 (unreliable) or 0.
    if (s === 'Trying' || s === 'Proceeding') {
      this.#stopTimers();
      this.#state = 'Completed';
      this.#user.receiveResponse(res);
      this.#linger = this.#d.clock.setTimeout(() => this.#terminate(), isReliable(this.destination) ? 0 : this.#d.timers.t4);
    }
  }

  #transmit(bytes: Buffer): void {
    this.#d.send(bytes, this.destination).catch((err: unknown) => {
      if (this.#state === 'Terminated') return;
      // §17.1.4: a transport failure terminates the transaction and is reported to the TU.
      this.#user.transportError?.(err instanceof Error ? err : new Error(String(err)));
      this.#terminate();
    });
  }

  #stopTimers(): void {
    this.#retransmit?.cancel();
    this.#timeout?.cancel();
  }

  #terminate(): void {
    if (this.#state === 'Terminated') return;
    this.#stopTimers();
    this.#linger?.cancel();
    this.#state = 'Terminated';
    this.#user.terminated?.();
    this.#onTerminated();
  }
}
