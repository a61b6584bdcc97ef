// baresip softphones against Switchboard on loopback: registration with digest authentication, a
// call from one registered phone to another through Switchboard (B2BUA), and hang-up on both legs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aorOf } from '../../src/sip/index.ts';
import { Baresip, baresipAvailable } from '../support/baresip.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'Baresip-Interop-Secret';

describe('baresip ↔ Switchboard', { skip: baresipAvailable() ? false : 'baresip (Debian package baresip-core) is not installed: .ci/run installs it' }, () => {
  let t: TestApp;
  let alice: Baresip;
  let bob: Baresip;
  let registrar: string;

  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    registrar = `${udp.address}:${udp.port}`;
    // baresip's account line ends a parameter at a space: give the phones passwords without one.
    for (const phone of await t.app.phones.list(t.tenants.demo)) await t.app.phones.setPassword(t.tenants.demo, phone.id, `${PASSWORD}-${phone.username}`);
  });
  after(async () => {
    await alice?.stop();
    await bob?.stop();
    await t?.close();
  });

  test('two softphones register with digest authentication and get bindings', async () => {
    alice = await Baresip.start({ user: '1001', password: `${PASSWORD}-1001`, registrar, rtpBase: 31000 });
    bob = await Baresip.start({ user: '1002', password: `${PASSWORD}-1002`, registrar, rtpBase: 31040 });
    await alice.waitFor('REGISTER_OK');
    await bob.waitFor('REGISTER_OK');
    for (const ext of ['1001', '1002']) {
      const b = await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf(ext, 'demo'), Date.now());
      assert.equal(b.length, 1, `${ext} is registered`);
    }
  });

  test('a softphone with the wrong password is refused', async () => {
    const mallory = await Baresip.start({ user: '1000', password: 'not the password', registrar, rtpBase: 31080 });
    try {
      await mallory.waitFor('REGISTER_FAIL');
      assert.equal((await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1000', 'demo'), Date.now())).length, 0);
    } finally {
      await mallory.stop();
    }
  });

  test('1001 calls 1002 through Switchboard: ringing, answer, audio path up, hang-up ends both legs', async () => {
    const since = bob.events.length;
    alice.command('dial', `sip:1002@${registrar}`);
    await alice.waitFor('CALL_ESTABLISHED');
    await bob.waitFor('CALL_ESTABLISHED', 10_000, since);
    await alice.waitFor('CALL_RTPESTAB');
    await bob.waitFor('CALL_RTPESTAB', 10_000, since);
    assert.equal(t.app.sip!.ua.activeDialogs, 2, 'one dialog per leg');
    alice.command('hangup');
    await alice.waitFor('CALL_CLOSED');
    await bob.waitFor('CALL_CLOSED', 10_000, since);
    assert.equal(t.app.sip!.ua.activeDialogs, 0);
  });
});
