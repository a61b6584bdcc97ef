import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseSdp, serializeSdp } from './sdp.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'latin1');

const parsed = (text: string) => {
  const r = parseSdp(text);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
};

describe('RFC 8866 §5: parse and serialize real-world descriptions', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.sdp'))) {
    it(`${name} round-trips byte for byte`, () => {
      const text = fixture(name);
      assert.equal(serializeSdp(parsed(text)), text);
    });
  }

  it('reads the linphone offer: session attributes, nine formats, three telephone-event rates', () => {
    const sd = parsed(fixture('linphone-offer.sdp'));
    assert.equal(sd.origin.username, 'agent1');
    assert.equal(sd.sessionName, 'Talk');
    assert.deepEqual(sd.attributes.map((a) => a.name), ['rtcp-xr', 'record']);
    const m = sd.media[0];
    assert.ok(m !== undefined);
    assert.deepEqual(m.formats, ['96', '97', '98', '0', '8', '18', '101', '100', '99']);
    assert.deepEqual(m.attributes.filter((a) => a.name === 'rtpmap').map((a) => a.value).slice(-3),
      ['101 telephone-event/48000', '100 telephone-event/16000', '99 telephone-event/8000']);
  });

  it('reads every line type of the full example, in order, with unknown attributes kept', () => {
    const sd = parsed(fixture('all-line-types.sdp'));
    assert.equal(sd.information, 'SDP Offer #1');
    assert.equal(sd.uri, 'http://www.jdoe.example.com/home.html');
    assert.deepEqual(sd.emails, ['Jane Doe <jane@jdoe.example.com>']);
    assert.deepEqual(sd.phones, ['+1 617 555-6011']);
    assert.deepEqual(sd.connection, { netType: 'IN', addrType: 'IP4', address: '233.252.0.1', suffix: '/127/3' });
    assert.deepEqual(sd.bandwidths, [{ type: 'CT', kbps: 128 }]);
    assert.equal(sd.timings.length, 2);
    assert.deepEqual(sd.timings[0]?.repeats, ['604800 3600 0 90000']);
    assert.equal(sd.timeZones, '3730928400 -1h 3749680800 0');
    assert.equal(sd.key, 'prompt');
    const [audio, video] = sd.media;
    assert.ok(audio !== undefined && video !== undefined);
    assert.equal(audio.port, 49170);
    assert.equal(audio.portCount, 2);
    assert.equal(audio.information, 'main audio');
    assert.deepEqual(video.connections, [{ netType: 'IN', addrType: 'IP6', address: '2001:db8::2', suffix: '' }]);
    assert.deepEqual(video.attributes.slice(1), [{ name: 'x-unknown-attribute', value: 'kept as sent' }, { name: 'x-property' }]);
  });

  it('reads IPv6 session and media connection lines', () => {
    const sd = parsed(fixture('ipv6-offer.sdp'));
    assert.equal(sd.origin.addrType, 'IP6');
    assert.equal(sd.connection?.address, '2001:db8::10');
    assert.equal(sd.connection?.addrType, 'IP6');
  });
});

describe('RFC 8866 §5: tolerant reading', () => {
  it('accepts LF-only line ends and trailing whitespace, and writes CRLF', () => {
    const crlf = fixture('sipp-uac-offer.sdp');
    const sloppy = crlf.replace(/\r\n/g, ' \t\n');
    assert.equal(serializeSdp(parsed(sloppy)), crlf);
  });

  it('skips blank lines and unknown type letters', () => {
    const sd = parsed('v=0\n\no=- 1 1 IN IP4 192.0.2.1\ns=-\ny=1234\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n');
    assert.equal(sd.media.length, 1);
  });

  it('keeps 64-bit session ids and versions exactly', () => {
    const sd = parsed('v=0\r\no=- 6356888021165351000 18446744073709551615 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n');
    assert.equal(sd.origin.sessionId, '6356888021165351000');
    assert.equal(sd.origin.sessionVersion, '18446744073709551615');
  });

  it('a single-space s= (RFC 4317 style) survives the round trip', () => {
    const text = 'v=0\r\no=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\ns= \r\nc=IN IP4 host.atlanta.example.com\r\nt=0 0\r\n';
    assert.equal(serializeSdp(parsed(text)), text);
  });
});

describe('RFC 8866 §5: structurally broken descriptions are refused, never thrown', () => {
  const good = fixture('sipp-uac-offer.sdp');
  for (const [name, text] of [
    ['empty input', ''],
    ['no v= line', good.replace('v=0\r\n', '')],
    ['a version other than 0', good.replace('v=0', 'v=1')],
    ['no o= line', good.replace(/o=[^\r]*\r\n/, '')],
    ['an o= line with five fields', good.replace('o=user1 53655765', 'o=53655765')],
    ['a non-numeric session version', good.replace('2353687637', 'abc')],
    ['a second v= line', `${good}v=0\r\n`],
    ['an m= port that is not a number', good.replace('m=audio 6000', 'm=audio six')],
    ['an m= port above 65535', good.replace('m=audio 6000', 'm=audio 70000')],
    ['a negative m= port', good.replace('m=audio 6000', 'm=audio -1')],
    ['an m= line without formats', good.replace('RTP/AVP 0', 'RTP/AVP')],
    ['a c= line with two fields', good.replace('c=IN IP4 127.0.0.1', 'c=IN 127.0.0.1')],
    ['a line without "="', good.replace('s=-', 's-')],
    ['a huge body', `${good}${'a=x\r\n'.repeat(20_000)}`],
  ] as const) {
    it(`refuses ${name}`, () => {
      const r = parseSdp(text);
      assert.equal(r.ok, false);
    });
  }
});
