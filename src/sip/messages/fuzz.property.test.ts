// Property-based fuzzing with a fixed seed: 10,000+ mutated messages never make the parser, the
// request checks or the 400 builder throw; generated well-formed requests round-trip.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tortureMessages } from '../../../test/support/torture.ts';
import { checkRequest } from './check-request.ts';
import { parseMessage } from './parse-message.ts';
import { buildResponse, serializeMessage } from './serialize-message.ts';
import { StreamFramer } from './stream-framer.ts';

const POLICY = { allow: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER'], supported: [], accept: ['application/sdp'] };
const SEED = 4475;

const OWN = [
  'INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport\r\nMax-Forwards: 70\r\nFrom: "王小明" <sip:1002@demo>;tag=a\r\nTo: <sip:1001@demo>\r\nCall-ID: c1@h\r\nCSeq: 1 INVITE\r\nContact: <sip:1002@127.0.0.1:5070>\r\nContent-Type: application/sdp\r\nContent-Length: 13\r\n\r\nv=0\r\ns=-\r\nt=0 0',
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP [::1]:5070;branch=z9hG4bK-2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n',
].map((s) => Buffer.from(s, 'utf8'));

const seeds = [...tortureMessages().map((m) => m.data), ...OWN];

/** One mutation: flip, insert, delete or duplicate bytes, or splice in SIP-significant characters. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(';', ',', '"', '<', '>', ':', '\r\n', '\r\n ', '%', '%0', '@', '[', ']', '=', '\\', ' ', '\u0000', 'SIP/2.0', ';tag=', ';branch=z9hG4bK', 'Content-Length: 99\r\n', 'Via: \r\n') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(base: Buffer, steps: { kind: string; at: number; byte?: number; text?: string; len?: number }[]): Buffer {
  let b = base;
  for (const s of steps) {
    const at = b.length === 0 ? 0 : s.at % b.length;
    if (s.kind === 'flip') { b = Buffer.from(b); if (b.length) b[at] = s.byte!; }
    else if (s.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(s.text!, 'latin1'), b.subarray(at)]);
    else if (s.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + s.len!)]);
    else b = b.subarray(0, at);
  }
  return b;
}

describe('fuzzing the message layer (fast-check, fixed seed)', () => {
  test('10,000 mutated messages: parse, check and answer without throwing', () => {
    let parsed = 0;
    let rejected = 0;
    fc.assert(fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (i, steps, stream) => {
      const bytes = mutate(seeds[i]!, steps);
      const r = parseMessage(bytes, { stream });
      if (r.ok) {
        parsed++;
        if (r.message.kind === 'request') {
          checkRequest(r.message, POLICY);
          buildResponse(r.message, 200, { toTag: 't' });
        }
        serializeMessage(r.message);
      } else {
        rejected++;
        if (r.kind === 'request') buildResponse(r, 400);
      }
      new StreamFramer({ maxMessageBytes: 8192 }).push(bytes);
    }), { seed: SEED, numRuns: 10_000 });
    assert.ok(parsed > 500 && rejected > 500, `both paths exercised (parsed ${parsed}, rejected ${rejected})`);
  });

  test('generated well-formed requests round-trip through serialize and parse', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9\-.!%*_+`'~]{0,15}$/);
    const user = fc.stringMatching(/^[A-Za-z0-9_.!~*'()&=+$,;?/\-]{1,20}$/);
    const host = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6().map((h) => `[${h}]`));
    fc.assert(fc.property(token, user, host, fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 20 }),
      (method, u, h, port, seq, body, display) => {
        const text = `${method} sip:${u}@${h}:${port} SIP/2.0\r\nVia: SIP/2.0/UDP ${h}:${port};branch=z9hG4bK${seq}\r\nFrom: "${display.replace(/["\\\r\n]/g, '')}" <sip:${u}@${h}>;tag=${seq}\r\nTo: <sip:x@${h}>\r\nCall-ID: ${seq}@${h}\r\nCSeq: ${seq} ${method}\r\nMax-Forwards: 70\r\nContent-Length: ${body.length}\r\n\r\n`;
        const r = parseMessage(Buffer.concat([Buffer.from(text, 'utf8'), body]));
        assert.ok(r.ok, r.ok ? '' : `${r.error.message}\n${text}`);
        const again = parseMessage(serializeMessage(r.message));
        assert.ok(again.ok);
        assert.equal(again.message.kind === 'request' && again.message.method, method);
        assert.deepEqual(again.message.cseq, { seq, method });
        assert.deepEqual(again.message.body, Buffer.from(body));
        assert.equal(again.message.from.displayName, r.message.from.displayName);
      }), { seed: SEED, numRuns: 2_000 });
  });
});
