// The RFC 4475 / RFC 5118 corpus against the running server, over UDP and TCP on loopback: each
// message gets the answer expected.json calls for (or none), nothing crashes, no transaction leaks.
// Answers are read from the server's SIP trace, because RFC 3261 §18.2.2 sends a response to the
// Via of the request (the corpus names documentation addresses), not back to the test's socket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import { StreamFramer } from '../../src/sip/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { TORTURE_MISSING, TORTURE_WIRE_ANSWER, tortureMessages } from '../support/torture.ts';

const messages = tortureMessages();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusOf = (bytes: Buffer): number | undefined => {
  const m = /^SIP\/2\.0 (\d{3}) /.exec(bytes.toString('latin1', 0, 16));
  return m ? Number(m[1]) : undefined;
};

for (const protocol of ['udp', 'tcp'] as const) {
  describe(`torture corpus over ${protocol.toUpperCase()} against the running server`, { skip: TORTURE_MISSING }, () => {
    let t: TestApp;
    const sent: { bytes: Buffer; protocol: string }[] = [];
    let udp: UdpSocket;
    let port: number;

    before(async () => {
      t = await startTestApp('sqlite', {}, { sipTrace: (dir, bytes, peer) => { if (dir === 'out') sent.push({ bytes, protocol: peer.protocol }); } });
      await t.app.listen();
      port = t.app.sip!.stack.local(protocol).port;
      udp = createSocket('udp4');
      await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    });
    after(async () => {
      udp?.close();
      await t?.close();
    });

    /** Waits for a final response in the trace (or gives up: then there was none). */
    async function finalAnswer(from: number, waitMs: number): Promise<number | null> {
      for (let waited = 0; waited < waitMs; waited += 10) {
        const final = sent.slice(from).map((s) => statusOf(s.bytes)).find((s) => s !== undefined && s >= 200);
        if (final !== undefined) return final;
        await sleep(10);
      }
      return null;
    }

    for (const m of messages) {
      const want = TORTURE_WIRE_ANSWER[m.file];
      const framing = protocol === 'tcp' ? new StreamFramer().push(m.data) : undefined;
      const unframeable = framing !== undefined && framing.messages.length === 0;
      const label = unframeable ? (framing!.error ? 'no answer, connection closed' : 'no answer yet, waits for the rest') : want === null ? 'no answer' : String(want);
      test(`${m.file} (${m.title}) → ${label}`, async () => {
        const from = sent.length;
        if (protocol === 'udp') {
          udp.send(m.data, port, '127.0.0.1');
          assert.equal(await finalAnswer(from, want === null ? 300 : 3000), want);
          return;
        }
        const socket = connect(port, '127.0.0.1');
        let closed = false;
        socket.on('close', () => { closed = true; });
        socket.on('error', () => {});
        socket.write(m.data);
        if (unframeable) {
          await sleep(300);
          assert.equal(await finalAnswer(from, 0), null);
          assert.equal(closed, framing!.error !== undefined, framing!.error ?? 'an incomplete message keeps the connection open');
        } else {
          assert.equal(await finalAnswer(from, want === null ? 300 : 3000), want);
          if (want !== null) assert.ok(sent.slice(from).some((s) => s.protocol === 'tcp' && statusOf(s.bytes) === want), 'answered on the connection');
        }
        socket.destroy();
      });
    }

    test('afterwards the server still answers, and every transaction ends once its timers run out', async () => {
      const from = sent.length;
      const options = 'OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKalive;rport\r\nFrom: <sip:t@x>;tag=1\r\nTo: <sip:1001@x>\r\nCall-ID: alive\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';
      udp.send(Buffer.from(options), t.app.sip!.stack.local('udp').port, '127.0.0.1');
      assert.equal(await finalAnswer(from, 3000), 200);
      assert.ok(t.app.sip!.stack.stats().transactions.server > 0);
      t.clock.advance(64 * 500 + 1);
      await sleep(50);
      assert.deepEqual(t.app.sip!.stack.stats().transactions, { server: 0, client: 0 });
      assert.equal(t.app.sip!.ua.activeDialogs, 0);
    });
  });
}
