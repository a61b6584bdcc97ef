// sipp as the caller and as the phone, Switchboard in the middle, on loopback over UDP: OPTIONS,
// REGISTER with digest, calls answered, refused, unknown and cancelled. sipp's exit code is the
// assertion; the server's own state is checked too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSipp, sippAvailable, startSipp, type SippOptions } from '../support/sipp.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aorOf } from '../../src/sip/index.ts';

describe('sipp ↔ Switchboard (UDP and TCP)', { skip: sippAvailable() ? false : 'sipp (Debian package sip-tester) is not installed: .ci/run installs it' }, () => {
  let t: TestApp;
  let target: string;

  before(async () => {
    // sipp answers the first challenge and computes MD5 only, so SHA-256 goes second (RFC 8760 §2.4).
    t = await startTestApp('sqlite', { SB_SIP_DIGEST_ALGORITHMS: 'MD5,SHA-256' }, { realClock: true });
    await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    target = `${udp.address}:${udp.port}`;
  });
  after(async () => { await t?.close(); });

  const expectPass = async (o: Omit<SippOptions, 'target'>) => {
    const r = await runSipp({ ...o, target });
    assert.equal(r.code, 0, `${o.scenario} failed:\n${r.errors}\n${r.stdout.slice(-2000)}\n${r.messages.slice(-4000)}`);
    return r;
  };

  /** sipp puts remote_ip:remote_port in the digest uri unless told the Request-URI (RFC 7616 wants them equal). */
  const digestUri = (user: string) => ['-auth_uri', `${user}@${target}`];

  /** A sipp phone registered as `extension` (binding written by the registrar, as a REGISTER would). */
  const phone = async (extension: string, scenario: string) => {
    const uas = await startSipp({ scenario, timeoutS: 20 });
    const now = Date.now();
    await t.app.sip!.registrar.register({
      tenantId: t.tenants.demo, aor: aorOf(extension, 'demo'), contacts: [{ uri: `sip:${extension}@127.0.0.1:${uas.port}` }],
      expiresHeader: 300, callId: `reg-${extension}-${now}`, cseq: 1, source: { protocol: 'udp', address: '127.0.0.1', port: uas.port }, now,
    });
    await new Promise((r) => setTimeout(r, 300));
    return uas;
  };

  test('OPTIONS is answered 200 (RFC 3261 §11.2)', async () => {
    await expectPass({ scenario: 'uac-options-expect-200.xml' });
  });

  test('REGISTER is challenged, then accepted with digest credentials; the binding is stored', async () => {
    await expectPass({ scenario: 'uac-register-digest-expect-200.xml', inject: ['1001;demo'], extra: ['-au', '1001', '-ap', TEST_PASSWORD] });
    const bindings = await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1001', 'demo'), Date.now());
    assert.equal(bindings.length, 1);
    assert.match(bindings[0]!.contact, /^sip:1001@127\.0\.0\.1:\d+$/);
  });

  test('over TCP too: OPTIONS, and REGISTER with digest (RFC 3261 §18.3 framing)', async () => {
    await expectPass({ scenario: 'uac-options-expect-200.xml', transport: 't1' });
    await expectPass({ scenario: 'uac-register-digest-expect-200.xml', transport: 't1', inject: ['1000;demo'], extra: ['-au', '1000', '-ap', TEST_PASSWORD] });
    const [binding] = await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1000', 'demo'), Date.now());
    assert.equal(binding?.source.protocol, 'tcp');
  });

  test('REGISTER with a wrong password is refused 403 and binds nothing', async () => {
    await expectPass({ scenario: 'uac-register-wrong-password-expect-403.xml', inject: ['1002;demo'], extra: ['-au', '1002', '-ap', 'not the password'] });
    assert.equal((await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1002', 'demo'), Date.now())).length, 0);
  });

  test('with 10 % of packets lost, retransmissions still complete 30 OPTIONS and 30 refused INVITEs (§17.1.1.2, §17.2.1)', async () => {
    await expectPass({ scenario: 'uac-options-expect-200.xml', calls: 30, rate: 30, lostPercent: 10 });
    await expectPass({ scenario: 'uac-invite-expect-404.xml', service: '9999', calls: 30, rate: 30, lostPercent: 10 });
  });

  test('a call to a number nobody has is 404', async () => {
    await expectPass({ scenario: 'uac-invite-expect-404.xml', service: '9999' });
  });

  test('a call to a busy phone is 486, and both sides ACK', async () => {
    const uas = await phone('1002', 'uas-busy-expect-486.xml');
    await expectPass({ scenario: 'uac-invite-expect-486.xml', service: '1002' });
    assert.equal((await uas.done).code, 0);
  });

  test('a call answered by the phone: INVITE/180/200/ACK, then BYE ends both legs', async () => {
    const uas = await phone('1000', 'uas-answer-expect-bye.xml');
    await expectPass({ scenario: 'uac-invite-bye-expect-200.xml', service: '1000' });
    const callee = await uas.done;
    assert.equal(callee.code, 0, callee.errors);
    assert.equal(t.app.sip!.ua.activeDialogs, 0, 'no dialog left behind');
  });

  test('keys sent as SIP INFO (application/dtmf-relay) are reported once each, like RFC 4733 ones', async () => {
    const uas = await phone('1000', 'uas-answer-expect-bye.xml');
    const digits: string[] = [];
    const off = t.app.bus.subscribe('CallDigitReceived', (e) => digits.push(`${e.digit}:${e.source}`));
    try {
      await expectPass({ scenario: 'uac-invite-info-dtmf-bye-expect-200.xml', service: '1000' });
    } finally {
      off();
    }
    assert.equal((await uas.done).code, 0);
    assert.deepEqual(digits, ['4:info', '#:info']);
  });

  test('hold: the caller\'s re-INVITE (sendonly) is relayed to the phone and its recvonly answer relayed back (RFC 3261 §14)', async () => {
    const uas = await phone('1002', 'uas-answer-hold-expect-bye.xml');
    await expectPass({ scenario: 'uac-invite-hold-bye-expect-200.xml', service: '1002' });
    const callee = await uas.done;
    assert.equal(callee.code, 0, `${callee.errors}\n${callee.messages.slice(-3000)}`);
    assert.equal(t.app.sip!.ua.activeDialogs, 0);
  });

  /** A sipp carrier running `scenario` behind a trunk; phone 1001 dials out and `callerScenario` must pass. */
  const throughTrunk = async (scenario: string, callerScenario: string) => {
    const carrier = await startSipp({ scenario, timeoutS: 20 });
    const trunk = await t.app.trunks.create(t.tenants.demo, { name: 'carrier', host: '127.0.0.1', port: carrier.port, realm: 'carrier.example', username: 'trunk-user', password: 'trunk-secret-1' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      await expectPass({ scenario: callerScenario, service: '+15551234567', inject: ['1001;demo'], extra: ['-au', '1001', '-ap', TEST_PASSWORD, ...digestUri('+15551234567')] });
      const far = await carrier.done;
      assert.equal(far.code, 0, `carrier sipp exited ${far.code}\n${far.errors}\n${far.stdout.slice(-2500)}`);
    } finally {
      await t.app.trunks.remove(t.tenants.demo, trunk.id);
    }
  };

  test('outbound through a trunk: the phone authenticates (407), the carrier\'s challenge for its realm is answered (401), the call connects and ends', async () => {
    await throughTrunk('uas-trunk-challenge-then-answer.xml', 'uac-invite-proxy-auth-expect-200.xml');
  });

  test('a challenge for any other realm is not answered: the call fails 403 and no credentials leave', async () => {
    await throughTrunk('uas-trunk-challenge-other-realm.xml', 'uac-invite-proxy-auth-expect-403.xml');
  });

  test('without a phone\'s credentials nobody reaches the trunk (toll-fraud guard)', async () => {
    const trunk = await t.app.trunks.create(t.tenants.demo, { name: 'carrier', host: '127.0.0.1', port: 9, realm: 'carrier.example' });
    try {
      await expectPass({ scenario: 'uac-invite-proxy-auth-expect-403.xml', service: '+15551234567', inject: ['1001;demo'], extra: ['-au', '1001', '-ap', 'a wrong password', ...digestUri('+15551234567')] });
    } finally {
      await t.app.trunks.remove(t.tenants.demo, trunk.id);
    }
  });

  test('blind transfer (RFC 3515): REFER, 202, NOTIFY 100 then 200, the transferee is bridged to the target without a re-INVITE (media stays anchored), the referrer is released', async () => {
    const transferee = await phone('1002', 'uas-answer-expect-bye.xml');
    const target = await phone('1001', 'uas-answer-then-hangup.xml');
    await expectPass({ scenario: 'uac-invite-refer-expect-notify-200.xml', service: '1002', inject: ['1001'] });
    const [b, c] = await Promise.all([transferee.done, target.done]);
    assert.equal(b.code, 0, `transferee: ${b.errors}\n${b.messages.slice(-3000)}`);
    assert.equal(c.code, 0, `target: ${c.errors}\n${c.messages.slice(-3000)}`);
    assert.equal(t.app.sip!.ua.activeDialogs, 0, 'every leg ended');
  });

  test('attended transfer (RFC 3891): a REFER whose Refer-To replaces the referrer\'s other call joins the two far parties and releases both of its legs', async () => {
    const transferee = await phone('1002', 'uas-answer-expect-bye.xml');
    const other = await phone('1001', 'uas-answer-then-hangup.xml');
    const file = join(mkdtempSync(join(tmpdir(), 'sb-replaces-')), 'dialog');
    const secondCall = await startSipp({ scenario: 'uac-invite-expect-bye.xml', target, service: '1001', inject: [file], timeoutS: 30 });
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    const [callId = '', toTag = '', fromTag = ''] = readFileSync(file, 'utf8').trim().split(' ');
    await expectPass({ scenario: 'uac-invite-refer-replaces-expect-notify-200.xml', service: '1002', inject: [`1001;${callId.replace(/@/g, '%40')};${toTag};${fromTag}`] });
    const [a2, b, c] = await Promise.all([secondCall.done, transferee.done, other.done]);
    assert.equal(a2.code, 0, `referrer's second call: ${a2.errors}\n${a2.messages.slice(-3000)}`);
    assert.equal(b.code, 0, `transferee: ${b.errors}\n${b.messages.slice(-3000)}`);
    assert.equal(c.code, 0, `other party: ${c.errors}\n${c.messages.slice(-3000)}`);
    assert.equal(t.app.sip!.ua.activeDialogs, 0, 'every leg ended');
  });

  test('a ringing call cancelled by the caller: 200 to CANCEL, 487 to INVITE, and the phone is cancelled too', async () => {
    const uas = await phone('1001', 'uas-ring-expect-cancel.xml');
    await expectPass({ scenario: 'uac-invite-cancel-expect-487.xml', service: '1001' });
    const callee = await uas.done;
    assert.equal(callee.code, 0, callee.errors);
  });
});
