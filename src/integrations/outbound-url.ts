// Whether a URL may be called on a tenant's behalf (pure, no I/O): http or https only, no
// credentials in it, and no loopback, private, link-local or other non-unicast address literal
// (ranges of the IANA special-purpose registries, RFC 6890, as ipaddr.js names them) nor
// `localhost` (RFC 6761 §6.3) unless the tenant allows its private network. A name that resolves
// to such an address is refused when the connection is made (outbound-request.ts).
import ipaddr from 'ipaddr.js';

export type UrlProblem = { kind: 'invalid'; message: string } | { kind: 'private'; message: string };

export const MAX_URL_LENGTH = 2048;

/** The host without IPv6 brackets. */
const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** True for an address literal outside the public unicast space, or a `localhost` name. */
export function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(h)) return false;
  return ipaddr.process(h).range() !== 'unicast';
}

export function checkOutboundUrl(text: string, allowPrivateNetwork: boolean): UrlProblem | undefined {
  if (text.length > MAX_URL_LENGTH) return { kind: 'invalid', message: `is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'invalid', message: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'invalid', message: 'must be an http or https URL' };
  if (url.username || url.password) return { kind: 'invalid', message: 'must not carry a user name or password (send credentials in a header)' };
  if (!allowPrivateNetwork && isPrivateHost(bareHost(url))) {
    return { kind: 'private', message: 'points to a loopback, private or link-local address; allow the private network to use it' };
  }
  return undefined;
}
