// The contact center's API on every dialect: flows (validation with pointers, versions, publishing),
// numbers, prompts, queues, agents' skills and states, interactions; bad bodies get a 4xx naming
// what is wrong and change nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { encodeWav } from '../../src/media/index.ts';
import { DEMO_NUMBER } from '../../src/demo/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

const HANGUP = { start: 'bye', defaultLanguage: 'en', nodes: { bye: { type: 'hangup', prompt: { say: { en: 'Goodbye.' } } } } };

for (const dialect of testStorageTargets()) {
  describe(`contact-center API (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let agent: string;
    const api = (cookie: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      t.app.http.inject({ method: method as 'GET', url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

    before(async () => {
      t = await startTestApp(dialect);
      admin = await login(t, 'demo', 'admin');
      agent = await login(t, 'demo', 'agent1');
    });
    after(async () => { await t.close(); });

    test('the demo workspace ships a published bilingual flow on the demo number, two queues and skilled agents', async () => {
      const numbers = (await api(admin, 'GET', '/api/numbers')).json().items as { number: string; flowId: string }[];
      const demo = numbers.find((n) => n.number === DEMO_NUMBER);
      assert.ok(demo?.flowId);
      const flow = (await api(admin, 'GET', `/api/flows/${demo.flowId}`)).json();
      assert.equal(flow.flow.publishedVersion, 1);
      assert.deepEqual(flow.latest.issues, []);
      const texts = JSON.stringify(flow.latest.document);
      assert.ok(texts.includes('For English, press 1') && texts.includes('普通话'));
      const queues = (await api(admin, 'GET', '/api/queues')).json().items as { name: string }[];
      assert.deepEqual(queues.map((q) => q.name), ['Sales', 'Support']);
      const agents = (await api(admin, 'GET', '/api/agents')).json().items as { displayName: string; skills: Record<string, number> }[];
      assert.ok(agents.some((a) => a.displayName.includes('王小明') && a.skills['lang:cmn'] === 5));
    });

    test('a flow with a broken branch saves as a draft with its issues, and publishing it answers 422 with every issue', async () => {
      const created = await api(admin, 'POST', '/api/flows', { name: 'Hotline', document: HANGUP });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const bad = { ...HANGUP, nodes: { ...HANGUP.nodes, menu: { type: 'menu', prompt: { say: { en: 'Press 1' } }, options: { 1: 'nowhere' }, fallback: 'bye' } }, start: 'menu' };
      const saved = await api(admin, 'POST', `/api/flows/${id}/versions`, { document: bad });
      assert.equal(saved.statusCode, 201);
      assert.deepEqual(saved.json().issues, [{ path: '/nodes/menu/options/1', message: 'names no node ("nowhere")' }]);
      const published = await api(admin, 'POST', `/api/flows/${id}/publish`, {});
      assert.equal(published.statusCode, 422);
      assert.equal(published.json().code, 'SB_IVR_FLOW_INVALID');
      assert.equal(published.json().details.field, '/nodes/menu/options/1');
      const ok = await api(admin, 'POST', `/api/flows/${id}/publish`, { version: 1 });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().publishedVersion, 1);
      const check = await api(admin, 'POST', '/api/flows/validate', { document: { ...HANGUP, nodes: { bye: { type: 'queue', queueId: 'no-such-queue' } } } });
      assert.deepEqual(check.json(), { ok: false, issues: [{ path: '/nodes/bye/queueId', message: 'names no queue of this workspace ("no-such-queue")' }] });
      assert.equal((await api(admin, 'GET', '/api/flows/schema')).json().title, 'Switchboard IVR flow');
    });

    test('numbers: a number points at a flow; a number taken anywhere is refused; a flow in use cannot be deleted', async () => {
      const flow = (await api(admin, 'POST', '/api/flows', { name: 'Numbers test', document: HANGUP })).json();
      const n = await api(admin, 'POST', '/api/numbers', { number: '+862150001234', label: 'Shanghai', flowId: flow.id });
      assert.equal(n.statusCode, 201, n.body);
      const again = await api(admin, 'POST', '/api/numbers', { number: '862150001234' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SB_NUMBER_TAKEN');
      assert.equal((await api(admin, 'POST', '/api/numbers', { number: '12ab' })).statusCode, 400);
      const del = await api(admin, 'DELETE', `/api/flows/${flow.id}`);
      assert.equal(del.statusCode, 409);
      assert.equal(del.json().code, 'SB_IVR_FLOW_IN_USE');
      assert.equal((await t.app.numbers.resolve('+862150001234'))?.flowId, flow.id, 'found by its digits with or without +');
      const unknown = await api(admin, 'PUT', '/api/voice/unknown-number', { status: 480, announce: false });
      assert.deepEqual(unknown.json(), { status: 480, announce: false });
    });

    test('prompts: a WAV upload is kept as 8 kHz; anything else is a 400 and stores nothing', async () => {
      const tone = new Int16Array(16000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
      const wav = Buffer.from(encodeWav(tone, 16000, 1));
      const up = await t.app.http.inject({ method: 'POST', url: '/api/prompts?name=welcome', headers: { cookie: admin, 'content-type': 'audio/wav' }, payload: wav });
      assert.equal(up.statusCode, 201, up.body);
      assert.equal(up.json().durationMs, 1000);
      const junk = await t.app.http.inject({ method: 'POST', url: '/api/prompts?name=junk', headers: { cookie: admin, 'content-type': 'audio/wav' }, payload: Buffer.from('not a wav file at all') });
      assert.equal(junk.statusCode, 400);
      assert.equal(junk.json().code, 'SB_IVR_PROMPT_UNUSABLE');
      const names = (await api(admin, 'GET', '/api/prompts')).json().items.map((p: { name: string }) => p.name);
      assert.deepEqual(names, ['welcome']);
      // A flow may now name it; the meaning check knows it exists.
      const doc = { start: 'p', defaultLanguage: 'en', nodes: { p: { type: 'play', prompt: { recording: up.json().id }, next: 'x' }, x: { type: 'hangup' } } };
      assert.equal((await api(admin, 'POST', '/api/flows/validate', { document: doc })).json().ok, true);
    });

    test('queues: defaults fill in; bad settings are refused with the field named', async () => {
      const q = await api(admin, 'POST', '/api/queues', { name: 'Billing', settings: { wrapUpSeconds: 45, requirements: [{ skill: 'billing', minProficiency: 2 }] } });
      assert.equal(q.statusCode, 201, q.body);
      assert.equal(q.json().settings.offerTimeoutSeconds, 20);
      assert.equal(q.json().settings.wrapUpSeconds, 45);
      assert.deepEqual(q.json().stats, { waiting: 0, longestWaitMs: 0, offered: 0 });
      const self = await api(admin, 'PATCH', `/api/queues/${q.json().id}`, { settings: { overflow: { kind: 'queue', queueId: q.json().id } } });
      assert.equal(self.statusCode, 400);
      assert.equal(self.json().details.field, 'overflow.queueId');
      const badSkill = await api(admin, 'PATCH', `/api/queues/${q.json().id}`, { settings: { requirements: [{ skill: 'billing', minProficiency: 9 }] } });
      assert.equal(badSkill.statusCode, 400);
      assert.match(badSkill.json().details.field, /requirements/);
      assert.equal((await api(admin, 'POST', '/api/queues', { name: 'Billing' })).statusCode, 409);
    });

    test('agents: an agent sets their own state; a supervisor sets skills; a bad state is refused', async () => {
      const me = await api(agent, 'PUT', '/api/agents/me/state', { state: 'Available' });
      assert.equal(me.statusCode, 200, me.body);
      assert.equal(me.json().state, 'Available');
      const mine = (await api(agent, 'GET', '/api/agents/me')).json();
      assert.equal(mine.state, 'Available');
      const brk = await api(agent, 'PUT', '/api/agents/me/state', { state: 'NotReady', reason: 'lunch' });
      assert.deepEqual([brk.json().state, brk.json().reason], ['NotReady', 'lunch']);
      assert.equal((await api(agent, 'PUT', '/api/agents/me/state', { state: 'Busy' })).statusCode, 400, 'Busy is the engine\'s, not a choice');
      const profile = await api(admin, 'PUT', `/api/agents/${mine.id}/profile`, { skills: { billing: 4, 'lang:yue': 3 } });
      assert.equal(profile.statusCode, 200, profile.body);
      assert.deepEqual(profile.json().skills, { billing: 4, 'lang:yue': 3 });
      assert.equal((await api(admin, 'PUT', `/api/agents/${mine.id}/profile`, { skills: { billing: 7 } })).statusCode, 400);
      const forced = await api(admin, 'PUT', `/api/agents/${mine.id}/state`, { state: 'Offline' });
      assert.equal(forced.json().state, 'Offline');
      assert.equal((await api(admin, 'PUT', '/api/agents/00000000-0000-4000-8000-000000000000/state', { state: 'Available' })).statusCode, 404, 'not a user of this workspace');
    });

    test('interactions: listed newest first and read with their segments', async () => {
      const store = t.app.interactions.store;
      const base = {
        channel: 'voice', direction: 'inbound' as const, customer_address: '+8613800138000', customer_id: null, dialled: DEMO_NUMBER, flow_id: null, language: 'cmn',
        queue_id: null, agent_id: null, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null, answered_at: null, ended_at: null,
        wrap_up_ended_at: null, outcome: 'abandoned', ended_by: 'customer', disposition: null, notes: null, recording_id: null, ivr_path: '[]',
      };
      await store.create(t.tenants.demo, { ...base, id: 'i-1', arrived_at: '2026-11-22T01:00:00.000Z', updated_at: '2026-11-22T01:00:00.000Z' });
      await store.create(t.tenants.demo, { ...base, id: 'i-2', arrived_at: '2026-11-22T02:00:00.000Z', updated_at: '2026-11-22T02:00:00.000Z' });
      await store.openSegment(t.tenants.demo, { interactionId: 'i-2', kind: 'queue', queueId: 'q', at: '2026-11-22T02:00:05.000Z' });
      const list = (await api(admin, 'GET', '/api/interactions?limit=10&from=2026-11-22T00:00:00.000Z')).json().items as { id: string }[];
      assert.deepEqual(list.map((i) => i.id), ['i-2', 'i-1']);
      const one = (await api(admin, 'GET', '/api/interactions/i-2')).json();
      assert.equal(one.segments[0].kind, 'queue');
      assert.equal((await api(admin, 'GET', '/api/interactions?limit=abc')).statusCode, 400);
    });

    test('call controls answer 404 for a call that is not the agent\'s', async () => {
      const res = await api(agent, 'POST', '/api/calls/no-such-call/hold', { held: true });
      assert.equal(res.statusCode, 404);
      const dial = await api(agent, 'POST', '/api/calls', { number: '+8613800138000' });
      assert.equal(dial.statusCode, 409, 'no trunk in the demo workspace');
      assert.equal(dial.json().code, 'SB_VOICE_NO_TRUNK');
    });
  });
}
