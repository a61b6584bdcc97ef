// The transport layer of RFC 3261 §18: moves whole SIP messages between this element and its peers
// over UDP, TCP and WebSocket (RFC 7118). It knows bytes and addresses, nothing of transactions.

export type TransportProtocol = 'udp' | 'tcp' | 'ws';

/** Where a message came from, or where one goes. `connectionId` pins a stream connection. */
export interface Endpoint {
  protocol: TransportProtocol;
  address: string;
  port: number;
  connectionId?: string | undefined;
}

export interface Inbound {
  bytes: Buffer;
  source: Endpoint;
  /** The local address and port it arrived on (for Via/Contact of responses). */
  local: { address: string; port: number };
}

/** What the layer above hands messages to; called synchronously, in arrival order. */
export interface TransportUser {
  receive(inbound: Inbound): void;
  /** A stream connection failed or closed (RFC 3261 §18.4 transport errors for pending transactions). */
  connectionClosed?(connectionId: string, error?: Error): void;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** Actual bound address after listen (port 0 → an ephemeral port). */
  readonly local: { address: string; port: number };
  listen(): Promise<void>;
  /** Sends one message; rejects on a transport error (e.g. connection refused). */
  send(bytes: Buffer, to: Endpoint): Promise<void>;
  close(): Promise<void>;
  stats(): TransportStats;
}

export interface TransportStats {
  received: number;
  sent: number;
  /** Messages dropped for framing errors, size caps or floods. */
  dropped: number;
  connections: number;
}

/** Stream framing (RFC 3261 §18.3): feeds bytes, yields whole messages or an error that closes the connection. */
export interface StreamFraming {
  push(chunk: Buffer): { messages: Buffer[]; keepAlivePings: number; error?: string | undefined };
}
