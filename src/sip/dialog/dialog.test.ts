import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dialog, DialogSet, type DialogSource } from './dialog.ts';

const src: DialogSource = {
  callId: 'c-1', fromTag: 'ft', toTag: 'tt', fromUri: 'sip:alice@a.example', toUri: 'sip:bob@b.example', cseq: 7,
  remoteTarget: 'sip:alice@10.0.0.1:5070', recordRoute: ['<sip:p1.example;lr>', '<sip:p2.example;lr>'], secure: false,
};

describe('RFC 3261 §12 dialogs', () => {
  test('§12.1.1: the UAS keeps Record-Route in order, takes the remote target from Contact and the remote CSeq', () => {
    const d = Dialog.asUas(src, 'our-tag', 'Confirmed', 100);
    assert.deepEqual(d.id, { callId: 'c-1', localTag: 'our-tag', remoteTag: 'ft' });
    assert.deepEqual(d.routeSet, ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    assert.equal(d.remoteSeq, 7);
    assert.equal(d.localUri, 'sip:bob@b.example');
  });

  test('§12.1.2: the UAC reverses Record-Route and keeps its own CSeq as the local sequence', () => {
    const d = Dialog.asUac({ ...src, remoteTarget: 'sip:bob@10.0.0.2' }, 'Early');
    assert.deepEqual(d.routeSet, ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(d.localSeq, 7);
    assert.equal(d.remoteSeq, undefined);
    assert.equal(d.state, 'Early');
    d.confirm();
    assert.equal(d.state, 'Confirmed');
  });

  test('§12.2.1.1: with a loose router the Request-URI is the remote target and the CSeq increments', () => {
    const d = Dialog.asUac({ ...src, remoteTarget: 'sip:bob@10.0.0.2' }, 'Confirmed');
    const bye = d.createRequest('BYE');
    assert.equal(bye.requestUri, 'sip:bob@10.0.0.2');
    assert.deepEqual(bye.route, ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    assert.equal(bye.cseq, 8);
    assert.equal(d.createRequest('ACK', 7).cseq, 7, '§13.2.2.4: ACK for a 2xx reuses the INVITE CSeq');
    assert.equal(d.createRequest('INFO').cseq, 9);
  });

  test('§12.2.1.1: with a strict router the first route becomes the Request-URI and the target goes last', () => {
    const d = Dialog.asUac({ ...src, recordRoute: ['<sip:strict.example>'], remoteTarget: 'sip:bob@10.0.0.2' }, 'Confirmed');
    const r = d.createRequest('BYE');
    assert.equal(r.requestUri, 'sip:strict.example');
    assert.deepEqual(r.route, ['<sip:bob@10.0.0.2>']);
  });

  test('§12.2.2: a request with a CSeq not above the remote sequence is out of order; ACK and CANCEL are exempt', () => {
    const d = Dialog.asUas(src, 'x', 'Confirmed', 1);
    assert.equal(d.receiveRequest('INFO', 7), 'out-of-order');
    assert.equal(d.receiveRequest('ACK', 7), 'ok');
    assert.equal(d.receiveRequest('INFO', 8), 'ok');
    assert.equal(d.remoteSeq, 8);
  });

  test('a dialog set finds a dialog by Call-ID and both tags', () => {
    const set = new DialogSet();
    const d = Dialog.asUas(src, 'lt', 'Confirmed', 1);
    set.add(d);
    assert.equal(set.find('c-1', 'lt', 'ft'), d);
    assert.equal(set.find('c-1', 'lt', 'other'), undefined);
    set.remove(d);
    assert.equal(set.size, 0);
  });
});
