// The SIP stack's public face for other domains. Inside src/sip, layers import each other directly.
export * from './auth/index.ts';
export * from './registrar/index.ts';
export * from './sdp/index.ts';
export * from './transaction/index.ts';
export type { Endpoint, Transport, TransportProtocol, TransportStats } from './transport/transport.ts';
export * from './messages/index.ts';
export * from './ua/index.ts';
export { SipStack, type SipStackOptions, type SipListen, type IncomingRequest, type SipTransactionUser, type SipStackStats } from './stack/sip-stack.ts';
