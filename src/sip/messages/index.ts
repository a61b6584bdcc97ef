// SIP messages (RFC 3261 §7, §19, §20, §25): parse, inspect, build and serialize.
export { SipSyntaxError, type SipSyntaxCode, isToken } from './sip-syntax-error.ts';
export { parseUri, formatUri, unescape, isSipUri, isTelUri, uriParam, type Uri, type SipUri, type TelUri, type OtherUri, type Params } from './sip-uri.ts';
export { parseNameAddr, parseVia, parseCSeq, parseCount, parseHeaderParams, splitList, paramOf, viaSentBy, readQuoted, type NameAddr, type Via } from './header-values.ts';
export { canonicalName, prettyName, LIST_HEADERS } from './header-names.ts';
export { header, headerValues, field, type HeaderField, type SipMessage, type SipRequest, type SipResponse } from './sip-message.ts';
export { parseMessage, utf8Of, type ParseOptions, type ParseResult } from './parse-message.ts';
export { serialize, serializeMessage, startLineOf, buildResponse, newTag, REASONS, type ResponseOptions } from './serialize-message.ts';
export { checkRequest, type RequestPolicy, type RequestCheck } from './check-request.ts';
export { StreamFramer, type StreamFramerOptions } from './stream-framer.ts';
export { parseMultipart, type BodyPart } from './multipart.ts';
