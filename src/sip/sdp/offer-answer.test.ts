import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerOffer,
  compareVersions,
  createOffer,
  directionOf,
  holdOffer,
  readAnswer,
  resumeOffer,
} from './offer-answer.ts';
import type { AnswerOptions, Direction } from './offer-answer.ts';
import { parseSdp, serializeSdp } from './sdp.ts';
import type { SessionDescription } from './sdp.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'latin1');
const crlf = (text: string): string => `${text.trim().split('\n').map((l) => l.trim()).join('\r\n')}\r\n`;
const sdp = (text: string): SessionDescription => {
  const r = parseSdp(text);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
};

const ours: AnswerOptions = {
  address: '198.51.100.20', port: 30000, supported: ['PCMU', 'PCMA'], sessionId: '4242', sessionVersion: 1,
};

function accepted(offer: string | SessionDescription, options: Partial<AnswerOptions> = {}) {
  const r = answerOffer(offer, { ...ours, ...options });
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  return r;
}

describe('RFC 3264 §5: creating an offer', () => {
  it('lists PCMU, PCMA and telephone-event with rtpmap, fmtp, ptime and direction', () => {
    const offer = createOffer({
      address: '198.51.100.20', port: 30000, codecs: ['PCMU', 'PCMA'], telephoneEvent: true,
      direction: 'sendrecv', ptime: 20, sessionId: '1700000000', sessionVersion: 1,
    });
    assert.equal(serializeSdp(offer), crlf(`
      v=0
      o=- 1700000000 1 IN IP4 198.51.100.20
      s=-
      c=IN IP4 198.51.100.20
      t=0 0
      m=audio 30000 RTP/AVP 0 8 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=ptime:20
      a=sendrecv`));
  });

  it('uses IP6 for an IPv6 address and honours codec order and a chosen event PT', () => {
    const offer = createOffer({
      address: '2001:db8::20', port: 4000, codecs: ['PCMA'], telephoneEvent: true, telephoneEventPt: 96,
      sessionId: '1', sessionVersion: '1',
    });
    assert.equal(offer.origin.addrType, 'IP6');
    assert.deepEqual(offer.connection, { netType: 'IN', addrType: 'IP6', address: '2001:db8::20', suffix: '' });
    assert.deepEqual(offer.media[0]?.formats, ['8', '96']);
  });
});

describe('RFC 3264 §6: answering real-world offers', () => {
  it('baresip: picks PCMU (first offered that we support), keeps PT 101 for telephone-event', () => {
    const r = accepted(fixture('baresip-offer.sdp'));
    assert.deepEqual(r.negotiated.codec, { name: 'PCMU', pt: 0, clockRate: 8000 });
    assert.equal(r.negotiated.telephoneEventPt, 101);
    assert.deepEqual(r.negotiated.telephoneEventReceivePts, [101]);
    assert.deepEqual(r.negotiated.remote, { address: '192.168.1.20', port: 10078, rtcpPort: 10079 });
    assert.equal(r.negotiated.ptime, 20);
    assert.equal(r.negotiated.direction, 'sendrecv');
    assert.match(r.sdp, /\r\nm=audio 30000 RTP\/AVP 0 101\r\na=rtpmap:0 PCMU\/8000\r\na=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n$/);
  });

  it('linphone: static PT 0 without rtpmap is PCMU; the 8000 Hz telephone-event (PT 99) is chosen', () => {
    const r = accepted(fixture('linphone-offer.sdp'));
    assert.deepEqual(r.negotiated.codec, { name: 'PCMU', pt: 0, clockRate: 8000 });
    assert.equal(r.negotiated.telephoneEventPt, 99);
    assert.deepEqual(r.answer.media[0]?.formats, ['0', '99']);
    assert.ok(r.sdp.includes('a=rtpmap:99 telephone-event/8000\r\na=fmtp:99 0-15\r\n'));
  });

  it('Asterisk: its PCMA-first order wins; fmtp 0-16 is echoed', () => {
    const r = accepted(fixture('asterisk-offer.sdp'));
    assert.deepEqual(r.negotiated.codec, { name: 'PCMA', pt: 8, clockRate: 8000 });
    assert.ok(r.sdp.includes('a=fmtp:101 0-16\r\n'));
  });

  it('sipp: PCMU only, no telephone-event offered so none answered', () => {
    const r = accepted(fixture('sipp-uac-offer.sdp'));
    assert.equal(r.negotiated.telephoneEventPt, undefined);
    assert.deepEqual(r.negotiated.telephoneEventReceivePts, []);
    assert.ok(!r.sdp.includes('telephone-event'));
    assert.deepEqual(r.answer.media[0]?.formats, ['0']);
  });

  it('IPv6: remote address and RFC 3605 a=rtcp port are read; our IPv6 answer says IP6', () => {
    const r = accepted(fixture('ipv6-offer.sdp'), { address: '2001:db8::20' });
    assert.deepEqual(r.negotiated.remote, { address: '2001:db8::10', port: 5004, rtcpPort: 5009 });
    assert.ok(r.sdp.includes('c=IN IP6 2001:db8::20\r\n'));
    assert.ok(r.sdp.includes('o=- 4242 1 IN IP6 2001:db8::20\r\n'));
  });

  it('only PCMA supported: a PCMU+PCMA offer gets PCMA', () => {
    const r = accepted(fixture('baresip-offer.sdp'), { supported: ['PCMA'] });
    assert.equal(r.negotiated.codec.name, 'PCMA');
  });

  it('telephone-event is left out when we do not take it', () => {
    const r = accepted(fixture('baresip-offer.sdp'), { telephoneEvent: false });
    assert.ok(!r.sdp.includes('telephone-event'));
  });

  it('the answer parses back and the offerer reads the same codec from it', () => {
    const offer = fixture('asterisk-offer.sdp');
    const r = accepted(offer);
    const back = readAnswer(offer, r.sdp);
    assert.ok(back.ok);
    assert.deepEqual(back.negotiated.codec, r.negotiated.codec);
    assert.deepEqual(back.negotiated.remote, { address: '198.51.100.20', port: 30000, rtcpPort: 30001 });
  });
});

// RFC 4317 exchanges. Where the RFC's audio codec is iLBC, which this stack does not carry,
// the case says so and uses PCMU instead.
const RFC4317_2_1_OFFER = crlf(`
  v=0
  o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
  s=
  c=IN IP4 host.atlanta.example.com
  t=0 0
  m=audio 49170 RTP/AVP 0 8 97
  a=rtpmap:0 PCMU/8000
  a=rtpmap:8 PCMA/8000
  a=rtpmap:97 iLBC/8000
  m=video 51372 RTP/AVP 31 32
  a=rtpmap:31 H261/90000
  a=rtpmap:32 MPV/90000`);

describe('RFC 4317: offer/answer examples (audio)', () => {
  it('§2.1: the audio stream is answered with one codec and the video stream is rejected with port 0', () => {
    const r = accepted(RFC4317_2_1_OFFER);
    assert.equal(r.answer.media.length, 2);
    assert.deepEqual(r.answer.media[0]?.formats, ['0']);
    assert.equal(r.answer.media[1]?.port, 0);
    assert.equal(r.answer.media[1]?.media, 'video');
    assert.deepEqual(r.answer.media[1]?.formats, ['31', '32']);
    assert.equal(r.negotiated.remote.address, 'host.atlanta.example.com');
  });

  it('§2.1: the offerer reads Bob\'s answer: PCMU to host.biloxi.example.com:49174', () => {
    const answer = crlf(`
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 49174 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=video 49170 RTP/AVP 32
      a=rtpmap:32 MPV/90000`);
    const r = readAnswer(RFC4317_2_1_OFFER, answer);
    assert.ok(r.ok);
    assert.deepEqual(r.negotiated.codec, { name: 'PCMU', pt: 0, clockRate: 8000 });
    assert.deepEqual(r.negotiated.remote, { address: 'host.biloxi.example.com', port: 49174, rtcpPort: 49175 });
    assert.equal(r.negotiated.direction, 'sendrecv');
  });

  it('§2.2: an answer accepting PCMU and PCMA sends with the first; the re-answer bumps the version', () => {
    const answer = sdp(crlf(`
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 49172 RTP/AVP 0 8
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      m=video 0 RTP/AVP 31
      a=rtpmap:31 H261/90000`));
    const r = readAnswer(RFC4317_2_1_OFFER, answer);
    assert.ok(r.ok);
    assert.equal(r.negotiated.codec.name, 'PCMU');
    const second = sdp(serializeSdp(answer).replace('2808844564 2808844564', '2808844564 2808844565'));
    assert.equal(compareVersions(answer, second), 'modified');
  });

  it('§2.5: a re-answer with the same o= version means no change (RFC 3264 §8)', () => {
    const first = sdp(crlf(`
      v=0
      o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
      s=
      c=IN IP4 host.atlanta.example.com
      t=0 0
      m=audio 49170 RTP/AVP 97
      a=rtpmap:97 iLBC/8000`));
    const again = sdp(serializeSdp(first));
    assert.equal(compareVersions(first, again), 'unchanged');
    const older = sdp(serializeSdp(first).replace('2890844526 2890844526', '2890844526 2890844525'));
    assert.equal(compareVersions(first, older), 'version-went-back');
    const other = sdp(serializeSdp(first).replace('2890844526 2890844526', '2890844527 2890844527'));
    assert.equal(compareVersions(first, other), 'new-session');
  });

  it('§2.6: of two alternative audio streams, one is accepted and the other rejected with port 0', () => {
    const offer = crlf(`
      v=0
      o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
      s=
      c=IN IP4 host.atlanta.example.com
      t=0 0
      m=audio 49170 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=audio 51372 RTP/AVP 97 101
      a=rtpmap:97 iLBC/8000
      a=rtpmap:101 telephone-event/8000`);
    const r = accepted(offer);
    assert.equal(r.negotiated.mediaIndex, 0);
    assert.equal(r.answer.media[0]?.port, 30000);
    assert.equal(r.answer.media[1]?.port, 0);
    assert.deepEqual(r.answer.media[1]?.formats, ['97', '101']);
    // And the RFC's own answer, which keeps the iLBC stream, leaves nothing this stack can use.
    const bobs = crlf(`
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 0 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=audio 49170 RTP/AVP 97 101
      a=rtpmap:97 iLBC/8000
      a=rtpmap:101 telephone-event/8000`);
    const read = readAnswer(offer, bobs);
    assert.equal(read.ok, false);
    assert.equal(read.ok ? '' : read.reason, 'not-acceptable');
  });

  it('§3.1 (PCMU in place of iLBC): an answer that holds us (sendonly) leaves us receiving only', () => {
    const offer = crlf(`
      v=0
      o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
      s=
      c=IN IP4 host.atlanta.example.com
      t=0 0
      m=audio 49170 RTP/AVP 0 97
      a=rtpmap:0 PCMU/8000
      a=rtpmap:97 iLBC/8000`);
    const answer = crlf(`
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 placeholder.biloxi.example.com
      t=0 0
      m=audio 49172 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      a=sendonly`);
    const r = readAnswer(offer, answer);
    assert.ok(r.ok);
    assert.equal(r.negotiated.direction, 'recvonly');
  });

  it('§4.3: a stream the offer deletes (port 0) stays rejected in the answer', () => {
    const offer = crlf(`
      v=0
      o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 49174 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=video 0 RTP/AVP 31
      a=rtpmap:31 H261/90000`);
    const r = accepted(offer);
    assert.equal(r.answer.media[1]?.port, 0);
    assert.equal(r.answer.media.length, 2);
  });

  it('§5.2 (PCMU in place of iLBC): an offer with c=0.0.0.0 is answered without sending to it', () => {
    const offer = crlf(`
      v=0
      o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
      s=
      c=IN IP4 0.0.0.0
      t=0 0
      m=audio 23442 RTP/AVP 0
      a=rtpmap:0 PCMU/8000`);
    const r = accepted(offer);
    assert.equal(r.negotiated.direction, 'recvonly');
    assert.equal(r.negotiated.remote.address, '0.0.0.0');
    assert.ok(r.sdp.includes('a=recvonly\r\n'));
  });

  it('§5.3 (PCMU in place of iLBC): an answer with c=0.0.0.0 means we must not send', () => {
    const offer = fixture('sipp-uac-offer.sdp');
    const answer = crlf(`
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 0.0.0.0
      t=0 0
      m=audio 9322 RTP/AVP 0
      a=rtpmap:0 PCMU/8000`);
    const r = readAnswer(offer, answer);
    assert.ok(r.ok);
    assert.equal(r.negotiated.direction, 'recvonly');
  });
});

describe('RFC 3264 §6.1: answer direction', () => {
  const offerWith = (direction: Direction) =>
    createOffer({ address: '192.0.2.1', port: 4000, codecs: ['PCMU'], telephoneEvent: false, direction, sessionId: '1', sessionVersion: 1 });
  for (const [offered, preference, expected] of [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendrecv', 'inactive', 'inactive'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'recvonly', 'inactive'],
  ] as const) {
    it(`offer ${offered}, we prefer ${preference} -> answer ${expected}`, () => {
      const r = accepted(offerWith(offered), { direction: preference });
      assert.equal(r.negotiated.direction, expected);
      assert.equal(directionOf(r.answer, r.answer.media[0] ?? assert.fail('no m=')), expected);
    });
  }

  it('a session-level direction applies when the m= line has none', () => {
    const r = accepted('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n');
    assert.equal(r.negotiated.direction, 'recvonly');
  });
});

describe('RFC 3264 §6: streams that cannot be accepted', () => {
  it('no common codec is a not-acceptable failure (the caller answers 488)', () => {
    const r = answerOffer('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18 97\r\na=rtpmap:18 G729/8000\r\na=rtpmap:97 iLBC/8000\r\n', ours);
    assert.deepEqual(r, { ok: false, reason: 'not-acceptable', detail: 'no codec in common' });
  });

  it('PCMU at another clock rate is not PCMU/8000', () => {
    const r = answerOffer('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n', ours);
    assert.equal(r.ok, false);
  });

  it('video only, or audio over RTP/SAVP, is not acceptable', () => {
    for (const m of ['m=video 4000 RTP/AVP 31', 'm=audio 4000 RTP/SAVP 0', 'm=audio 4000 UDP/TLS/RTP/SAVPF 0']) {
      const r = answerOffer(`v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n${m}\r\n`, ours);
      assert.equal(r.ok ? 'ok' : r.reason, 'not-acceptable', m);
    }
  });

  it('an SRTP stream beside a plain one is rejected with port 0 while the plain one is accepted', () => {
    const r = accepted('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0\r\nm=audio 4002 RTP/AVP 0\r\n');
    assert.equal(r.negotiated.mediaIndex, 1);
    assert.deepEqual(r.answer.media.map((m) => m.port), [0, 30000]);
    assert.deepEqual(r.answer.media.map((m) => m.proto), ['RTP/SAVP', 'RTP/AVP']);
  });

  it('malformed offers and an audio stream with no c= anywhere are malformed, not thrown', () => {
    assert.equal(answerOffer('hello', ours).ok, false);
    const r = answerOffer('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n', ours);
    assert.equal(r.ok ? 'ok' : r.reason, 'malformed');
  });

  it('an answer with a different number of m= lines is malformed', () => {
    const r = readAnswer(RFC4317_2_1_OFFER, fixture('sipp-uac-offer.sdp'));
    assert.equal(r.ok ? 'ok' : r.reason, 'malformed');
  });
});

describe('RFC 4733 telephone-event payload types on the offerer side', () => {
  it('sends on the answer\'s PT and accepts events on both its own and the answer\'s PT', () => {
    const offer = createOffer({ address: '198.51.100.20', port: 30000, codecs: ['PCMU', 'PCMA'], telephoneEvent: true, sessionId: '9', sessionVersion: 1 });
    const answer = crlf(`
      v=0
      o=phone 77 77 IN IP4 192.0.2.55
      s=-
      c=IN IP4 192.0.2.55
      t=0 0
      m=audio 40000 RTP/AVP 8 96
      a=rtpmap:8 PCMA/8000
      a=rtpmap:96 telephone-event/8000
      a=fmtp:96 0-15
      a=rtcp:40005`);
    const r = readAnswer(offer, answer);
    assert.ok(r.ok);
    assert.deepEqual(r.negotiated.codec, { name: 'PCMA', pt: 8, clockRate: 8000 });
    assert.equal(r.negotiated.telephoneEventPt, 96);
    assert.deepEqual(r.negotiated.telephoneEventReceivePts, [101, 96]);
    assert.equal(r.negotiated.remote.rtcpPort, 40005);
  });

  it('an answer without telephone-event gives none', () => {
    const offer = createOffer({ address: '198.51.100.20', port: 30000, codecs: ['PCMU'], telephoneEvent: true, sessionId: '9', sessionVersion: 1 });
    const r = readAnswer(offer, fixture('sipp-uac-offer.sdp'));
    assert.ok(r.ok);
    assert.equal(r.negotiated.telephoneEventPt, undefined);
    assert.deepEqual(r.negotiated.telephoneEventReceivePts, []);
  });

  it('an answer choosing a codec that was not offered is not acceptable', () => {
    const offer = createOffer({ address: '198.51.100.20', port: 30000, codecs: ['PCMU'], telephoneEvent: false, sessionId: '9', sessionVersion: 1 });
    const answer = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n';
    const r = readAnswer(offer, answer);
    assert.equal(r.ok ? 'ok' : r.reason, 'not-acceptable');
  });
});

describe('RFC 3264 §8.4: hold and resume', () => {
  const initial = createOffer({
    address: '198.51.100.20', port: 30000, codecs: ['PCMU', 'PCMA'], telephoneEvent: true, sessionId: '5000', sessionVersion: '41',
  });

  it('hold (sendonly) bumps the version by one and replaces the direction; the far end answers recvonly', () => {
    const held = holdOffer(initial, 'sendonly');
    assert.equal(held.origin.sessionVersion, '42');
    assert.equal(initial.origin.sessionVersion, '41', 'the previous description is not changed');
    assert.equal(compareVersions(initial, held), 'modified');
    const m = held.media[0];
    assert.ok(m !== undefined);
    assert.equal(m.attributes.filter((a) => ['sendrecv', 'sendonly', 'recvonly', 'inactive'].includes(a.name)).length, 1);
    assert.equal(directionOf(held, m), 'sendonly');
    const answer = accepted(held);
    assert.equal(answer.negotiated.direction, 'recvonly');
    const back = readAnswer(held, answer.sdp);
    assert.ok(back.ok);
    assert.equal(back.negotiated.direction, 'sendonly');
  });

  it('hold (inactive) then resume (sendrecv), each one version higher', () => {
    const held = holdOffer(initial, 'inactive');
    assert.equal(accepted(held).negotiated.direction, 'inactive');
    const resumed = resumeOffer(held);
    assert.equal(resumed.origin.sessionVersion, '43');
    assert.equal(directionOf(resumed, resumed.media[0] ?? assert.fail('no m=')), 'sendrecv');
    assert.equal(accepted(resumed).negotiated.direction, 'sendrecv');
  });

  it('a session-level direction is replaced by the media-level one on hold', () => {
    const withSession = sdp('v=0\r\no=- 1 18446744073709551615 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=sendrecv\r\nm=audio 4000 RTP/AVP 0\r\n');
    const held = holdOffer(withSession, 'sendonly');
    assert.deepEqual(held.attributes, []);
    assert.equal(held.origin.sessionVersion, '18446744073709551616');
    assert.equal(directionOf(held, held.media[0] ?? assert.fail('no m=')), 'sendonly');
  });
});
