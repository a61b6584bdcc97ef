// Matches incoming messages to transactions (RFC 3261 §17.1.3, §17.2.3) and owns their lifetimes.
import type { Clock } from '../../kernel/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import { ClientTransaction, type ClientTransactionUser } from './client-transaction.ts';
import { ServerTransaction } from './server-transaction.ts';
import { DEFAULT_TIMERS, MAGIC_COOKIE, type SendFn, type TimerValues, type TxRequest, type TxResponse } from './transaction-types.ts';

export interface TransactionLayerDeps {
  clock: Clock;
  send: SendFn;
  timers?: TimerValues;
  buildAck?: (request: TxRequest, response: TxResponse) => Buffer;
}

/** What became of an incoming request. */
export type RequestMatch =
  | { kind: 'new'; transaction: ServerTransaction }
  | { kind: 'retransmission'; transaction: ServerTransaction }
  /** An ACK that matched an INVITE server transaction (non-2xx final): absorbed. */
  | { kind: 'ack-absorbed' }
  /** An ACK for a 2xx (its own transaction per §17.1.1.3): goes to the dialog layer. */
  | { kind: 'ack-for-2xx' };

/** §17.2.3: branch + sent-by + method, with ACK matching the INVITE; RFC 2543 requests use the fallback identity. */
function serverKey(req: TxRequest): string {
  const method = req.method === 'ACK' ? 'INVITE' : req.method;
  if (req.branch.startsWith(MAGIC_COOKIE)) return `${req.branch}|${req.sentBy}|${method}`;
  return `2543|${req.legacyKey ?? ''}|${method}`;
}

export class TransactionLayer {
  readonly #d: Required<Omit<TransactionLayerDeps, 'buildAck'>> & Pick<TransactionLayerDeps, 'buildAck'>;
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #clients = new Map<string, ClientTransaction>();

  constructor(deps: TransactionLayerDeps) {
    this.#d = { ...deps, timers: deps.timers ?? DEFAULT_TIMERS };
  }

  receiveRequest(req: TxRequest, responseTarget: Endpoint): RequestMatch {
    const key = serverKey(req);
    const existing = this.#servers.get(key);
    if (req.method === 'ACK') {
      if (existing && existing.isInvite && existing.state !== 'Accepted' && existing.state !== 'Terminated') {
        existing.receiveAck();
        return { kind: 'ack-absorbed' };
      }
      return { kind: 'ack-for-2xx' };
    }
    if (existing) {
      existing.receiveRetransmission();
      return { kind: 'retransmission', transaction: existing };
    }
    const tx = new ServerTransaction(req, responseTarget, { clock: this.#d.clock, send: this.#d.send, timers: this.#d.timers }, () => {
      if (this.#servers.get(key) === tx) this.#servers.delete(key);
    });
    this.#servers.set(key, tx);
    return { kind: 'new', transaction: tx };
  }

  /** The INVITE server transaction a CANCEL refers to (§9.2: same branch, sent-by; method INVITE). */
  findInviteFor(cancel: TxRequest): ServerTransaction | undefined {
    return this.#servers.get(serverKey({ ...cancel, method: 'INVITE' }));
  }

  /** §17.1.3: a response matches the client transaction with the same branch and CSeq method. Undefined = stray. */
  receiveResponse(res: TxResponse): boolean {
    const method = res.cseqMethod === 'ACK' ? 'INVITE' : res.cseqMethod;
    const tx = this.#clients.get(`${res.branch}|${method}`);
    if (!tx) return false;
    tx.receiveResponse(res);
    return true;
  }

  sendRequest(req: TxRequest, destination: Endpoint, user: ClientTransactionUser): ClientTransaction {
    const tx = new ClientTransaction(req, destination, user, {
      clock: this.#d.clock, send: this.#d.send, timers: this.#d.timers, ...(this.#d.buildAck ? { buildAck: this.#d.buildAck } : {}),
    }, () => {
      if (this.#clients.get(tx.key) === tx) this.#clients.delete(tx.key);
    });
    this.#clients.set(tx.key, tx);
    tx.start();
    return tx;
  }

  /** Live transactions, for metrics and leak checks. */
  counts(): { server: number; client: number } {
    return { server: this.#servers.size, client: this.#clients.size };
  }
}
