// The call path with real phones: a baresip caller dials the demo number, picks English and
// support with RFC 4733 keys, waits in the queue hearing music, the Available agent's baresip
// answers, both exchange audio, the call is recorded in stereo, the agent transfers it to a second
// agent by REFER, and the caller hangs up; the interaction record has every timestamp in order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEvents } from '../../src/app.ts';
import { holdMusic } from '../../src/media/index.ts';
import { aorOf } from '../../src/sip/index.ts';
import { Baresip, baresipAvailable } from '../support/baresip.ts';
import { sippAvailable, startSipp } from '../support/sipp.ts';
import { containment, rmsDb, speechWav, wavChannels } from '../support/audio.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

const PASSWORD = 'Contact-Center-Interop';
const espeakAvailable = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = !baresipAvailable() ? 'baresip (baresip-core)' : !sippAvailable() ? 'sipp (sip-tester)' : !espeakAvailable ? 'espeak-ng' : undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the contact-center call path with real phones', { skip: missing ? `${missing} is not installed: .ci/run installs it` : false }, () => {
  let t: TestApp;
  let caller: Baresip;
  let agent1: Baresip;
  let agent2: Baresip;
  let supervisorPhone: Baresip;
  let registrar: string;
  let dir: string;
  let agentIds: { agent1: string; agent2: string; agent3: string };
  let supportQueueId: string;
  const speech = (name: string) => join(dir, `${name}.wav`);
  /** Samples of one utterance of each speaker's speech (the files repeat it). */
  const utterance = new Map<string, number>();
  const sipLog: string[] = [];

  /** The next event of `name` (matching `where`) published on the app's bus. */
  const nextEvent = <K extends keyof AppEvents & string>(name: K, where: (p: AppEvents[K]) => boolean = () => true, timeoutMs = 30_000): Promise<AppEvents[K]> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      void Promise.all([t.app.routing.agents(t.tenants.demo), t.app.routing.queueStats(t.tenants.demo, supportQueueId)]).then(([agents, stats]) => {
        const states = agents.map((a) => `${a.id.slice(0, 8)}:${a.state}${a.reason ? `(${a.reason})` : ''}`).join(' ');
        reject(new Error(`no ${name} within ${timeoutMs} ms; agents ${states}; support queue ${JSON.stringify(stats)}`));
      }, () => reject(new Error(`no ${name} within ${timeoutMs} ms`)));
    }, timeoutMs);
    const off = t.app.bus.subscribe(name, (p) => { if (!where(p)) return; clearTimeout(timer); off(); resolve(p); });
  });

  /** Every agent NotReady, wrap-ups over: nobody takes a call until a test says so. */
  const resetAgents = async () => {
    for (const id of Object.values(agentIds)) {
      await t.app.routing.endWrapUp(t.tenants.demo, id, null);
      await t.app.routing.setAgentState(t.tenants.demo, id, 'NotReady', 'break');
    }
  };

  /** Dials the demo number and keys English (1), then support (2); resolves with the call's id once it is queued. */
  const callSupport = async () => {
    const queued = nextEvent('ContactQueued');
    const arrived = nextEvent('CallArrived');
    caller.command('dial', `sip:8000@${registrar}`);
    const callId = (await arrived).callId;
    await caller.waitFor('CALL_ESTABLISHED', 15_000, caller.events.length - 1);
    await sleep(1500);
    caller.command('sndcode', '1');
    await sleep(600);
    caller.command('sndcode', '2');
    assert.equal((await queued).contactId, callId);
    return callId;
  };

  const record = async (id: string) => {
    await t.app.interactions.recorder.settled();
    return t.app.interactions.store.get(t.tenants.demo, id);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-cc-interop-'));
    utterance.set('caller', speechWav('Hello, I am calling about my order. It has not arrived yet, could you check it for me please?', 'en-us', speech('caller')));
    utterance.set('agent1', speechWav('Thank you for calling support, my name is Wang. How can I help you today?', 'en-us', speech('agent1')));
    utterance.set('agent2', speechWav('Hello, this is Chen from the second line. I can see your order here.', 'en-gb', speech('agent2')));
    utterance.set('supervisor', speechWav('Supervisor here, I am listening to this call for quality purposes.', 'en-us+f3', speech('supervisor')));
    t = await startTestApp('sqlite', {}, { realClock: true, sipTrace: (dir, bytes, peer) => { if (sipLog.length >= 400) sipLog.splice(0, 200); sipLog.push(`${dir} ${peer.port} ${bytes.toString('utf8', 0, 400).split('\r\n').filter((l) => /^(INVITE|BYE|CANCEL|ACK|SIP\/2.0|Call-ID|CSeq|To|m=audio|a=send|a=recv|a=inact)/.test(l)).join(' | ')}`); } });
    await t.app.listen();
    const udp = t.app.sip!.stack.local('udp');
    registrar = `${udp.address}:${udp.port}`;
    for (const phone of await t.app.phones.list(t.tenants.demo)) await t.app.phones.setPassword(t.tenants.demo, phone.id, `${PASSWORD}-${phone.username}`);
    const users = await t.app.directory.listUsers(t.tenants.demo);
    // A third agent whose phone (a sipp that only rings) never answers.
    const agent3 = await t.app.directory.createUser(t.tenants.demo, { username: 'agent3', displayName: 'Agent Three', password: 'agent three password', roles: ['agent'] });
    await t.app.phones.create(t.tenants.demo, { username: '1003', displayName: 'Agent Three', password: `${PASSWORD}-1003`, userId: agent3.id });
    await t.app.routing.setProfile(t.tenants.demo, agent3.id, { skills: { support: 5, 'lang:en': 5 } });
    agentIds = { agent1: users.find((u) => u.username === 'agent1')!.id, agent2: users.find((u) => u.username === 'agent2')!.id, agent3: agent3.id };
    const support = (await t.app.routing.queues(t.tenants.demo)).find((q) => q.name === 'Support')!;
    supportQueueId = support.id;
    await t.app.routing.saveQueue(t.tenants.demo, { id: support.id, name: support.name, settings: { offerTimeoutSeconds: 8, wrapUpSeconds: 2, announceEverySeconds: 30 } });
    caller = await Baresip.start({ user: '1000', password: `${PASSWORD}-1000`, registrar, rtpBase: 33000, source: speech('caller'), record: true });
    agent1 = await Baresip.start({ user: '1001', password: `${PASSWORD}-1001`, registrar, rtpBase: 33040, source: speech('agent1'), record: true });
    agent2 = await Baresip.start({ user: '1002', password: `${PASSWORD}-1002`, registrar, rtpBase: 33080, source: speech('agent2'), record: true });
    // The supervisor's own desk phone (1000 is the caller's here).
    const supervisor = users.find((u) => u.username === 'supervisor')!;
    const desk = await t.app.phones.create(t.tenants.demo, { username: '1004', displayName: 'Supervisor desk', password: `${PASSWORD}-1004`, userId: supervisor.id });
    // The demo gives the supervisor phone 1000 too; they work on the desk phone, so only it rings for monitoring.
    await t.app.desktop.saveSettings(t.tenants.demo, supervisor.id, { stationPhoneId: desk.id });
    supervisorPhone = await Baresip.start({ user: '1004', password: `${PASSWORD}-1004`, registrar, rtpBase: 33120, source: speech('supervisor'), record: true });
    await Promise.all([caller.waitFor('REGISTER_OK'), agent1.waitFor('REGISTER_OK'), agent2.waitFor('REGISTER_OK'), supervisorPhone.waitFor('REGISTER_OK')]);
  });
  after(async () => {
    await caller?.stop();
    await agent1?.stop();
    await agent2?.stop();
    await supervisorPhone?.stop();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('IVR keys, queue with music, agent answers, audio both ways, stereo recording, transfer to a second agent, hang-up: the record has it all', async () => {
    const queued = nextEvent('ContactQueued');
    const arrived = nextEvent('CallArrived');
    caller.command('dial', `sip:8000@${registrar}`);
    const callId = (await arrived).callId;
    await caller.waitFor('CALL_ESTABLISHED', 15_000);
    // Type-ahead: both keys while the welcome prompt plays (barge-in).
    await sleep(1500);
    caller.command('sndcode', '1');
    await sleep(600);
    caller.command('sndcode', '2');
    const q = await queued;
    assert.equal(q.contactId, callId);
    assert.equal(q.queueId, supportQueueId);

    // Music on hold for a while, then an agent becomes available and is offered the call.
    await sleep(4000);
    const connected1 = nextEvent('CallConnected', (e) => e.callId === callId && e.agentId === agentIds.agent1);
    await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent1, 'Available');
    await connected1;
    await agent1.waitFor('CALL_ESTABLISHED', 10_000);
    const recordingStopped = nextEvent('CallRecordingStopped', (e) => e.callId === callId, 60_000);
    await sleep(5000);

    // Agent 1 transfers the caller to agent 2's extension (blind, REFER).
    const connected2 = nextEvent('CallConnected', (e) => e.callId === callId && e.agentId === agentIds.agent2);
    const since1 = agent1.events.length;
    agent1.command('transfer', `sip:1002@${registrar}`);
    await connected2;
    await agent1.waitFor('CALL_CLOSED', 10_000, since1);
    await sleep(4000);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId, 30_000);
    caller.command('hangup');
    await closed;
    await t.app.interactions.recorder.settled();

    const rec = await t.app.interactions.store.get(t.tenants.demo, callId);
    const order = [rec.arrivedAt, rec.ivrEnteredAt, rec.ivrLeftAt, rec.queuedAt, rec.firstOfferedAt, rec.answeredAt, rec.endedAt, rec.wrapUpEndedAt];
    assert.ok(order.every((x) => x !== null), `every timestamp is set: ${JSON.stringify(order)}`);
    for (let i = 1; i < order.length; i++) assert.ok(order[i]! >= order[i - 1]!, `timestamps in order at ${i}: ${JSON.stringify(order)}`);
    assert.ok(Date.parse(rec.firstOfferedAt!) - Date.parse(rec.queuedAt!) >= 3500, 'the caller waited in the queue before the offer');
    assert.equal(rec.outcome, 'answered');
    assert.equal(rec.endedBy, 'customer');
    assert.equal(rec.agentId, agentIds.agent2, 'the record names the agent who had the call last');
    assert.equal(rec.transfers, 1);
    assert.equal(rec.language, 'en');
    assert.equal(rec.queueId, supportQueueId);
    assert.ok(rec.recordingId);
    assert.deepEqual(rec.ivrPath.map((p) => (p as { node: string }).node), ['language', 'english', 'hours', 'main', 'support']);
    const kinds = rec.segments.map((s) => `${s.kind}:${s.outcome}`);
    for (const k of ['ivr:queue', 'queue:answered', 'offer:accepted', 'talk:transferred', 'transfer:extension']) assert.ok(kinds.includes(k), `segment ${k} in ${kinds.join(', ')}`);
    const talks = rec.segments.filter((s) => s.kind === 'talk');
    assert.deepEqual(talks.map((s) => s.agentId), [agentIds.agent1, agentIds.agent2]);
    const wrapUps = rec.segments.filter((s) => s.kind === 'wrap-up');
    assert.deepEqual(wrapUps.map((s) => s.agentId).sort(), [agentIds.agent1, agentIds.agent2].sort(), 'both agents wrapped up');

    // Agents are back to Available after their wrap-up.
    const a2 = await t.app.routing.agent(t.tenants.demo, agentIds.agent2);
    assert.equal(a2.state, 'Available');

    // The recording: the caller on the left; agent 1, then agent 2 on the right.
    const stopped = await recordingStopped;
    assert.equal(stopped.recordingId, rec.recordingId);
    const read = await t.app.media!.recordings.read(t.tenants.demo, stopped.recordingId);
    assert.ok(read.ok, 'the recording reads back and verifies');
    const [left, right] = wavChannels(read.bytes).channels as [Int16Array, Int16Array];
    const src = (name: string) => wavChannels(speech(name)).channels[0]!;
    assert.ok(containment(src('caller'), left, { refStart: 4000, maxLag: left.length - 8000 }).corr > 0.9, 'left: the caller');
    assert.ok(containment(src('agent1'), right, { refStart: 4000, maxLag: right.length - 8000 }).corr > 0.9, 'right: agent 1');
    assert.ok(containment(src('agent2'), right, { refStart: 4000, maxLag: right.length - 8000 }).corr > 0.9, 'right: agent 2 after the transfer');

    // The caller heard music while queued, then both agents.
    await sleep(500);
    const heard = wavChannels(caller.recordings().received.at(-1)!).channels[0]!;
    assert.ok(rmsDb(heard) > -45, 'the caller heard audio');
    assert.ok(containment(holdMusic(), heard, { refStart: 0, maxLag: heard.length - 8000 }).corr > 0.8, 'the caller heard the music on hold');
    assert.ok(containment(src('agent1'), heard, { refStart: 4000, maxLag: heard.length - 8000 }).corr > 0.9, 'the caller heard agent 1');
    assert.ok(containment(src('agent2'), heard, { refStart: 4000, maxLag: heard.length - 8000 }).corr > 0.9, 'the caller heard agent 2');
    // Agent 1 heard the caller: a second from the middle of what they heard is in the caller's speech.
    const agentHeard = wavChannels(agent1.recordings().received.at(-1)!).channels[0]!;
    const heardByAgent = containment(agentHeard, src('caller'), { refStart: Math.floor(agentHeard.length / 2), maxLag: src('caller').length - 8000 });
    assert.ok(heardByAgent.corr > 0.9, `agent 1 heard the caller (corr ${heardByAgent.corr.toFixed(3)} over ${agentHeard.length} samples)`);
  });

  test('a caller who hangs up while queued is recorded as abandoned in the queue, never offered', async () => {
    await resetAgents();
    const callId = await callSupport();
    const abandoned = nextEvent('ContactAbandoned', (e) => e.contactId === callId);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    await sleep(3000);
    caller.command('hangup');
    const a = await abandoned;
    assert.ok(a.waitMs >= 2500, `waited ${a.waitMs} ms`);
    await closed;
    const rec = await record(callId);
    assert.equal(rec.outcome, 'abandoned');
    assert.equal(rec.endedBy, 'customer');
    assert.equal(rec.offers, 0);
    assert.equal(rec.answeredAt, null);
    assert.equal(rec.segments.find((s) => s.kind === 'queue')?.outcome, 'abandoned');
  });

  test('an agent who does not answer is set NotReady (missed) and the call goes to the next agent, keeping its place', async () => {
    await resetAgents();
    const ringer = await startSipp({ scenario: 'uas-ring-expect-cancel.xml', timeoutS: 60 });
    const now = Date.now();
    await t.app.sip!.registrar.register({
      tenantId: t.tenants.demo, aor: aorOf('1003', 'demo'), contacts: [{ uri: `sip:1003@127.0.0.1:${ringer.port}` }],
      expiresHeader: 300, callId: `reg-1003-${now}`, cseq: 1, source: { protocol: 'udp', address: '127.0.0.1', port: ringer.port }, now,
    });
    const support = await t.app.routing.queue(t.tenants.demo, supportQueueId);
    await t.app.routing.saveQueue(t.tenants.demo, { id: support.id, name: support.name, settings: { offerTimeoutSeconds: 5 } });
    // Agent 3 is the better match (support 5, English 5), so is offered first.
    await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent3, 'Available');
    await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent2, 'Available');
    const declined = nextEvent('OfferDeclined', (e) => e.agentId === agentIds.agent3);
    const callId = await callSupport();
    const connected = nextEvent('CallConnected', (e) => e.callId === callId, 30_000);
    assert.equal((await declined).reason, 'timeout');
    assert.equal((await connected).agentId, agentIds.agent2);
    const missed = await t.app.routing.agent(t.tenants.demo, agentIds.agent3);
    assert.equal(missed.state, 'NotReady');
    assert.equal(missed.reason, 'missed');
    await sleep(2000);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    caller.command('hangup');
    await closed;
    const rec = await record(callId);
    assert.equal(rec.offers, 2);
    const offers = rec.segments.filter((s) => s.kind === 'offer').map((s) => [s.agentId, s.outcome]);
    assert.deepEqual(offers, [[agentIds.agent3, 'timeout'], [agentIds.agent2, 'accepted']]);
    assert.equal(rec.agentId, agentIds.agent2);
    const run = await ringer.done;
    assert.equal(run.code, 0, `the unanswered phone was cancelled: ${run.errors}\n${run.messages.slice(-2000)}`);
    await t.app.routing.saveQueue(t.tenants.demo, { id: support.id, name: support.name, settings: { offerTimeoutSeconds: 8 } });
  });

  test('after the longest wait the caller overflows to voicemail and their message is recorded', async () => {
    await resetAgents();
    const support = await t.app.routing.queue(t.tenants.demo, supportQueueId);
    await t.app.routing.saveQueue(t.tenants.demo, { id: support.id, name: support.name, settings: { maxWaitSeconds: 5, overflow: { kind: 'voicemail' } } });
    try {
      const callId = await callSupport();
      const overflowed = nextEvent('ContactOverflowed', (e) => e.contactId === callId, 20_000);
      const voicemail = nextEvent('VoicemailRecorded', (e) => e.callId === callId, 40_000);
      const o = await overflowed;
      assert.equal(o.target, 'voicemail');
      await sleep(6000);
      caller.command('hangup');
      const vm = await voicemail;
      assert.ok(vm.durationMs >= 3000, `message of ${vm.durationMs} ms`);
      const read = await t.app.media!.recordings.read(t.tenants.demo, vm.recordingId);
      assert.ok(read.ok);
      const left = wavChannels(read.bytes).channels[0]!;
      const found = heardFromSomewhere(left, 'caller', 0.2, 0.8);
      assert.ok(found > 0.8, `the message holds the caller's speech (corr ${found.toFixed(3)})`);
      const rec = await record(callId);
      assert.equal(rec.outcome, 'voicemail');
      assert.ok(rec.segments.some((s) => s.kind === 'queue' && s.outcome === 'overflow:voicemail'));
      assert.ok(rec.segments.some((s) => s.kind === 'voicemail' && s.outcome === 'recorded'));
    } finally {
      await t.app.routing.saveQueue(t.tenants.demo, { id: support.id, name: support.name, settings: { maxWaitSeconds: null, overflow: null } });
    }
  });

  test('a caller who asks for a callback keeps their place; the agent is rung, then Switchboard calls the customer back through the trunk', async () => {
    await resetAgents();
    const carrier = await startSipp({ scenario: 'uas-answer-expect-bye.xml', timeoutS: 60 });
    const trunk = await t.app.trunks.create(t.tenants.demo, { name: 'test carrier', host: '127.0.0.1', port: carrier.port });
    try {
      const callId = await callSupport();
      const requested = nextEvent('CallbackRequested', (e) => e.originalCallId === callId);
      const since = caller.events.length;
      await sleep(1000);
      caller.command('sndcode', '9');
      const cb = await requested;
      assert.equal(cb.number, '1000');
      await caller.waitFor('CALL_CLOSED', 20_000, since);
      const original = await record(callId);
      assert.equal(original.outcome, 'callback');

      const connected = nextEvent('CallConnected', (e) => e.callId === cb.callId, 30_000);
      const since2 = agent2.events.length;
      await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent2, 'Available');
      assert.equal((await connected).agentId, agentIds.agent2);
      await agent2.waitFor('CALL_ESTABLISHED', 10_000, since2);
      await sleep(2000);
      const closed = nextEvent('InteractionClosed', (e) => e.interactionId === cb.callId);
      agent2.command('hangup');
      await closed;
      const run = await carrier.done;
      assert.equal(run.code, 0, `the customer's line answered and was hung up: ${run.errors}\n${run.messages.slice(-2000)}`);
      const rec = await record(cb.callId);
      assert.equal(rec.direction, 'outbound');
      assert.equal(rec.customerAddress, '1000');
      assert.equal(rec.outcome, 'answered');
      assert.equal(rec.endedBy, 'agent');
      assert.equal(rec.agentId, agentIds.agent2);
      assert.ok(rec.answeredAt && rec.endedAt && rec.answeredAt <= rec.endedAt);
    } finally {
      await t.app.trunks.remove(t.tenants.demo, trunk.id);
      carrier.kill();
    }
  });

  /** A call answered by agent 1; resolves with its id and the agent's cookie for the API. */
  const callAnsweredByAgent1 = async () => {
    await resetAgents();
    const connected = nextEvent('CallConnected', (e) => e.agentId === agentIds.agent1, 40_000);
    await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent1, 'Available');
    const callId = await callSupport();
    await connected;
    await agent1.waitFor('CALL_ESTABLISHED', 10_000, agent1.events.length - 1);
    return { callId, cookie: await login(t, 'demo', 'agent1') };
  };
  const post = (cookie: string, url: string, payload?: object) => t.app.http.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const lastHeard = (phone: Baresip) => wavChannels(phone.recordings().received.at(-1)!).channels[0]!;
  /** Whether a second from the middle of `heard` is in `source` (the speech a phone played). */
  const heardFrom = (heard: Int16Array, name: string, at = 0.5) => {
    const src = wavChannels(speech(name)).channels[0]!;
    return containment(heard, src, { refStart: Math.floor(heard.length * at), maxLag: Math.min(src.length - 8000, utterance.get(name)! + 160) }).corr;
  };
  /** The best match over several seconds spread across what was heard (speech has pauses; a mix hides one voice now and then). */
  const heardFromSomewhere = (heard: Int16Array, name: string, from = 0.1, to = 0.9) =>
    Math.max(...[0, 0.25, 0.5, 0.75, 1].map((f) => heardFrom(heard, name, from + (to - from) * f)));

  test('consultation (attended transfer): the caller holds with music while agent 1 talks to agent 2, then is handed over', async () => {
    const { callId, cookie } = await callAnsweredByAgent1();
    await sleep(2000);
    const since2 = agent2.events.length;
    const consulted = await post(cookie, `/api/calls/${callId}/consult`, { target: { extension: '1002' } });
    assert.deepEqual(consulted.json(), { ok: true }, consulted.body);
    await agent2.waitFor('CALL_ESTABLISHED', 10_000, since2);
    await sleep(4000);
    const transferred = nextEvent('CallTransferred', (e) => e.callId === callId);
    const since1 = agent1.events.length;
    assert.deepEqual((await post(cookie, `/api/calls/${callId}/consult/complete`)).json(), { ok: true });
    const tr = await transferred;
    assert.equal(tr.mode, 'attended');
    assert.deepEqual(tr.target, { kind: 'agent', id: agentIds.agent2 });
    await agent1.waitFor('CALL_CLOSED', 10_000, since1);
    await sleep(4000);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    caller.command('hangup');
    await closed;
    const rec = await record(callId);
    assert.equal(rec.agentId, agentIds.agent2);
    assert.equal(rec.transfers, 1);
    assert.equal(rec.segments.find((x) => x.kind === 'transfer')?.data?.['mode'], 'attended');
    await sleep(500);
    // Agent 2 heard agent 1 during the consultation, then the caller; the caller heard agent 2 at the end.
    const a2 = lastHeard(agent2);
    assert.ok(heardFromSomewhere(a2, 'agent1', 0.05, 0.3) > 0.9, 'agent 2 heard agent 1 while consulting');
    assert.ok(heardFromSomewhere(a2, 'caller', 0.7, 0.95) > 0.9, 'agent 2 heard the caller after the hand-over');
    assert.ok(heardFromSomewhere(lastHeard(caller), 'agent2', 0.8, 0.95) > 0.9, 'the caller heard agent 2');
  });

  test('three-way conference: agent 2 joins and the three hear each other; when they hang up, caller and agent 1 carry on', async () => {
    const { callId, cookie } = await callAnsweredByAgent1();
    const since2 = agent2.events.length;
    const conferenced = nextEvent('CallConferenced', (e) => e.callId === callId);
    assert.deepEqual((await post(cookie, `/api/calls/${callId}/conference`, { target: { extension: '1002' } })).json(), { ok: true });
    await conferenced;
    await agent2.waitFor('CALL_ESTABLISHED', 10_000, since2);
    await sleep(6000);
    agent2.command('hangup');
    await agent2.waitFor('CALL_CLOSED', 10_000, since2);
    await sleep(3000);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    caller.command('hangup');
    await closed;
    await sleep(500);
    const a2 = lastHeard(agent2);
    assert.ok(heardFromSomewhere(a2, 'caller') > 0.5, 'agent 2 heard the caller (mixed with agent 1)');
    assert.ok(heardFromSomewhere(a2, 'agent1') > 0.5, 'agent 2 heard agent 1 (mixed with the caller)');
    const c = lastHeard(caller);
    assert.ok(heardFromSomewhere(c, 'agent1', 0.88, 0.97) > 0.9, 'after agent 2 left, the caller hears agent 1 alone again');
    assert.equal((await record(callId)).agentId, agentIds.agent1);
  });

  test('a supervisor listens (heard by nobody), then whispers to the agent only; keys from the desktop reach the caller', async () => {
    const { callId, cookie } = await callAnsweredByAgent1();
    const supCookie = await login(t, 'demo', 'supervisor');
    const since = supervisorPhone.events.length;
    const sinceCaller = caller.events.length;
    assert.deepEqual((await post(supCookie, `/api/calls/${callId}/monitor`, { mode: 'listen' })).json(), { ok: true });
    await supervisorPhone.waitFor('CALL_ESTABLISHED', 10_000, since);
    await sleep(5000);
    const whisper = await t.app.http.inject({ method: 'PUT', url: `/api/calls/${callId}/monitor`, headers: { cookie: supCookie }, payload: { mode: 'whisper' } });
    assert.deepEqual(whisper.json(), { ok: true });
    await sleep(5000);
    assert.deepEqual((await t.app.http.inject({ method: 'DELETE', url: `/api/calls/${callId}/monitor`, headers: { cookie: supCookie } })).json(), { ok: true });
    await supervisorPhone.waitFor('CALL_CLOSED', 10_000, since);
    // Keys to the caller's side arrive as RFC 4733 events at the caller's phone.
    assert.deepEqual((await post(cookie, `/api/calls/${callId}/dtmf`, { digits: '42' })).json(), { ok: true });
    await sleep(1500);
    const keys = caller.events.slice(sinceCaller).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
    assert.equal(keys, '42');
    const audit = await t.app.audit.list(t.tenants.demo, { limit: 20 });
    assert.deepEqual(audit.filter((e) => e.action === 'call.monitored').map((e) => e.details['mode']).reverse(), ['listen', 'whisper']);
    const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
    caller.command('hangup');
    await closed;
    await sleep(500);
    const sup = lastHeard(supervisorPhone);
    // Listening and whispering alike, the supervisor hears both sides.
    const supHeard = [heardFromSomewhere(sup, 'caller', 0.05, 0.9), heardFromSomewhere(sup, 'agent1', 0.05, 0.9)];
    assert.ok(supHeard.every((c) => c > 0.5),
      `the supervisor heard both sides (corr ${supHeard.map((c) => c.toFixed(3)).join(', ')}; ${(sup.length / 8000).toFixed(1)} s at ${rmsDb(sup).toFixed(1)} dBFS in ${supervisorPhone.recordings().received.length} recordings)\n${supervisorPhone.log.slice(-1500)}\n${sipLog.slice(-60).join('\n')}`);
    const c = lastHeard(caller);
    const supSrc = wavChannels(speech('supervisor')).channels[0]!;
    assert.ok(containment(supSrc, c, { refStart: 4000, maxLag: c.length - 8000 }).corr < 0.5, 'the caller never heard the supervisor');
    const a1 = lastHeard(agent1);
    assert.ok(containment(supSrc.subarray(0, 40000), a1, { refStart: 4000, maxLag: a1.length - 8000 }).corr > 0.5, 'the agent heard the whisper');
  });

  test('click-to-dial: the agent\'s phone rings first, then the customer is called through the trunk; hold from the desktop plays music', async () => {
    await resetAgents();
    const carrier = await startSipp({ scenario: 'uas-answer-expect-bye.xml', timeoutS: 60 });
    const trunk = await t.app.trunks.create(t.tenants.demo, { name: 'dial-out carrier', host: '127.0.0.1', port: carrier.port, callerId: '+862150000000' });
    try {
      const cookie = await login(t, 'demo', 'agent1');
      const since = agent1.events.length;
      const dialled = await post(cookie, '/api/calls', { number: '+8613900001111' });
      assert.equal(dialled.statusCode, 201, dialled.body);
      const callId = dialled.json().callId as string;
      await nextEvent('CallConnected', (e) => e.callId === callId, 20_000);
      await agent1.waitFor('CALL_ESTABLISHED', 10_000, since);
      const mine = (await t.app.http.inject({ method: 'GET', url: '/api/agents/me/calls', headers: { cookie } })).json().items;
      assert.deepEqual(mine.map((c: { callId: string; phase: string }) => [c.callId, c.phase]), [[callId, 'connected']]);
      const held = nextEvent('CallHeld', (e) => e.callId === callId);
      assert.deepEqual((await post(cookie, `/api/calls/${callId}/hold`, { held: true })).json(), { ok: true });
      await held;
      await sleep(2000);
      assert.deepEqual((await post(cookie, `/api/calls/${callId}/hold`, { held: false })).json(), { ok: true });
      const closed = nextEvent('InteractionClosed', (e) => e.interactionId === callId);
      assert.deepEqual((await post(cookie, `/api/calls/${callId}/hangup`)).json(), { ok: true });
      await closed;
      const run = await carrier.done;
      assert.equal(run.code, 0, `${run.errors}\n${run.messages.slice(-2000)}`);
      assert.match(run.messages, /From: <sip:\+862150000000@127\.0\.0\.1>/, 'the trunk\'s caller id is presented');
      const rec = await record(callId);
      assert.deepEqual([rec.direction, rec.customerAddress, rec.agentId, rec.endedBy, rec.holds, rec.outcome], ['outbound', '+8613900001111', agentIds.agent1, 'agent', 1, 'answered']);
      assert.ok(rec.holdMs >= 1500);
    } finally {
      await t.app.trunks.remove(t.tenants.demo, trunk.id);
      carrier.kill();
    }
  });

  test('an agent who chose auto-answer on the desktop gets offers their phone is asked to answer by itself', async () => {
    await resetAgents();
    const phone = await startSipp({ scenario: 'uas-auto-answer-header-expect-bye.xml', timeoutS: 60 });
    const now = Date.now();
    await t.app.sip!.registrar.register({
      tenantId: t.tenants.demo, aor: aorOf('1003', 'demo'), contacts: [{ uri: `sip:1003@127.0.0.1:${phone.port}` }],
      expiresHeader: 300, callId: `reg-1003-auto-${now}`, cseq: 1, source: { protocol: 'udp', address: '127.0.0.1', port: phone.port }, now,
    });
    await t.app.desktop.saveSettings(t.tenants.demo, agentIds.agent3, { autoAnswer: true });
    try {
      await t.app.routing.setAgentState(t.tenants.demo, agentIds.agent3, 'Available');
      const connected = nextEvent('CallConnected', (e) => e.agentId === agentIds.agent3, 30_000);
      await callSupport();
      await connected;
      await sleep(1000);
      caller.command('hangup');
      const run = await phone.done;
      assert.equal(run.code, 0, `the INVITE carried the auto-answer headers: ${run.errors}\n${run.messages.slice(-2000)}`);
    } finally {
      await t.app.desktop.saveSettings(t.tenants.demo, agentIds.agent3, { autoAnswer: false });
      await t.app.sip!.registrar.register({
        tenantId: t.tenants.demo, aor: aorOf('1003', 'demo'), contacts: '*', expiresHeader: 0, callId: `reg-1003-auto-${now}`, cseq: 2,
        source: { protocol: 'udp', address: '127.0.0.1', port: phone.port }, now: Date.now(),
      });
    }
  });
});
