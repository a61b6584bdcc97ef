// multipart/* bodies (RFC 2046 §5.1) as SIP carries them (RFC 3261 §7.4, RFC 5621): parts split on
// the boundary, each with its own header fields and a Buffer body that may hold any bytes.
import { canonicalName } from './header-names.ts';
import { paramOf, parseHeaderParams } from './header-values.ts';
import type { HeaderField } from './sip-message.ts';
import { SipSyntaxError } from './sip-syntax-error.ts';

export interface BodyPart {
  headers: HeaderField[];
  body: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): BodyPart[] {
  const semi = contentType.indexOf(';');
  if (semi < 0 || !contentType.slice(0, semi).trim().toLowerCase().startsWith('multipart/')) throw new SipSyntaxError('not a multipart content type');
  const boundary = paramOf(parseHeaderParams(contentType.slice(semi)), 'boundary');
  if (!boundary) throw new SipSyntaxError('multipart without a boundary');
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: BodyPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new SipSyntaxError('multipart boundary not found');
  for (;;) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // close-delimiter "--boundary--"
    while (body[start] === 0x20 || body[start] === 0x09) start++;
    if (body[start] === 0x0d) start++;
    if (body[start] === 0x0a) start++;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) throw new SipSyntaxError('multipart part without a closing boundary');
    parts.push(parsePart(body.subarray(start, next)));
    pos = next + 2;
  }
  return parts;
}

function parsePart(part: Buffer): BodyPart {
  const blank = part.indexOf('\r\n\r\n');
  const headerText = blank < 0 ? (part.indexOf('\r\n') === 0 ? '' : part.toString('latin1')) : part.toString('latin1', 0, blank);
  const bodyStart = blank < 0 ? part.length : blank + 4;
  const headers: HeaderField[] = [];
  for (const line of headerText.split('\r\n')) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length) { headers.at(-1)!.value += ` ${line.trim()}`; continue; }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipSyntaxError('bad header in a multipart part');
    const name = line.slice(0, colon).trim();
    headers.push({ name, key: canonicalName(name), value: line.slice(colon + 1).trim() });
  }
  return { headers, body: Buffer.from(part.subarray(bodyStart)) };
}
