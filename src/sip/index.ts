// The SIP stack's public face for other domains. Inside src/sip, layers import each other directly.
export * from './auth/index.ts';
export * from './registrar/index.ts';
export * from './sdp/index.ts';
export * from './transaction/index.ts';
export type { Endpoint, Transport, TransportProtocol, TransportStats } from './transport/transport.ts';
