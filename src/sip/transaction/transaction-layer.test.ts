// RFC 3261 §17 state machines on an injected clock: timers A–K, T1/T2/T4, retransmission, matching.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../kernel/index.ts';
import type { Endpoint } from '../transport/transport.ts';
import { TransactionLayer } from './transaction-layer.ts';
import type { TxRequest, TxResponse } from './transaction-types.ts';

const UDP: Endpoint = { protocol: 'udp', address: '127.0.0.1', port: 5070 };
const TCP: Endpoint = { protocol: 'tcp', address: '127.0.0.1', port: 5070 };

const req = (method: string, branch = 'z9hG4bK-1'): TxRequest => ({
  method, branch, sentBy: '127.0.0.1:5071', cseqMethod: method === 'ACK' ? 'ACK' : method, bytes: Buffer.from(`${method} ${branch}`),
});
const res = (status: number, method: string, branch = 'z9hG4bK-1'): TxResponse => ({ status, branch, cseqMethod: method, bytes: Buffer.from(`${status} ${method}`) });

function setup() {
  const clock = new ManualClock(0);
  const sent: { at: number; what: string; to: Endpoint }[] = [];
  const layer = new TransactionLayer({
    clock,
    send: async (bytes, to) => { sent.push({ at: clock.now(), what: bytes.toString(), to }); },
    buildAck: (r) => Buffer.from(`ACK ${r.branch}`),
  });
  const times = (what: string) => sent.filter((s) => s.what === what).map((s) => s.at);
  return { clock, layer, sent, times };
}

describe('RFC 3261 §17.1.1 INVITE client transaction', () => {
  test('§17.1.1.2: over UDP Timer A retransmits at T1, then doubles (0.5, 1, 2, 4, 8, 16 s)', () => {
    const { clock, layer, times } = setup();
    layer.sendRequest(req('INVITE'), UDP, { receiveResponse() {} });
    clock.advance(31_000);
    assert.deepEqual(times('INVITE z9hG4bK-1'), [0, 500, 1500, 3500, 7500, 15500, 31500].filter((t) => t <= 31_000));
  });

  test('§17.1.1.2: Timer B fires after 64*T1 and tells the TU of the timeout', () => {
    const { clock, layer } = setup();
    let timedOut = false;
    const tx = layer.sendRequest(req('INVITE'), UDP, { receiveResponse() {}, timeout: () => { timedOut = true; } });
    clock.advance(31_999);
    assert.equal(timedOut, false);
    clock.advance(1);
    assert.equal(timedOut, true);
    assert.equal(tx.state, 'Terminated');
    assert.equal(layer.counts().client, 0);
  });

  test('§17.1.1.2: a reliable transport does not retransmit', () => {
    const { clock, layer, times } = setup();
    layer.sendRequest(req('INVITE'), TCP, { receiveResponse() {} });
    clock.advance(10_000);
    assert.deepEqual(times('INVITE z9hG4bK-1'), [0]);
  });

  test('§17.1.1.2: a provisional response moves to Proceeding and stops retransmissions', () => {
    const { clock, layer, times } = setup();
    const got: number[] = [];
    const tx = layer.sendRequest(req('INVITE'), UDP, { receiveResponse: (r) => got.push(r.status) });
    clock.advance(600);
    assert.ok(layer.receiveResponse(res(180, 'INVITE')));
    clock.advance(20_000);
    assert.equal(tx.state, 'Proceeding');
    assert.deepEqual(times('INVITE z9hG4bK-1'), [0, 500]);
    assert.deepEqual(got, [180]);
  });

  test('§17.1.1.3: a 486 is ACKed, passed up once, and a retransmitted 486 is ACKed again; Timer D then ends it', () => {
    const { clock, layer, times } = setup();
    const got: number[] = [];
    const tx = layer.sendRequest(req('INVITE'), UDP, { receiveResponse: (r) => got.push(r.status) });
    layer.receiveResponse(res(486, 'INVITE'));
    clock.advance(1000);
    layer.receiveResponse(res(486, 'INVITE'));
    assert.deepEqual(got, [486]);
    assert.deepEqual(times('ACK z9hG4bK-1'), [0, 1000]);
    assert.equal(tx.state, 'Completed');
    clock.advance(31_000);
    assert.equal(tx.state, 'Terminated');
  });

  test('RFC 6026 §7.2: a 2xx moves to Accepted; retransmitted 2xx reach the TU; Timer M ends it', () => {
    const { clock, layer } = setup();
    const got: number[] = [];
    const tx = layer.sendRequest(req('INVITE'), UDP, { receiveResponse: (r) => got.push(r.status) });
    layer.receiveResponse(res(200, 'INVITE'));
    layer.receiveResponse(res(200, 'INVITE'));
    assert.equal(tx.state, 'Accepted');
    assert.deepEqual(got, [200, 200]);
    clock.advance(32_000);
    assert.equal(tx.state, 'Terminated');
  });

  test('§17.1.4: a transport error terminates the transaction and is reported', async () => {
    const clock = new ManualClock(0);
    const layer = new TransactionLayer({ clock, send: async () => { throw new Error('ECONNREFUSED'); } });
    let error: Error | undefined;
    const tx = layer.sendRequest(req('INVITE'), TCP, { receiveResponse() {}, transportError: (e) => { error = e; } });
    await new Promise((r) => setImmediate(r));
    assert.equal(error?.message, 'ECONNREFUSED');
    assert.equal(tx.state, 'Terminated');
  });
});

describe('RFC 3261 §17.1.2 non-INVITE client transaction', () => {
  test('§17.1.2.2: Timer E doubles up to T2 (0.5, 1, 2, 4, 4, 4 s)', () => {
    const { clock, layer, times } = setup();
    layer.sendRequest(req('OPTIONS'), UDP, { receiveResponse() {} });
    clock.advance(20_000);
    assert.deepEqual(times('OPTIONS z9hG4bK-1'), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500]);
  });

  test('§17.1.2.2: in Proceeding retransmissions continue every T2', () => {
    const { clock, layer, times } = setup();
    layer.sendRequest(req('OPTIONS'), UDP, { receiveResponse() {} });
    layer.receiveResponse(res(100, 'OPTIONS'));
    clock.advance(9_000);
    assert.deepEqual(times('OPTIONS z9hG4bK-1'), [0, 500, 4500, 8500]);
  });

  test('§17.1.2.2: Timer F fires after 64*T1; Timer K lingers T4 after a final response', () => {
    const { clock, layer } = setup();
    let timedOut = 0;
    layer.sendRequest(req('OPTIONS', 'z9hG4bK-a'), UDP, { receiveResponse() {}, timeout: () => timedOut++ });
    const done = layer.sendRequest(req('OPTIONS', 'z9hG4bK-b'), UDP, { receiveResponse() {} });
    layer.receiveResponse(res(200, 'OPTIONS', 'z9hG4bK-b'));
    assert.equal(done.state, 'Completed');
    clock.advance(5_000);
    assert.equal(done.state, 'Terminated');
    clock.advance(27_000);
    assert.equal(timedOut, 1);
  });

  test('§17.1.3: a response matches only the transaction with its branch and CSeq method', () => {
    const { layer } = setup();
    const got: string[] = [];
    layer.sendRequest(req('OPTIONS'), UDP, { receiveResponse: (r) => got.push(`${r.status}`) });
    assert.equal(layer.receiveResponse(res(200, 'INFO')), false);
    assert.equal(layer.receiveResponse(res(200, 'OPTIONS', 'z9hG4bK-other')), false);
    assert.equal(layer.receiveResponse(res(200, 'OPTIONS')), true);
    assert.deepEqual(got, ['200']);
  });
});

describe('RFC 3261 §17.2.1 INVITE server transaction', () => {
  test('a retransmitted INVITE in Proceeding gets the last provisional response again', () => {
    const { layer, times } = setup();
    const m = layer.receiveRequest(req('INVITE'), UDP);
    assert.equal(m.kind, 'new');
    if (m.kind !== 'new') return;
    m.transaction.respond(res(100, 'INVITE'));
    assert.equal(layer.receiveRequest(req('INVITE'), UDP).kind, 'retransmission');
    assert.deepEqual(times('100 INVITE'), [0, 0]);
  });

  test('Timer G retransmits a 486 doubling up to T2 until the ACK; the ACK is absorbed and moves to Confirmed', () => {
    const { clock, layer, times } = setup();
    const m = layer.receiveRequest(req('INVITE'), UDP);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(res(486, 'INVITE'));
    clock.advance(8_000);
    assert.deepEqual(times('486 INVITE'), [0, 500, 1500, 3500, 7500]);
    assert.equal(layer.receiveRequest(req('ACK'), UDP).kind, 'ack-absorbed');
    assert.equal(m.transaction.state, 'Confirmed');
    clock.advance(4_000);
    assert.equal(times('486 INVITE').length, 5, 'no retransmission after the ACK');
    clock.advance(1_001);
    assert.equal(m.transaction.state, 'Terminated', 'Timer I = T4');
  });

  test('Timer H: without an ACK the transaction ends after 64*T1 and the TU hears of it', () => {
    const { clock, layer } = setup();
    const m = layer.receiveRequest(req('INVITE'), UDP);
    if (m.kind !== 'new') throw new Error('expected new');
    let noAck = false;
    m.transaction.events = { ackTimeout: () => { noAck = true; } };
    m.transaction.respond(res(404, 'INVITE'));
    clock.advance(32_000);
    assert.equal(noAck, true);
    assert.equal(m.transaction.state, 'Terminated');
  });

  test('RFC 6026 §7.1: after a 2xx the transaction is Accepted, absorbs INVITE retransmissions, and an ACK goes to the dialog', () => {
    const { clock, layer } = setup();
    const m = layer.receiveRequest(req('INVITE'), UDP);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(res(200, 'INVITE'));
    assert.equal(m.transaction.state, 'Accepted');
    assert.equal(layer.receiveRequest(req('INVITE'), UDP).kind, 'retransmission');
    assert.equal(layer.receiveRequest(req('ACK'), UDP).kind, 'ack-for-2xx');
    clock.advance(32_000);
    assert.equal(m.transaction.state, 'Terminated');
  });

  test('§9.2: a CANCEL finds the INVITE transaction it cancels', () => {
    const { layer } = setup();
    const m = layer.receiveRequest(req('INVITE'), UDP);
    assert.equal(layer.findInviteFor(req('CANCEL')), m.kind === 'new' ? m.transaction : undefined);
    assert.equal(layer.findInviteFor(req('CANCEL', 'z9hG4bK-unknown')), undefined);
  });
});

describe('RFC 3261 §17.2.2 non-INVITE server transaction', () => {
  test('a retransmitted request in Completed gets the final response again; Timer J = 64*T1 over UDP', () => {
    const { clock, layer, times } = setup();
    const m = layer.receiveRequest(req('OPTIONS'), UDP);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(res(200, 'OPTIONS'));
    clock.advance(1000);
    layer.receiveRequest(req('OPTIONS'), UDP);
    assert.deepEqual(times('200 OPTIONS'), [0, 1000]);
    clock.advance(31_000);
    assert.equal(m.transaction.state, 'Terminated');
    assert.equal(layer.counts().server, 0);
  });

  test('over TCP Timer J is zero', () => {
    const { clock, layer } = setup();
    const m = layer.receiveRequest(req('REGISTER'), TCP);
    if (m.kind !== 'new') throw new Error('expected new');
    m.transaction.respond(res(200, 'REGISTER'));
    clock.advance(0);
    assert.equal(m.transaction.state, 'Terminated');
  });

  test('§17.2.3: requests from RFC 2543 peers (no magic cookie) match on the fallback identity', () => {
    const { layer } = setup();
    const old = { ...req('OPTIONS', '1234'), legacyKey: 'call-1|1|from-tag|via' };
    assert.equal(layer.receiveRequest(old, UDP).kind, 'new');
    assert.equal(layer.receiveRequest(old, UDP).kind, 'retransmission');
    assert.equal(layer.receiveRequest({ ...old, legacyKey: 'call-1|2|from-tag|via' }, UDP).kind, 'new');
  });
});
