import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.ts';
import { DomainError, ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { createRecordingKeys, LocalRecordingStore, wavHeader } from '../media/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import type { VoiceEvents } from '../voice/index.ts';
import { RecordingPurge } from './recording-purge.sql.ts';
import { RetentionPolicy } from './retention-policy.sql.ts';

const DAY = 86_400_000;
const scratch = await mkdtemp(join(tmpdir(), 'sb-quality-'));
after(() => rm(scratch, { recursive: true, force: true }));

for (const dialect of testStorageTargets()) {
  describe(`recording retention (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let audit: AuditLog;
    let policy: RetentionPolicy;
    let store: LocalRecordingStore;
    let bus: MemoryEventBus<VoiceEvents>;
    let purge: RecordingPurge;
    let a: string;
    let b: string;

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.parse('2026-03-01T08:00:00.000Z'));
      audit = new AuditLog(storage.db, clock);
      policy = new RetentionPolicy({ db: storage.db, audit });
      const tenants = new TenantStore(storage.db);
      a = (await tenants.create({ slug: `a-${dialect}`, name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      b = (await tenants.create({ slug: `b-${dialect}`, name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()))).id;
      const keys = await createRecordingKeys({ masterKeyBase64: randomBytes(32).toString('base64'), keyFile: join(scratch, 'unused.key') });
      store = new LocalRecordingStore({ root: join(scratch, dialect), keys });
    });
    after(async () => { await storage.close(); });
    beforeEach(() => {
      bus = new MemoryEventBus<VoiceEvents>();
      purge = new RecordingPurge({ db: storage.db, bus, clock, policy, recordings: store, audit, log: silentLogger, everyMs: DAY });
      purge.start();
    });
    afterEach(() => purge.stop());

    /** A real, finished recording in the store, announced as the voice layer does. */
    async function recordCall(tenantId: string, recordingId: string): Promise<void> {
      const sink = await store.create(tenantId, recordingId);
      const audio = new Uint8Array(32_000);
      await sink.append(audio);
      const done = await sink.finish(wavHeader({ sampleRate: 8000, channels: 2, format: 'pcm16', dataBytes: audio.length }));
      bus.publish('CallRecordingStopped', { tenantId, callId: `call-${recordingId}`, recordingId, bytes: done.bytes, sha256: done.sha256, durationMs: 1000, pausedMs: 0 });
      await purge.settled();
    }
    const readable = async (tenantId: string, id: string) => (await store.read(tenantId, id)).ok;

    test('the policy: none by default, set and cleared, validated, audited, per workspace', async () => {
      assert.equal(await policy.days(a), null);
      assert.equal(await policy.setDays(a, 30, { userId: null, name: 'ada', ip: '192.0.2.1' }), 30);
      assert.equal(await policy.days(a), 30);
      assert.equal(await policy.days(b), null, 'the other workspace keeps its own policy');
      await assert.rejects(policy.setDays(a, 0), (e: unknown) => e instanceof DomainError && e.code === 'SB_VALIDATION' && e.details?.['field'] === 'days');
      assert.equal(await policy.days(a), 30, 'a refused value changes nothing');
      const entry = (await audit.list(a, { limit: 5 })).find((e) => e.action === 'quality.retention.updated');
      assert.deepEqual(entry?.details, { days: 30, previousDays: null });
      assert.equal(entry?.actorName, 'ada');
      assert.deepEqual(await policy.limited(), [{ tenantId: a, days: 30 }]);
      assert.equal(await policy.setDays(a, null), null);
      assert.deepEqual(await policy.limited(), []);
    });

    test('due recordings are deleted from the store and marked; newer ones and unlimited workspaces keep theirs', async () => {
      await policy.setDays(a, 7);
      await recordCall(a, `old-${dialect}`);
      clock.advance(3 * DAY);
      await recordCall(a, `new-${dialect}`);
      await recordCall(b, `theirs-${dialect}`);
      bus.publish('VoicemailRecorded', { tenantId: a, callId: 'vm-call', recordingId: `vm-${dialect}`, durationMs: 5000, at: new Date(clock.now() - 2 * DAY).toISOString() });
      await purge.settled();

      clock.advance(4 * DAY - 60_000);
      await purge.settled();
      assert.equal(await readable(a, `old-${dialect}`), true, 'one minute short of seven days it is kept');

      clock.advance(60_000 + DAY);
      await purge.settled();
      assert.equal(await readable(a, `old-${dialect}`), false, 'seven days after it was made, it is gone from the store');
      assert.equal(await readable(a, `new-${dialect}`), true);
      assert.equal(await readable(b, `theirs-${dialect}`), true, 'a workspace without a policy keeps everything');
      const rows = await purge.recordings(a);
      const old = rows.find((r) => r.recordingId === `old-${dialect}`);
      assert.ok(old?.deletedAt, 'the row stays, marked deleted');
      assert.equal(rows.find((r) => r.recordingId === `new-${dialect}`)?.deletedAt, null);
      assert.equal(rows.find((r) => r.recordingId === `vm-${dialect}`)?.kind, 'voicemail');
      assert.equal(rows.find((r) => r.recordingId === `vm-${dialect}`)?.deletedAt !== null, true, 'the voicemail counts from the time it was left (day 1), so it is due on day 8');
      assert.deepEqual((await purge.recordings(b)).map((r) => r.deletedAt), [null]);
      const entry = (await audit.list(a, { limit: 10 })).find((e) => e.action === 'quality.recordings.deleted');
      assert.equal(entry?.details['retentionDays'], 7);

      clock.advance(3 * DAY);
      await purge.settled();
      assert.equal(await readable(a, `new-${dialect}`), false);
      assert.deepEqual(await purge.run(), [], 'nothing left to delete');
    });

    test('a recording announced twice is noted once', async () => {
      await recordCall(b, `twice-${dialect}`);
      bus.publish('CallRecordingStopped', { tenantId: b, callId: 'again', recordingId: `twice-${dialect}`, bytes: 1, sha256: 'x', durationMs: 1, pausedMs: 0 });
      await purge.settled();
      assert.equal((await purge.recordings(b)).filter((r) => r.recordingId === `twice-${dialect}`).length, 1);
    });
  });
}
