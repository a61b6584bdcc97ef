// Media through Switchboard with real peers: RFC 4733 digits from sipp detected exactly once and
// relayed to a baresip phone; baresip's speech bridged, transcoded where needed, and recorded in
// stereo (each channel checked against what each phone played); espeak-ng prompts heard by baresip.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aorOf } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/kernel/index.ts';
import { announce, type VoiceEvents } from '../../src/voice/index.ts';
import { Baresip, baresipAvailable } from '../support/baresip.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { containment, rmsDb, speechWav, wavChannels } from '../support/audio.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'Media-Interop-Secret';
const espeakAvailable = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = !baresipAvailable() ? 'baresip (baresip-core)' : !sippAvailable() ? 'sipp (sip-tester)' : !espeakAvailable ? 'espeak-ng' : undefined;

describe('media with real peers', { skip: missing ? `${missing} is not installed: .ci/run installs it` : false }, () => {
  let t: TestApp;
  let alice: Baresip;
  let bob: Baresip;
  let registrar: string;
  let dir: string;
  const aliceSpeech = () => join(dir, 'alice.wav');
  const bobSpeech = () => join(dir, 'bob.wav');

  /** The next event of `name` published on the app's bus. */
  const nextEvent = <K extends keyof VoiceEvents>(name: K, timeoutMs = 15_000): Promise<VoiceEvents[K]> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${name} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = t.app.bus.subscribe(name, (p) => { clearTimeout(timer); off(); resolve(p as VoiceEvents[K]); });
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-media-interop-'));
    speechWav('Thank you for calling. Your order has shipped and will arrive on Tuesday.', 'en-us', aliceSpeech());
    speechWav('ni3 hao3, wo3 xiang3 cha2 xun2 wo3 de5 ding4 dan1.', 'cmn-latn-pinyin', bobSpeech());
    t = await startTestApp('sqlite', {}, { realClock: true });
    await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    registrar = `${udp.address}:${udp.port}`;
    for (const phone of await t.app.phones.list(t.tenants.demo)) await t.app.phones.setPassword(t.tenants.demo, phone.id, `${PASSWORD}-${phone.username}`);
    alice = await Baresip.start({ user: '1001', password: `${PASSWORD}-1001`, registrar, rtpBase: 32000, source: aliceSpeech(), record: true });
    bob = await Baresip.start({ user: '1002', password: `${PASSWORD}-1002`, registrar, rtpBase: 32040, source: bobSpeech(), record: true });
    await alice.waitFor('REGISTER_OK');
    await bob.waitFor('REGISTER_OK');
  });
  after(async () => {
    await alice?.stop();
    await bob?.stop();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a bridged call is recorded in stereo: the caller\'s speech on the left, the called phone\'s on the right, encrypted at rest', async () => {
    const stopped = nextEvent('CallRecordingStopped', 30_000);
    const since = bob.events.length;
    alice.command('dial', `sip:1002@${registrar}`);
    await alice.waitFor('CALL_RTPESTAB');
    await bob.waitFor('CALL_RTPESTAB', 10_000, since);
    await new Promise((r) => setTimeout(r, 5000));
    alice.command('hangup');
    await bob.waitFor('CALL_CLOSED', 10_000, since);
    const rec = await stopped;
    assert.ok(rec.durationMs >= 4000, `recorded ${rec.durationMs} ms`);

    const read = await t.app.media!.recordings.read(t.tenants.demo, rec.recordingId);
    assert.ok(read.ok, 'the recording reads back and verifies');
    assert.equal(read.sha256, rec.sha256);
    const { rate, channels } = wavChannels(read.bytes);
    assert.equal(rate, 8000);
    assert.equal(channels.length, 2);
    const [left, right] = channels as [Int16Array, Int16Array];
    const aliceSrc = wavChannels(aliceSpeech()).channels[0]!;
    const bobSrc = wavChannels(bobSpeech()).channels[0]!;
    // A second of each phone's speech is found in its own channel, and not in the other one.
    const l = containment(aliceSrc, left, { refStart: 4000, maxLag: left.length - 8000 });
    const r = containment(bobSrc, right, { refStart: 4000, maxLag: right.length - 8000 });
    const cross = containment(aliceSrc, right, { refStart: 4000, maxLag: right.length - 8000 });
    assert.ok(l.corr > 0.9, `left channel holds the caller's speech (corr ${l.corr.toFixed(3)})`);
    assert.ok(r.corr > 0.9, `right channel holds the called party's speech (corr ${r.corr.toFixed(3)})`);
    assert.ok(cross.corr < 0.5, `channels are not mixed (corr ${cross.corr.toFixed(3)})`);
    assert.ok(rmsDb(left) > -40 && rmsDb(right) > -40);

    // The file on disk is ciphertext: the raw samples of the call appear nowhere in it.
    const files = spawnSync('find', [t.app.config.dataDir, '-name', `${rec.recordingId}*`]).stdout.toString().trim().split('\n');
    const onDisk = readFileSync(files[0]!);
    assert.equal(onDisk.indexOf(Buffer.from(read.bytes.subarray(8000, 8064))), -1);

    // And the phones heard each other through the bridge.
    const bobHeard = wavChannels(bob.recordings().received.at(-1)!).channels[0]!;
    assert.ok(containment(aliceSrc, bobHeard, { refStart: 4000, maxLag: bobHeard.length - 8000 }).corr > 0.9, 'bob heard alice');
  });

  test('RFC 4733 digits from sipp (A-law caller) are detected exactly once each and relayed to the baresip phone (µ-law)', async () => {
    const since = bob.events.length;
    const digits: string[] = [];
    const off = t.app.bus.subscribe('CallDigitReceived', (e) => digits.push(e.digit));
    const media = nextEvent('CallMediaEnded', 30_000);
    try {
      const run = await runSipp({ scenario: 'uac-invite-pcma-dtmf-bye-expect-200.xml', target: registrar, service: '1002', timeoutS: 30 });
      assert.equal(run.code, 0, `${run.errors}\n${run.messages.slice(-3000)}`);
    } finally {
      off();
    }
    assert.equal(digits.join(''), '1590#*55');
    const relayed = bob.events.slice(since).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
    assert.equal(relayed, '1590#*55', 'the phone received each digit once');
    const quality = await media;
    const callerLeg = quality.legs[0]!;
    assert.ok(callerLeg.packetsReceived > 50, `caller leg received ${callerLeg.packetsReceived} packets`);
    assert.equal(callerLeg.foreign, 0);
  });

  test('espeak-ng prompts in English and Mandarin, played by Switchboard, are heard by the phone', async () => {
    const media = t.app.media!.engine;
    const en = await media.promptFromText('Welcome to Switchboard. Your call is important to us.', 'en');
    const zh = await media.promptFromText('欢迎致电客服中心，请按1。', 'cmn');
    assert.ok(en.ok && zh.ok, `prompts rendered: ${JSON.stringify([en.ok || en.message, zh.ok || zh.message])}`);
    const [binding] = await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1001', 'demo'), Date.now());
    const before = alice.recordings().received.length;
    const r = await announce({ ua: t.app.sip!.ua, media, log: silentLogger }, binding!, {
      from: '<sip:announcements@demo>', to: '<sip:1001@demo>', items: [en.item, { kind: 'silence', ms: 300 }, zh.item],
    });
    assert.equal(r.outcome, 'played');
    await alice.waitFor('CALL_CLOSED', 10_000, alice.events.length - 1);
    await new Promise((res) => setTimeout(res, 500));
    const files = alice.recordings().received;
    assert.ok(files.length > before, 'baresip recorded the call');
    const heard = wavChannels(files.at(-1)!).channels[0]!;
    const promptSamples = en.item.kind === 'samples' && zh.item.kind === 'samples' ? en.item.samples.length + zh.item.samples.length : 0;
    assert.ok(heard.length >= promptSamples * 0.9, `heard ${heard.length} samples of ${promptSamples}`);
    assert.ok(rmsDb(heard) > -40, `speech energy ${rmsDb(heard).toFixed(1)} dBFS`);
    const enHeard = containment(en.item.kind === 'samples' ? en.item.samples : new Int16Array(), heard, { refStart: 4000, maxLag: 16000 });
    assert.ok(enHeard.corr > 0.9, `the English prompt arrived intact (corr ${enHeard.corr.toFixed(3)})`);
  });
});
