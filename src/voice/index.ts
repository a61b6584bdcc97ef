// Calls and the things calls need: phone endpoints (SIP credentials, SIP domains → tenant).
export { type Phone, type NewPhone, type PhoneStore } from './phone-store.ts';
export { SqlPhoneStore, type VoiceTables } from './phone-store.sql.ts';
export { Phones, type PhonesDeps, type PhoneActor } from './phones.ts';
export { sipDomains } from './sip-domains.ts';
export { ExtensionCalls, type ExtensionCallsDeps } from './extension-calls.ts';
export { Trunks, type Trunk, type NewTrunk } from './trunks.ts';
export { type VoiceEvents } from './voice-events.ts';
export { MediaLeg } from './media-leg.ts';
export { announce, type AnnouncementOutcome, type AnnouncementDeps } from './announcement-call.ts';
export { Numbers, NUMBER_PATTERN, type DialledNumber, type UnknownNumberTreatment } from './numbers.sql.ts';
export { ContactCalls, type ContactCallsDeps, type FlowRunner } from './contact-calls.ts';
export { ContactCall, type CallPrompt, type CallLanguage, type Destination } from './contact-call.ts';
export type { AgentStations, ContactRouting, VoiceContact, VoiceChannel, VoiceOffer, SkillRequirement } from './contact-routing.ts';
export type { CallEndedBy, CallTarget } from './voice-events.ts';
