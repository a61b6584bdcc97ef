// RFC 3261 §18.3 stream framing and RFC 5626 §3.5.1 keep-alives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamFramer } from './stream-framer.ts';

const msg = (body: string) => Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`);

describe('§18.3 framing by Content-Length', () => {
  test('a message split at every possible byte comes out whole, once', () => {
    const whole = Buffer.concat([msg('hello\r\n\r\nworld'), msg('')]);
    for (let cut = 1; cut < whole.length; cut++) {
      const f = new StreamFramer();
      const a = f.push(whole.subarray(0, cut));
      const b = f.push(whole.subarray(cut));
      const got = [...a.messages, ...b.messages];
      assert.deepEqual(got.map((m) => m.toString()), [msg('hello\r\n\r\nworld').toString(), msg('').toString()], `cut at ${cut}`);
      assert.equal(f.buffered, 0);
    }
  });

  test('pipelined messages in one chunk, and CRLF CRLF keep-alive pings between them', () => {
    const f = new StreamFramer();
    const out = f.push(Buffer.concat([Buffer.from('\r\n\r\n'), msg('a'), Buffer.from('\r\n\r\n\r\n\r\n'), msg('b')]));
    assert.equal(out.messages.length, 2);
    assert.equal(out.keepAlivePings, 3);
  });

  test('no Content-Length, a bad or conflicting one, and messages over the cap are unrecoverable', () => {
    const cases = [
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n'),
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n'),
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n'),
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 999999\r\n\r\n'),
    ];
    for (const c of cases) assert.ok(new StreamFramer({ maxMessageBytes: 4096 }).push(c).error, c.toString());
    const f = new StreamFramer({ maxMessageBytes: 100 });
    assert.ok(f.push(Buffer.alloc(200, 0x41)).error, 'headers without an end beyond the cap');
  });
});

describe('§18.3 framing cost', () => {
  test('a 60 KB message fed one byte at a time comes out whole (linear buffering)', () => {
    const body = 'x'.repeat(60_000);
    const whole = msg(body);
    const f = new StreamFramer();
    let out: Buffer[] = [];
    for (let i = 0; i < whole.length; i++) out = out.concat(f.push(whole.subarray(i, i + 1)).messages);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.length, whole.length);
  });
});
