// The element's transport user (RFC 3261 §18): receives bytes from UDP, TCP and WebSocket, parses
// them, answers malformed requests statelessly (§8.2, §16.3), stamps received/rport on the top Via
// (§18.2.1, RFC 3581 §4), matches transactions (§17) and hands what is new to the transaction user.
// Nothing thrown on the receive path escapes: a bad message is counted, logged once, and dropped.
import type { Clock, Logger } from '../../kernel/index.ts';
import { FloodLimiter } from '../auth/index.ts';
import {
  buildResponse, checkRequest, field, newTag, parseMessage, serialize, StreamFramer, viaSentBy,
  type HeaderField, type RequestPolicy, type ResponseOptions, type SipRequest, type SipResponse, type Via,
} from '../messages/index.ts';
import { TransactionLayer, type ClientTransaction, type ClientTransactionUser, type ServerTransaction, type TimerValues, type TxRequest, type TxResponse } from '../transaction/index.ts';
import { TcpTransport } from '../transport/tcp-transport.ts';
import type { Endpoint, Inbound, Transport, TransportStats } from '../transport/transport.ts';
import { UdpTransport } from '../transport/udp-transport.ts';
import { WsTransport } from '../transport/ws-transport.ts';

export interface SipListen {
  address: string;
  /** UDP and TCP share this port (0: an ephemeral port, the same for both). */
  port: number;
  /** WebSocket (RFC 7118) port; undefined: no WebSocket listener. */
  wsPort?: number | undefined;
}

export interface SipStackOptions {
  listen: SipListen;
  clock: Clock;
  log: Logger;
  policy: RequestPolicy;
  timers?: TimerValues | undefined;
  maxMessageBytes?: number | undefined;
  tcpIdleTimeoutMs?: number | undefined;
  /** Messages per second accepted from one source address (0: no limit). */
  floodLimitPerSecond?: number | undefined;
  /** Sees every message received and sent (a SIP trace, like sngrep or a HEP feed). */
  trace?: ((direction: 'in' | 'out', bytes: Buffer, peer: Endpoint) => void) | undefined;
}

/** A request that opened a new server transaction, with the means to answer it. */
export interface IncomingRequest {
  message: SipRequest;
  source: Endpoint;
  local: { address: string; port: number };
  transaction: ServerTransaction;
  /** Sends a response through the transaction; a To tag is added for status > 100 when given. */
  respond(status: number, options?: ResponseOptions): void;
}

/** The transaction user (RFC 3261 §17 "TU"): the user agent core above this stack. */
export interface SipTransactionUser {
  receiveRequest(request: IncomingRequest): void;
  /** An ACK for a 2xx: end-to-end, outside any transaction (§13.3.1.4, §17.1.1.3). */
  receiveAck(ack: SipRequest, source: Endpoint): void;
  /** A CANCEL matched a pending INVITE server transaction, which the TU should end with 487 (§9.2). */
  receiveCancel(invite: ServerTransaction, cancel: SipRequest): void;
  /** A response no transaction matched, e.g. a retransmitted 2xx to INVITE after its transaction ended. */
  receiveStrayResponse?(response: SipResponse, source: Endpoint): void;
}

export interface SipStackStats {
  received: number;
  malformed: number;
  rejected: number;
  flooded: number;
  transports: Record<string, TransportStats>;
  transactions: { server: number; client: number };
}

const txRequest = (m: SipRequest, bytes: Buffer): TxRequest => ({
  method: m.method,
  branch: m.via[0]?.branch ?? '',
  sentBy: m.via[0] ? viaSentBy(m.via[0]) : '',
  cseqMethod: m.cseq.method,
  // §17.2.3 for RFC 2543 peers: Request-URI, To tag, From tag, Call-ID, CSeq number and top Via.
  legacyKey: [m.uriText, tagOf(m.to.params), tagOf(m.from.params), m.callId, m.cseq.seq, m.via[0] ? viaSentBy(m.via[0]) : ''].join('|'),
  bytes,
});

const tagOf = (params: [string, string | null][]): string => params.find(([n]) => n.toLowerCase() === 'tag')?.[1] ?? '';

export function formatVia(v: Via): string {
  const params = v.params.filter(([n]) => !['received', 'rport'].includes(n.toLowerCase()));
  const extra: [string, string | null][] = [];
  if (v.received !== undefined) extra.push(['received', v.received]);
  if (v.rport !== undefined) extra.push(['rport', v.rport === null ? null : String(v.rport)]);
  return `${v.protocol}/${v.transport} ${viaSentBy(v)}${[...params, ...extra].map(([n, val]) => `;${n}${val === null ? '' : `=${val}`}`).join('')}`;
}

export class SipStack {
  readonly #o: SipStackOptions;
  readonly #layer: TransactionLayer;
  readonly #flood: FloodLimiter | undefined;
  readonly #transports = new Map<string, Transport>();
  #tu: SipTransactionUser | undefined;
  readonly #stats = { received: 0, malformed: 0, rejected: 0, flooded: 0 };

  constructor(options: SipStackOptions) {
    this.#o = options;
    this.#layer = new TransactionLayer({
      clock: options.clock,
      send: (bytes, to) => this.send(bytes, to),
      ...(options.timers ? { timers: options.timers } : {}),
      buildAck: (req, res) => this.#ackForFailure(req, res),
    });
    this.#flood = options.floodLimitPerSecond ? new FloodLimiter({ clock: options.clock, ratePerSecond: options.floodLimitPerSecond, burst: options.floodLimitPerSecond * 2 }) : undefined;
  }

  set transactionUser(tu: SipTransactionUser) {
    this.#tu = tu;
  }

  get timers(): TimerValues | undefined {
    return this.#o.timers;
  }

  /** Binds UDP and TCP on one port (retrying when port 0 gave a TCP-busy port), then WebSocket. */
  async start(): Promise<void> {
    const user = { receive: (i: Inbound) => this.receive(i) };
    const { address, port, wsPort } = this.#o.listen;
    const max = this.#o.maxMessageBytes ?? 65_536;
    for (let attempt = 0; ; attempt++) {
      const udp = new UdpTransport({ address, port, bufferBytes: 4 << 20 }, user);
      await udp.listen();
      const tcp = new TcpTransport({ address, port: udp.local.port, idleTimeoutMs: this.#o.tcpIdleTimeoutMs ?? 120_000, newFraming: () => new StreamFramer({ maxMessageBytes: max }) }, user);
      try {
        await tcp.listen();
        this.#transports.set('udp', udp).set('tcp', tcp);
        break;
      } catch (err) {
        await udp.close();
        if (port !== 0 || attempt >= 5) throw err;
      }
    }
    if (wsPort !== undefined) {
      const ws = new WsTransport({ address, port: wsPort, maxMessageBytes: max, idleTimeoutMs: this.#o.tcpIdleTimeoutMs ?? 120_000 }, user);
      await ws.listen();
      this.#transports.set('ws', ws);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.#transports.values()) await t.close();
    this.#transports.clear();
  }

  /** Bound address of a transport (UDP and TCP share a port). */
  local(protocol: 'udp' | 'tcp' | 'ws' = 'udp'): { address: string; port: number } {
    const t = this.#transports.get(protocol);
    if (!t) throw new Error(`no ${protocol} transport`);
    return t.local;
  }

  stats(): SipStackStats {
    const transports: Record<string, TransportStats> = {};
    for (const [k, t] of this.#transports) transports[k] = t.stats();
    return { ...this.#stats, transports, transactions: this.#layer.counts() };
  }

  send(bytes: Buffer, to: Endpoint): Promise<void> {
    this.#o.trace?.('out', bytes, to);
    const t = this.#transports.get(to.protocol);
    if (!t) return Promise.reject(new Error(`no ${to.protocol} transport`));
    return t.send(bytes, to);
  }

  /** Starts a client transaction for a request this element sends (§17.1). */
  sendRequest(message: SipRequest, bytes: Buffer, destination: Endpoint, user: ClientTransactionUser): ClientTransaction {
    return this.#layer.sendRequest(txRequest(message, bytes), destination, user);
  }

  /** A Via for a request this element sends on `protocol` (§8.1.1.7: a fresh magic-cookie branch). */
  via(protocol: 'udp' | 'tcp' | 'ws'): { value: string; branch: string } {
    const branch = `z9hG4bK${newTag()}${newTag()}`;
    const local = this.local(protocol);
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    return { value: `SIP/2.0/${protocol.toUpperCase()} ${host}:${local.port};branch=${branch};rport`, branch };
  }

  receive(inbound: Inbound): void {
    this.#stats.received++;
    try {
      this.#o.trace?.('in', inbound.bytes, inbound.source);
      if (this.#flood && !this.#flood.allow(inbound.source.address)) {
        this.#stats.flooded++;
        return;
      }
      this.#receive(inbound);
    } catch (err) {
      this.#stats.malformed++;
      this.#o.log.warn({ err, source: `${inbound.source.address}:${inbound.source.port}` }, 'SIP receive path failed; message dropped');
    }
  }

  #receive(inbound: Inbound): void {
    const parsed = parseMessage(inbound.bytes, { stream: inbound.source.protocol === 'tcp' });
    if (!parsed.ok) {
      this.#stats.malformed++;
      // §8.2 / RFC 4475: a malformed request gets a stateless 400; responses and ACKs are dropped.
      if (parsed.kind === 'request' && parsed.method !== 'ACK' && parsed.headers.some((h) => h.key === 'via')) {
        const reason = `Bad Request (${parsed.error.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)})`;
        void this.send(buildResponse(parsed, 400, { reason, toTag: newTag() }), inbound.source).catch(() => {});
      }
      this.#o.log.debug({ source: `${inbound.source.address}:${inbound.source.port}`, error: parsed.error.message }, 'malformed SIP message');
      return;
    }
    const m = parsed.message;
    if (m.kind === 'response') {
      const tx: TxResponse = { status: m.status, branch: m.via[0]?.branch ?? '', cseqMethod: m.cseq.method, bytes: inbound.bytes };
      if (!this.#layer.receiveResponse(tx)) this.#tu?.receiveStrayResponse?.(m, inbound.source);
      return;
    }
    this.#stampVia(m, inbound.source);
    const target = this.#responseTarget(m, inbound.source);
    const check = checkRequest(m, this.#o.policy);
    if (!check.ok) {
      this.#stats.rejected++;
      if (m.method === 'ACK') return;
      const match = this.#layer.receiveRequest(txRequest(m, inbound.bytes), target);
      if (match.kind === 'new') this.#respond(m, match.transaction, check.status, { reason: check.reason, headers: check.headers, toTag: newTag() });
      return;
    }
    const match = this.#layer.receiveRequest(txRequest(m, inbound.bytes), target);
    if (match.kind === 'ack-for-2xx') { this.#tu?.receiveAck(m, inbound.source); return; }
    if (match.kind !== 'new') return;
    const transaction = match.transaction;
    if (m.method === 'CANCEL') {
      // §9.2: the CANCEL gets its own 200; the INVITE it names is answered 487 by the TU.
      const invite = this.#layer.findInviteFor(txRequest(m, inbound.bytes));
      if (!invite || invite.lastResponse && invite.lastResponse.status >= 200) {
        this.#respond(m, transaction, 481, { toTag: newTag() });
        return;
      }
      this.#respond(m, transaction, 200, {});
      this.#tu?.receiveCancel(invite, m);
      return;
    }
    if (!this.#tu) { this.#respond(m, transaction, 503, { toTag: newTag() }); return; }
    this.#tu.receiveRequest({
      message: m, source: inbound.source, local: inbound.local, transaction,
      respond: (status, options = {}) => this.#respond(m, transaction, status, options),
    });
  }

  #respond(m: SipRequest, transaction: ServerTransaction, status: number, options: ResponseOptions): void {
    const bytes = buildResponse(m, status, options);
    transaction.respond({ status, branch: m.via[0]?.branch ?? '', cseqMethod: m.cseq.method, bytes });
  }

  /** §18.2.1: received= when the sent-by host differs from the source; RFC 3581 §4: rport= when asked. */
  #stampVia(m: SipRequest, source: Endpoint): void {
    const top = m.via[0];
    if (!top) return;
    const otherHost = top.host.replace(/^\[|\]$/g, '') !== source.address;
    if (!otherHost && top.rport !== null) return;
    // RFC 3581 §4: with rport, received is added even when the host matches.
    top.received = source.address;
    if (top.rport === null) top.rport = source.port;
    const i = m.headers.findIndex((h) => h.key === 'via');
    const first = m.headers[i]!;
    const rest = splitFirst(first.value);
    m.headers[i] = { ...first, raw: undefined, value: rest === undefined ? formatVia(top) : `${formatVia(top)}, ${rest}` };
  }

  /** §18.2.2 (with RFC 3581 §4): where responses to this request go. */
  #responseTarget(m: SipRequest, source: Endpoint): Endpoint {
    if (source.protocol !== 'udp') return source;
    const top = m.via[0];
    if (!top) return source;
    if (typeof top.rport === 'number') return { protocol: 'udp', address: top.received ?? source.address, port: top.rport };
    return { protocol: 'udp', address: top.received ?? top.host.replace(/^\[|\]$/g, ''), port: top.port ?? 5060 };
  }

  /** §17.1.1.3: the ACK for a non-2xx final response to an INVITE this element sent. */
  #ackForFailure(req: TxRequest, res: TxResponse): Buffer {
    const parsedReq = parseMessage(req.bytes);
    const parsedRes = parseMessage(res.bytes);
    if (!parsedReq.ok || parsedReq.message.kind !== 'request' || !parsedRes.ok) return Buffer.alloc(0);
    const r = parsedReq.message;
    const keep = (k: string) => r.headers.filter((h) => h.key === k);
    const topVia = r.headers.find((h) => h.key === 'via')!;
    const headers: HeaderField[] = [
      { ...topVia, value: splitTop(topVia.value), raw: undefined }, ...keep('route'), ...keep('from'),
      ...parsedRes.message.headers.filter((h) => h.key === 'to'), ...keep('call-id'), field('CSeq', `${r.cseq.seq} ACK`), ...keep('max-forwards'),
    ];
    return serialize(`ACK ${r.uriText} SIP/2.0`, headers);
  }
}

/** The index of the first comma outside quotes in a Via line, or -1 when it holds one value. */
function firstComma(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i;
  }
  return -1;
}

function splitTop(value: string): string {
  const i = firstComma(value);
  return i < 0 ? value : value.slice(0, i).trim();
}

function splitFirst(value: string): string | undefined {
  const i = firstComma(value);
  return i < 0 ? undefined : value.slice(i + 1).trim();
}
