// Recording search over real interaction records and playback from the real encrypted store, with
// the audit trail that records every access (every dialect).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AuditLog } from '../audit/index.ts';
import { InteractionStore } from '../interactions/index.ts';
import { ManualClock } from '../kernel/index.ts';
import { createRecordingKeys, encodeWav, LocalRecordingStore, parseWav, wavHeader } from '../media/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { Recordings } from './recordings.ts';

const START = Date.UTC(2026, 10, 22, 1, 0, 0);

for (const dialect of testStorageTargets()) {
  describe(`recordings (${dialect})`, () => {
    let storage: Storage;
    let dir: string;
    let store: LocalRecordingStore;
    let interactions: InteractionStore;
    let audit: AuditLog;
    let recordings: Recordings;
    let tenantId: string;
    let otherTenant: string;
    const listener = { userId: 'sup-1', name: 'supervisor', ip: '10.0.0.7' };
    const stereo = encodeWav(new Int16Array(16000).map((_, i) => (i % 2 ? 1000 : -1000)), 8000, 2);

    const record = async (id: string, o: { at: string; agent?: string; queue?: string; caller?: string; disposition?: string; recording?: string | null; tenant?: string }) => {
      await interactions.create(o.tenant ?? tenantId, {
        id, channel: 'voice', direction: 'inbound', customer_address: o.caller ?? '+8613800138000', customer_id: null, dialled: '8000', flow_id: null, language: 'en',
        queue_id: o.queue ?? 'q-support', agent_id: o.agent ?? 'a1', arrived_at: o.at, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null,
        answered_at: o.at, ended_at: o.at, wrap_up_ended_at: o.at, outcome: 'answered', ended_by: 'customer', disposition: o.disposition ?? 'Resolved', notes: null,
        recording_id: o.recording === undefined ? `rec-${id}` : o.recording, ivr_path: null, updated_at: o.at,
      });
    };

    before(async () => {
      storage = await openTestStorage(dialect);
      const tenants = new TenantStore(storage.db);
      tenantId = (await tenants.create({ slug: 'rec', name: 'Rec', timeZone: 'UTC' }, new Date(START))).id;
      otherTenant = (await tenants.create({ slug: 'rec-other', name: 'Other', timeZone: 'UTC' }, new Date(START))).id;
      dir = mkdtempSync(join(tmpdir(), 'sb-desk-rec-'));
      store = new LocalRecordingStore({ root: dir, keys: await createRecordingKeys({ masterKeyBase64: randomBytes(32).toString('base64'), keyFile: join(dir, 'unused.key') }) });
      interactions = new InteractionStore(storage.db);
      audit = new AuditLog(storage.db, new ManualClock(START));
      recordings = new Recordings({ interactions, store, audit });
      await record('i1', { at: '2026-11-20T02:00:00.000Z', agent: 'a1', caller: '+8613800138000', disposition: 'Resolved' });
      await record('i2', { at: '2026-11-21T02:00:00.000Z', agent: 'a2', caller: '+8613900139000', disposition: 'Escalated' });
      await record('i3', { at: '2026-11-22T02:00:00.000Z', agent: 'a1', queue: 'q-sales', caller: '+886223456789', disposition: 'Resolved' });
      await record('i4', { at: '2026-11-22T03:00:00.000Z', agent: 'a1', recording: null });
      await record('o1', { at: '2026-11-22T02:30:00.000Z', tenant: otherTenant });
    });
    after(async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('search: only recorded interactions, newest first, every filter applied together', async () => {
      const ids = async (q: Parameters<Recordings['search']>[1]) => (await recordings.search(tenantId, q)).map((h) => h.interactionId);
      assert.deepEqual(await ids({}), ['i3', 'i2', 'i1'], 'i4 has no recording; the other tenant\'s never shows');
      assert.deepEqual(await ids({ agentId: 'a1' }), ['i3', 'i1']);
      assert.deepEqual(await ids({ queueId: 'q-sales' }), ['i3']);
      assert.deepEqual(await ids({ disposition: 'Escalated' }), ['i2']);
      assert.deepEqual(await ids({ number: '13900139000' }), ['i2'], 'a national number finds the E.164 one');
      assert.deepEqual(await ids({ number: '+886223456789' }), ['i3']);
      assert.deepEqual(await ids({ from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' }), ['i2']);
      assert.deepEqual(await ids({ agentId: 'a1', disposition: 'Escalated' }), []);
      assert.deepEqual(await ids({ limit: 1 }), ['i3']);
      const hit = (await recordings.search(tenantId, { queueId: 'q-sales' }))[0]!;
      assert.equal(hit.recordingId, 'rec-i3');
      assert.equal(hit.caller, '+886223456789');
    });

    test('playback gives the WAV and writes who heard which recording to the audit trail first', async () => {
      const sink = await store.create(tenantId, 'rec-i1');
      const header = stereo.subarray(0, 44);
      await sink.append(stereo.subarray(44));
      await sink.finish(header);
      const bytes = await recordings.open(tenantId, 'rec-i1', listener, { interactionId: 'i1' });
      assert.deepEqual(Buffer.from(bytes), Buffer.from(stereo));
      const [entry] = await audit.list(tenantId, { limit: 1 });
      assert.equal(entry!.action, 'recording.played');
      assert.equal(entry!.targetId, 'rec-i1');
      assert.equal(entry!.actorId, 'sup-1');
      assert.equal(entry!.ip, '10.0.0.7');
      assert.equal(entry!.details['interactionId'], 'i1');
    });

    test('a missing or foreign recording is not found, and nothing is audited', async () => {
      const before = (await audit.list(tenantId, { limit: 100 })).length;
      await assert.rejects(recordings.open(tenantId, 'rec-never', listener), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(recordings.open(otherTenant, 'rec-i1', listener), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(recordings.open(tenantId, '../etc/passwd', listener), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      assert.equal((await audit.list(tenantId, { limit: 100 })).length, before);
    });

    test('a tampered recording is refused; one never finished plays with a rebuilt header', async () => {
      const sink = await store.create(tenantId, 'rec-i2');
      await sink.append(stereo.subarray(44));
      await sink.finish(stereo.subarray(0, 44));
      const file = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) => f.includes(tenantId) && f.endsWith('rec-i2.sbrec'));
      assert.ok(file, 'the sealed file is in the store');
      const sealed = readFileSync(join(dir, file));
      sealed[sealed.length - 40] = sealed[sealed.length - 40]! ^ 0xff;
      writeFileSync(join(dir, file), sealed);
      await assert.rejects(recordings.open(tenantId, 'rec-i2', listener), (e: Error & { code?: string }) => e.code === 'SB_DESKTOP_RECORDING_UNREADABLE');

      const open = await store.create(tenantId, 'rec-i3');
      await open.append(stereo.subarray(44));
      const bytes = await recordings.open(tenantId, 'rec-i3', listener);
      assert.deepEqual(Buffer.from(bytes.subarray(0, 44)), Buffer.from(wavHeader({ sampleRate: 8000, channels: 2, format: 'pcm16', dataBytes: stereo.length - 44 })));
      const parsed = parseWav(bytes);
      assert.ok(parsed.ok, 'a valid WAV');
      assert.equal((await audit.list(tenantId, { limit: 1 }))[0]!.details['complete'], false);
      await open.finish(stereo.subarray(0, 44));
    });

    test('a server without media has nothing to play', async () => {
      const none = new Recordings({ interactions, store: undefined, audit });
      await assert.rejects(none.open(tenantId, 'rec-i1', listener), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
    });
  });
}
