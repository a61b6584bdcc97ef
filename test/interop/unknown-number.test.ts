// A carrier's call to a number the workspace does not have: never a hang or dead air. By default
// the caller hears an announcement as early media (183 with SDP) and gets 404; a workspace may
// choose 480 without the announcement instead. sipp plays the carrier; its exit code is the assertion.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freeUdpPort, runSipp, sippAvailable } from '../support/sipp.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('unknown numbers from a trunk', { skip: sippAvailable() ? false : 'sipp is not installed (sip-tester): .ci/run installs it' }, () => {
  let t: TestApp;
  let target: string;
  let carrierPort: number;
  before(async () => {
    t = await startTestApp('sqlite', {}, { realClock: true });
    await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    target = `${udp.address}:${udp.port}`;
    carrierPort = await freeUdpPort();
    await t.app.trunks.create(t.tenants.demo, { name: 'carrier', host: '127.0.0.1', port: carrierPort });
  });
  after(async () => { await t.close(); });

  test('the announcement plays as early media, then 404 Not Found', async () => {
    const r = await runSipp({ scenario: 'uac-invite-unknown-number-expect-183-404.xml', target, service: '+862199990000', port: carrierPort, timeoutS: 20 });
    assert.equal(r.code, 0, `${r.errors}\n${r.messages.slice(-3000)}`);
  });

  test('a workspace that chose 480 without the announcement gets exactly that', async () => {
    await t.app.numbers.setUnknownNumberTreatment(t.tenants.demo, { status: 480, announce: false });
    const r = await runSipp({ scenario: 'uac-invite-expect-480.xml', target, service: '+862199990000', port: carrierPort, timeoutS: 20 });
    assert.equal(r.code, 0, `${r.errors}\n${r.messages.slice(-3000)}`);
  });
});
