// What the kind of row id costs a table that grows: N interaction records (each with three
// segments) stored by `InteractionStore.insertMany` a batch at a time, once with random version 4
// UUIDs and once with time-ordered version 7 UUIDs (RFC 9562 §5.7, what `newId` makes), each
// into a fresh database, on SQLite and PostgreSQL. A random key lands anywhere in the primary
// key's b-tree (and in the segments' key, which starts with it), so as the table outgrows what
// stays hot in memory each insert touches a different page; a time-ordered key lands at the end.
// Prints records per second for each kind, the ratio v7 / v4, and the second half's rate apart,
// since the gap widens as the table grows. Figures only, no limits.
// Run: node bench/row-ids.ts [--records 1000000 --batch 10000 --dialects sqlite,postgres
//      --database-url postgres://root@127.0.0.1:5432/test]
import { randomUUID, randomUUIDv7 } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { InteractionStore, type Interaction } from '../src/interactions/index.ts';
import { TenantStore } from '../src/tenancy/index.ts';
import { openBenchStorage } from './support/storage.ts';
import { integerFlag } from './support/flags.ts';

const { values: flags } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'database-url': { type: 'string', default: 'postgres://root@127.0.0.1:5432/test' },
  },
});
const N = integerFlag('records', flags.records);
const BATCH = integerFlag('batch', flags.batch);
const DIALECTS = flags.dialects.split(',').map((d) => d.trim()) as ('sqlite' | 'postgres')[];
const KINDS = { v4: randomUUID, v7: randomUUIDv7 } as const;
const START = Date.UTC(2026, 2, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** An answered call that arrived `k` seconds after START: IVR, queue and talk segments. */
function record(id: string, k: number): Interaction {
  const at = START + k * 1000;
  const seg = (seq: number, kind: 'ivr' | 'queue' | 'talk', from: number, to: number) => ({
    seq, kind, agentId: kind === 'talk' ? `a${k % 1000}` : null, queueId: kind === 'ivr' ? null : `q${k % 200}`,
    startedAt: iso(from), endedAt: iso(to), outcome: null, data: null,
  });
  return {
    id, channel: 'voice', direction: 'inbound', customerAddress: `+1212${String(k % 250_000).padStart(8, '0')}`, customerId: null, dialled: '8001',
    flowId: 'flow', language: 'en', queueId: `q${k % 200}`, agentId: `a${k % 1000}`, arrivedAt: iso(at), ivrEnteredAt: iso(at), ivrLeftAt: iso(at + 10_000),
    queuedAt: iso(at + 10_000), firstOfferedAt: iso(at + 20_000), answeredAt: iso(at + 25_000), endedAt: iso(at + 200_000), wrapUpEndedAt: iso(at + 230_000),
    outcome: 'answered', endedBy: 'customer', offers: 1, transfers: 0, holds: 0, holdMs: 0, disposition: 'sale', notes: null, recordingId: null, ivrPath: [],
    segments: [seg(1, 'ivr', at, at + 10_000), seg(2, 'queue', at + 10_000, at + 25_000), seg(3, 'talk', at + 25_000, at + 200_000)],
  };
}

/** Stores N records with ids of one kind into a fresh database; ms for all of them and for the second half. */
async function load(dialect: 'sqlite' | 'postgres', kind: keyof typeof KINDS): Promise<{ all: number; secondHalf: number; secondHalfRecords: number }> {
  const { storage, cleanup } = await openBenchStorage(dialect, 'row_ids', flags['database-url']);
  try {
    const tenantId = (await new TenantStore(storage.db).create({ slug: 'bench', name: 'Bench', timeZone: 'UTC' }, new Date(START))).id;
    const store = new InteractionStore(storage.db);
    const id = KINDS[kind];
    let all = 0;
    let secondHalf = 0;
    let secondHalfRecords = 0;
    for (let i = 0; i < N; i += BATCH) {
      const batch: Interaction[] = [];
      for (let k = i; k < Math.min(N, i + BATCH); k++) batch.push(record(id(), k));
      const t0 = performance.now();
      await store.insertMany(tenantId, batch);
      const ms = performance.now() - t0;
      all += ms;
      if (i >= N / 2) {
        secondHalf += ms;
        secondHalfRecords += batch.length;
      }
    }
    return { all, secondHalf, secondHalfRecords };
  } finally {
    await cleanup();
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rate = (records: number, ms: number) => records / (ms / 1000);

console.log(`row ids: ${fmt(N)} interaction records with 3 segments each, batches of ${fmt(BATCH)}, a fresh database per run`);
console.log('| database | v4 (random) records/s | v7 (time-ordered) records/s | v7 / v4 | second half: v4 | v7 | v7 / v4 |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const d of DIALECTS) {
  const v4 = await load(d, 'v4');
  const v7 = await load(d, 'v7');
  const half = (ms: number) => rate(v4.secondHalfRecords, ms);
  console.log(`| ${d} | ${fmt(rate(N, v4.all))} | ${fmt(rate(N, v7.all))} | ${fmt(v4.all / v7.all, 2)} | ${fmt(half(v4.secondHalf))} | ${fmt(half(v7.secondHalf))} | ${fmt(v4.secondHalf / v7.secondHalf, 2)} |`);
}
