// The agent desktop's and supervisor's API on the real app (every dialect), and what reaches each
// browser over the real WebSocket: an agent's own state, offers, calls and wrap-ups, enriched for the
// screen pop; every agent's state and work for supervisors; nothing for anyone else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { encodeWav } from '../../src/media/index.ts';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

type Message = { type: string; [k: string]: unknown };
interface Socket { ws: WebSocket; messages: Message[]; next(type: string, where?: (m: Message) => boolean): Promise<Message>; quiet(): Promise<void> }

for (const dialect of testStorageTargets()) {
  describe(`desktop API and live desktop events (${dialect})`, () => {
    let t: TestApp;
    let base: string;
    let ids: Record<'agent1' | 'agent2' | 'supervisor', string>;
    let supportId: string;
    const cookies: Record<string, string> = {};
    const sockets: Socket[] = [];
    const iso = () => new Date(t.clock.now()).toISOString();
    const as = (who: string, method: string, url: string, payload?: object) =>
      t.app.http.inject({ method: method as 'GET', url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });

    const connect = async (who: string): Promise<Socket> => {
      const ws = new WebSocket(`${base}/api/events`, { headers: { cookie: cookies[who]! } });
      const messages: Message[] = [];
      const waiters: { type: string; where: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as Message;
        const w = waiters.find((x) => x.type === m.type && x.where(m));
        if (w) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); } else messages.push(m);
      });
      const next = (type: string, where: (m: Message) => boolean = () => true) => new Promise<Message>((resolve) => {
        const seen = messages.find((m) => m.type === type && where(m));
        if (seen) { messages.splice(messages.indexOf(seen), 1); resolve(seen); } else waiters.push({ type, where, resolve });
      });
      /** A ping round trip: everything sent before it has arrived. */
      const quiet = async () => { ws.send('{"type":"ping"}'); await next('pong'); };
      await once(ws, 'open');
      await next('hello');
      const s = { ws, messages, next, quiet };
      sockets.push(s);
      return s;
    };

    /** A caller through the IVR (keys 1, 2) into Support, offered to agent 1: the events voice, IVR and routing publish. */
    const offerCall = (callId: string, agentId = ids.agent1) => {
      const bus = t.app.bus;
      bus.publish('CallArrived', { tenantId: t.tenants.demo, callId, direction: 'inbound', from: '13800138000', to: '8000', at: iso() });
      bus.publish('ContactQueued', { tenantId: t.tenants.demo, contactId: callId, queueId: supportId, channel: 'voice', priority: 0, kind: 'contact', at: iso() });
      bus.publish('OfferCreated', { tenantId: t.tenants.demo, contactId: callId, offerId: `offer-${callId}`, agentId, queueId: supportId, channel: 'voice', at: iso() });
      // The IVR reports how the caller left it once the queue took the call: after an agent free at once was offered it.
      bus.publish('IvrLeft', {
        tenantId: t.tenants.demo, callId, flowId: 'demo', at: iso(), exit: 'queue', queueId: supportId, language: 'en',
        path: [{ node: 'language', type: 'menu', input: '1' }, { node: 'main', type: 'menu', input: '2' }, { node: 'support', type: 'queue' }],
      });
    };

    before(async () => {
      t = await startTestApp(dialect);
      base = (await t.app.listen()).replace('http://', 'ws://');
      const users = await t.app.directory.listUsers(t.tenants.demo);
      const idOf = (u: string) => users.find((x) => x.username === u)!.id;
      ids = { agent1: idOf('agent1'), agent2: idOf('agent2'), supervisor: idOf('supervisor') };
      supportId = (await t.app.routing.queues(t.tenants.demo)).find((q) => q.name === 'Support')!.id;
      for (const who of ['agent1', 'agent2', 'supervisor', 'admin']) cookies[who] = await login(t, 'demo', who);
      cookies['other'] = await login(t, 'other', 'o-supervisor');
    });
    after(async () => {
      for (const s of sockets) s.ws.close();
      await t.close();
    });

    test('my state, my phones and the reasons; my station must be one of my phones', async () => {
      const state = await as('agent1', 'GET', '/api/desktop/state');
      assert.equal(state.statusCode, 200, state.body);
      const body = state.json();
      assert.equal(body.agent.state, 'Offline');
      assert.deepEqual(body.phones.map((p: { username: string }) => p.username), ['1001']);
      assert.ok(body.reasons.includes('lunch'));
      assert.deepEqual(body.work, { offer: null, call: null, wrapUp: null, taskOffers: [], tasks: [] });
      assert.deepEqual(body.settings, { stationPhoneId: null, autoAnswer: false });

      const mine = body.phones[0].id as string;
      const chosen = await as('agent1', 'PUT', '/api/desktop/settings', { stationPhoneId: mine, autoAnswer: true });
      assert.deepEqual(chosen.json(), { stationPhoneId: mine, autoAnswer: true });
      assert.equal((await t.app.desktop.stationOf(t.tenants.demo, ids.agent1))?.username, '1001');
      assert.equal(await t.app.desktop.autoAnswer(t.tenants.demo, ids.agent1), true);

      const agent2Phone = (await t.app.phones.list(t.tenants.demo)).find((p) => p.username === '1002')!.id;
      const stolen = await as('agent1', 'PUT', '/api/desktop/settings', { stationPhoneId: agent2Phone });
      assert.equal(stolen.statusCode, 404, stolen.body);
      assert.equal((await as('agent1', 'PUT', '/api/desktop/settings', {})).statusCode, 400, 'an empty change is refused');
      assert.equal((await as('agent1', 'PUT', '/api/desktop/settings', { autoAnswer: 'yes' })).json().code, 'SB_VALIDATION');
      await as('agent1', 'PUT', '/api/desktop/settings', { autoAnswer: false });
    });

    test('my state changes reach me and supervisors, not other agents or other workspaces', async () => {
      const me = await connect('agent1');
      const colleague = await connect('agent2');
      const supervisor = await connect('supervisor');
      const foreign = await connect('other');
      const res = await as('agent1', 'PUT', '/api/agents/me/state', { state: 'Available' });
      assert.equal(res.statusCode, 200, res.body);
      const mine = await me.next('agent.state');
      assert.equal(mine['agentId'], ids.agent1);
      assert.equal(mine['state'], 'Available');
      assert.equal(mine['previous'], 'Offline');
      assert.equal((await supervisor.next('agent.state'))['agentId'], ids.agent1);
      for (const s of [colleague, foreign]) {
        await s.quiet();
        assert.equal(s.messages.filter((m) => m.type === 'agent.state').length, 0);
      }
      await as('agent1', 'PUT', '/api/agents/me/state', { state: 'NotReady', reason: 'lunch' });
      const lunch = await me.next('agent.state', (m) => m['state'] === 'NotReady');
      assert.equal(lunch['reason'], 'lunch');
    });

    test('an offer pops on my screen with the caller, IVR keys and queue; accepted, held, ended, wrapped up; nobody else sees it', async () => {
      const me = sockets[0]!;
      const colleague = sockets[1]!;
      const supervisor = sockets[2]!;
      offerCall('call-1');
      const offer = (await me.next('offer.created'))['offer'] as Record<string, unknown>;
      assert.equal(offer['offerId'], 'offer-call-1');
      assert.equal(offer['contactId'], 'call-1');
      assert.equal(offer['caller'], '13800138000');
      assert.equal(offer['queueName'], 'Support');
      assert.equal(offer['timeoutSeconds'], 20);
      const updated = ((await me.next('work.changed'))['work'] as { offer: Record<string, unknown> }).offer;
      assert.equal(updated['offerId'], 'offer-call-1', 'the offer again, now with how the caller left the IVR');
      assert.equal(updated['language'], 'en');
      assert.deepEqual((updated['ivrPath'] as { node: string; input?: string }[]).map((s) => `${s.node}${s.input ? `:${s.input}` : ''}`), ['language:1', 'main:2', 'support']);
      const work = (await supervisor.next('agent.work', (m) => m['agentId'] === ids.agent1))['work'] as { offer: { contactId: string } };
      assert.equal(work.offer.contactId, 'call-1');
      const state = (await as('agent1', 'GET', '/api/desktop/state')).json();
      assert.equal(state.work.offer.offerId, 'offer-call-1', 'a page that reconnects reads the same offer');

      t.app.bus.publish('CallConnected', { tenantId: t.tenants.demo, callId: 'call-1', agentId: ids.agent1, at: iso() });
      t.app.bus.publish('OfferAccepted', { tenantId: t.tenants.demo, contactId: 'call-1', offerId: 'offer-call-1', agentId: ids.agent1, queueId: supportId, at: iso() });
      const call = (await me.next('call.connected'))['call'] as Record<string, unknown>;
      assert.equal(call['callId'], 'call-1');
      assert.equal(call['caller'], '13800138000');
      assert.equal(call['held'], false);
      assert.equal((await me.next('offer.ended'))['reason'], 'accepted');
      t.clock.advance(5000);
      t.app.bus.publish('CallHeld', { tenantId: t.tenants.demo, callId: 'call-1', agentId: ids.agent1, at: iso() });
      assert.equal((await me.next('call.held'))['callId'], 'call-1');
      assert.equal((await as('agent1', 'GET', '/api/desktop/state')).json().work.call.held, true);
      t.app.bus.publish('CallResumed', { tenantId: t.tenants.demo, callId: 'call-1', agentId: ids.agent1, at: iso() });
      await me.next('call.resumed');
      t.app.bus.publish('CallEnded', { tenantId: t.tenants.demo, callId: 'call-1', endedBy: 'customer', reason: 'bye', at: iso() });
      assert.equal((await me.next('call.ended'))['endedBy'], 'customer');
      t.app.bus.publish('WrapUpStarted', { tenantId: t.tenants.demo, contactId: 'call-1', agentId: ids.agent1, at: iso() });
      const wrapUp = (await me.next('wrapup.started'))['wrapUp'] as Record<string, unknown>;
      assert.deepEqual(wrapUp['dispositions'], ['Resolved', 'Follow-up needed', 'Escalated', 'Wrong number']);
      assert.equal(wrapUp['queueName'], 'Support');
      t.app.bus.publish('WrapUpEnded', { tenantId: t.tenants.demo, contactId: 'call-1', agentId: ids.agent1, disposition: 'Resolved', at: iso() });
      assert.equal((await me.next('wrapup.ended'))['disposition'], 'Resolved');
      t.app.bus.publish('InteractionClosed', { tenantId: t.tenants.demo, interactionId: 'call-1', outcome: 'answered', at: iso() });
      assert.equal((await me.next('interaction.closed'))['interactionId'], 'call-1');
      assert.equal((await supervisor.next('interaction.closed'))['outcome'], 'answered');

      await colleague.quiet();
      const leaked = colleague.messages.filter((m) => m.type.startsWith('offer.') || m.type.startsWith('call.') || m.type.startsWith('wrapup.') || m.type === 'agent.work');
      assert.deepEqual(leaked, [], 'another agent sees none of it');
    });

    test('notes only on my own interactions; my history lists what I handled today', async () => {
      await t.app.interactions.recorder.settled();
      await t.app.desktop.settled();
      const noted = await as('agent1', 'PATCH', '/api/desktop/interactions/call-1', { notes: 'Order 42 <b>late</b>' });
      assert.equal(noted.statusCode, 200, noted.body);
      assert.equal((await t.app.interactions.store.get(t.tenants.demo, 'call-1')).notes, 'Order 42 <b>late</b>');
      const notMine = await as('agent2', 'PATCH', '/api/desktop/interactions/call-1', { notes: 'hijack' });
      assert.equal(notMine.statusCode, 404);
      assert.equal(notMine.json().code, 'SB_NOT_FOUND');
      const history = (await as('agent1', 'GET', '/api/desktop/history')).json().items as { interactionId: string; notes: string; queueName: string; caller: string }[];
      assert.deepEqual(history.map((h) => h.interactionId), ['call-1']);
      assert.equal(history[0]!.notes, 'Order 42 <b>late</b>');
      assert.equal(history[0]!.queueName, 'Support');
      assert.deepEqual((await as('agent2', 'GET', '/api/desktop/history')).json().items, []);
    });

    test('a queue\'s new wallboard figures reach supervisors, fetched when analytics says they changed', async () => {
      const supervisor = sockets[2]!;
      const agent = sockets[0]!;
      t.app.bus.publish('WallboardChanged', { tenantId: t.tenants.demo, queueId: supportId });
      const queue = (await supervisor.next('wallboard.changed', (m) => (m['queue'] as { queueId: string }).queueId === supportId))['queue'] as { queueId: string; name: string; today: { offered: number } };
      assert.equal(queue.queueId, supportId);
      assert.equal(queue.name, 'Support');
      assert.equal(typeof queue.today.offered, 'number');
      await agent.quiet();
      assert.equal(agent.messages.filter((m) => m.type === 'wallboard.changed').length, 0, 'not for agents');
    });

    test('transfer targets: the other agents with their state, and the queues', async () => {
      const res = (await as('agent1', 'GET', '/api/desktop/transfer-targets')).json() as { agents: { id: string; state: string }[]; queues: { name: string }[] };
      assert.ok(!res.agents.some((a) => a.id === ids.agent1), 'not myself');
      assert.ok(res.agents.some((a) => a.id === ids.agent2));
      assert.deepEqual(res.queues.map((q) => q.name), ['Sales', 'Support']);
    });

    test('supervisors see every agent and team member with their work; recordings search and play, every access audited', async () => {
      const res = await as('supervisor', 'GET', '/api/supervisor/agents');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { teams: { name: string }[]; items: { agentId: string; displayName: string; state: string; reason: string | null }[] };
      assert.deepEqual(body.teams.map((x) => x.name), ['Front line']);
      const a1 = body.items.find((a) => a.agentId === ids.agent1)!;
      assert.equal(a1.state, 'NotReady');
      assert.equal(a1.reason, 'lunch');
      assert.ok(body.items.some((a) => a.displayName === 'Sam Supervisor'), 'team members who are not agents yet are listed');
      assert.ok(!body.items.some((a) => a.displayName.startsWith('Other')), 'no other workspace');

      const rec = await t.app.media!.recordings.create(t.tenants.demo, 'rec-call-1');
      const wav = encodeWav(new Int16Array(1600), 8000, 2);
      await rec.append(wav.subarray(44));
      await rec.finish(wav.subarray(0, 44));
      await t.app.interactions.store.update(t.tenants.demo, 'call-1', { recording_id: 'rec-call-1', disposition: 'Resolved', agent_id: ids.agent1 });

      const found = await as('supervisor', 'GET', '/api/recordings?number=13800138000&disposition=Resolved');
      assert.equal(found.statusCode, 200, found.body);
      const hit = found.json().items[0];
      assert.equal(hit.recordingId, 'rec-call-1');
      assert.equal(hit.agentName, '王小明 (Agent 1)');
      assert.equal(hit.queueName, 'Support');
      assert.deepEqual((await as('supervisor', 'GET', `/api/recordings?agentId=${ids.agent2}`)).json().items, []);

      const audio = await as('supervisor', 'GET', '/api/recordings/rec-call-1/audio?interactionId=call-1');
      assert.equal(audio.statusCode, 200);
      assert.equal(audio.headers['content-type'], 'audio/wav');
      assert.deepEqual(audio.rawPayload, Buffer.from(wav));
      const played = (await t.app.audit.list(t.tenants.demo, { limit: 5 })).find((e) => e.action === 'recording.played');
      assert.equal(played?.actorName, 'supervisor');
      assert.equal(played?.targetId, 'rec-call-1');
      assert.equal(played?.details['interactionId'], 'call-1');

      const own = await as('agent1', 'GET', '/api/desktop/interactions/call-1/recording');
      assert.equal(own.statusCode, 200);
      assert.deepEqual(own.rawPayload, Buffer.from(wav));
      assert.equal((await t.app.audit.list(t.tenants.demo, { limit: 1 }))[0]!.actorName, 'agent1', 'an agent hearing their own call is audited too');
      assert.equal((await as('agent2', 'GET', '/api/desktop/interactions/call-1/recording')).statusCode, 404, 'not another agent\'s call');
      assert.equal((await as('agent1', 'GET', '/api/recordings/rec-call-1/audio')).statusCode, 403, 'agents do not search or play others\' recordings');
      assert.equal((await as('other', 'GET', '/api/recordings/rec-call-1/audio')).statusCode, 404, 'another workspace cannot play it');
    });
  });
}
