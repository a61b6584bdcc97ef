export { UserAgent, type CallHandler, type RegisterHandler, type UserAgentDeps, type DialogOwner } from './user-agent.ts';
export { InviteServerSession, type ServerSessionEvents, type ServerSessionState } from './invite-server-session.ts';
export { InviteClientSession, type OutgoingCall, type ClientSessionEvents, type ClientSessionState } from './invite-client-session.ts';
export { RegistrarService, aorOf, type SipDomains, type RegistrarServiceDeps } from './registrar-service.ts';
export { DigestGate, type GateResult } from './digest-gate.ts';
