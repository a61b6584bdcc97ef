// Key presses carried in SIP INFO bodies. application/dtmf-relay is the de-facto format of many
// phones ("Signal=5\r\nDuration=160"); application/dtmf (RFC 2976 usage) carries the key alone.
const KEYS = /^[0-9*#A-D]$/;

/** The key in an INFO body, or undefined when the body names none. */
export function parseDtmfRelay(contentType: string, body: string): string | undefined {
  let key: string | undefined;
  if (contentType === 'application/dtmf') key = body.trim();
  else {
    for (const line of body.split(/\r?\n/)) {
      const m = /^\s*signal\s*=\s*(\S+)\s*$/i.exec(line);
      if (m) { key = m[1]; break; }
    }
  }
  if (key === '10') key = '*';
  if (key === '11') key = '#';
  key = key?.toUpperCase();
  return key !== undefined && KEYS.test(key) ? key : undefined;
}
