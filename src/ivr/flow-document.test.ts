// Flow documents: the schema refuses bad shapes with the JSON Pointer of the fault; meaning checks
// (branches, start, queues, calendars, recordings) run before a version can be published.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../kernel/index.ts';
import { AuditLog } from '../audit/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { validateFlow, type FlowReferences } from './flow-document.ts';
import { Flows } from './flows.sql.ts';

const good = {
  start: 'menu', defaultLanguage: 'en',
  nodes: {
    menu: { type: 'menu', prompt: { say: { en: 'Press 1.', cmn: '请按1。' } }, options: { 1: 'q', '#': 'bye' }, fallback: 'bye' },
    q: { type: 'queue', queueId: 'queue-1', matchLanguage: true },
    bye: { type: 'hangup', prompt: [{ tone: 'beep' }, { silenceMs: 200 }] },
  },
};

const refs = (o: { queues?: string[]; calendars?: string[]; recordings?: string[] } = {}): FlowReferences => ({
  queueExists: async (id) => (o.queues ?? ['queue-1']).includes(id),
  calendarExists: async (id) => (o.calendars ?? []).includes(id),
  recordingExists: async (id) => (o.recordings ?? []).includes(id),
});

const issues = async (doc: unknown, r?: FlowReferences) => {
  const v = await validateFlow(doc, r);
  return v.ok ? [] : v.issues.map((i) => `${i.path} ${i.message}`);
};

describe('flow documents', () => {
  test('a well-formed flow is valid', async () => {
    assert.deepEqual(await issues(good, refs()), []);
  });

  test('a branch to a node that does not exist is named by its pointer', async () => {
    const doc = structuredClone(good);
    doc.nodes.menu.options['1'] = 'nowhere';
    assert.deepEqual(await issues(doc), ['/nodes/menu/options/1 names no node ("nowhere")']);
  });

  test('the start must be a node', async () => {
    assert.deepEqual(await issues({ ...good, start: 'nope' }), ['/start names no node ("nope")']);
  });

  test('unknown node types, unknown fields, missing fields and bad keys are refused at their path', async () => {
    assert.deepEqual(await issues({ ...good, nodes: { ...good.nodes, x: { type: 'dance' } } }), ['/nodes/x/type must be equal to one of the allowed values']);
    assert.deepEqual(await issues({ ...good, nodes: { ...good.nodes, bye: { type: 'hangup', colour: 'red' } } }), ['/nodes/bye/colour is not a known field']);
    assert.deepEqual(await issues({ ...good, nodes: { ...good.nodes, q: { type: 'queue' } } }), ['/nodes/q/queueId is required']);
    const badKey = structuredClone(good) as { nodes: { menu: { options: Record<string, string> } } };
    badKey.nodes.menu.options['x'] = 'bye';
    assert.match((await issues(badKey))[0]!, /^\/nodes\/menu\/options\/x is not an allowed key/);
    assert.deepEqual(await issues({ ...good, defaultLanguage: 'fr' }), ['/defaultLanguage must be equal to one of the allowed values']);
    assert.deepEqual(await issues({ ...good, nodes: { ...good.nodes, bye: { type: 'hangup', prompt: { say: { fr: 'au revoir' } } } } }), ['/nodes/bye/prompt/say/fr is not a known field']);
  });

  test('a lookup URL must be http(s); a gather\'s minimum cannot exceed its maximum', async () => {
    const lookup = { type: 'httpLookup', url: 'file:///etc/passwd', variable: 'x', next: 'bye', fallback: 'bye' };
    assert.match((await issues({ ...good, nodes: { ...good.nodes, l: lookup } }))[0]!, /^\/nodes\/l\/url must match pattern/);
    const gather = { type: 'gather', prompt: { tone: 'beep' }, variable: 'x', minDigits: 6, maxDigits: 4, next: 'bye', fallback: 'bye' };
    assert.deepEqual(await issues({ ...good, nodes: { ...good.nodes, g: gather } }), ['/nodes/g/minDigits is more than maxDigits']);
  });

  test('queues, calendars and recordings it names must exist in the workspace', async () => {
    const doc = {
      ...good,
      nodes: {
        ...good.nodes,
        q: { type: 'queue', queueId: 'other-workspace-queue' },
        h: { type: 'businessHours', calendarId: 'cal-9', open: 'bye', closed: 'bye' },
        p: { type: 'play', prompt: [{ tone: 'beep' }, { recording: { en: 'rec-en', cmn: 'rec-zh' } }], next: 'bye' },
        t: { type: 'transfer', target: { queue: 'gone' } },
      },
    };
    assert.deepEqual((await issues(doc, refs({ recordings: ['rec-en'] }))).sort(), [
      '/nodes/h/calendarId names no calendar of this workspace ("cal-9")',
      '/nodes/p/prompt/1/recording/cmn names no uploaded prompt ("rec-zh")',
      '/nodes/q/queueId names no queue of this workspace ("other-workspace-queue")',
      '/nodes/t/target/queue names no queue of this workspace ("gone")',
    ]);
  });

  test('not an object at all', async () => {
    assert.deepEqual(await issues('flow'), ['/ must be object']);
  });
});

for (const dialect of testStorageTargets()) {
  describe(`flow versions and publishing (${dialect})`, () => {
    let storage: Storage;
    let flows: Flows;
    let tenantA: string;
    let tenantB: string;
    before(async () => {
      storage = await openTestStorage(dialect);
      const clock = new ManualClock();
      const tenants = new TenantStore(storage.db);
      tenantA = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      tenantB = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()))).id;
      flows = new Flows({ db: storage.db, clock, audit: new AuditLog(storage.db, clock), references: () => refs() });
    });
    after(async () => { await storage.close(); });

    test('every save is a new version; only a valid one publishes; callers get the published one', async () => {
      const f = await flows.create(tenantA, { name: 'Main', document: good });
      assert.equal(f.latestVersion, 1);
      assert.equal(f.publishedVersion, null);
      assert.equal(await flows.published(tenantA, f.id), undefined, 'nothing is live before publishing');
      await flows.publish(tenantA, f.id);
      const broken = structuredClone(good);
      broken.nodes.menu.options['1'] = 'nowhere';
      const v2 = await flows.saveVersion(tenantA, f.id, broken);
      assert.equal(v2.version, 2);
      assert.deepEqual(v2.issues, [{ path: '/nodes/menu/options/1', message: 'names no node ("nowhere")' }]);
      await assert.rejects(flows.publish(tenantA, f.id), (e: Error & { code?: string; status?: number; details?: { issues: unknown[] } }) =>
        e.code === 'SB_IVR_FLOW_INVALID' && e.status === 422 && e.details?.issues.length === 1);
      const live = await flows.published(tenantA, f.id);
      assert.equal(live?.version, 1, 'the valid version stays live');
      const v3 = await flows.saveVersion(tenantA, f.id, { ...good, start: 'bye' });
      await flows.publish(tenantA, f.id, v3.version);
      assert.equal((await flows.published(tenantA, f.id))?.document.start, 'bye');
      assert.equal((await flows.get(tenantA, f.id)).publishedVersion, 3);
    });

    test('names are unique per workspace; another workspace\'s flow is not found', async () => {
      const f = await flows.create(tenantA, { name: 'Billing', document: good });
      await assert.rejects(flows.create(tenantA, { name: 'Billing', document: good }), (e: Error & { code?: string }) => e.code === 'SB_IVR_FLOW_EXISTS');
      await flows.create(tenantB, { name: 'Billing', document: good });
      await assert.rejects(flows.get(tenantB, f.id), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(flows.publish(tenantB, f.id), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      assert.equal(await flows.published(tenantB, f.id), undefined);
      await flows.remove(tenantA, f.id);
      await assert.rejects(flows.get(tenantA, f.id), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
    });
  });
}
