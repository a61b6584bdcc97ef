// Talking to the company's own systems. `CustomerLookup.lookupCustomer` asks its CRM about a caller
// (screen pop, IVR) and never throws: callers handle `{ ok: false, reason }`. `outboundRequest` is
// the one guarded HTTP client (timeout on the Clock, private network refused unless allowed) that
// webhooks deliver through; `checkOutboundUrl` checks a URL before it is saved.
export { CustomerLookup, LOOKUP_LIMITS, type CustomerLookupDeps, type LookupActor, type LookupConfigInput, type LookupConfigView } from './customer-lookup.ts';
export { LOOKUP_FAILURES, type LookupFailure, type LookupResult } from './lookup-answer.ts';
export { LOOKUP_KEYS, type LookupKey, type LookupQuery } from './url-template.ts';
export { outboundRequest, type OutboundRequest, type OutboundResult } from './outbound-request.ts';
export { checkOutboundUrl, isPrivateHost, MAX_URL_LENGTH, type UrlProblem } from './outbound-url.ts';
