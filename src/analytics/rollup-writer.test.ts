// The rollups on a real database (every dialect), fed by the real interaction recorder from the
// events of scripted contacts: figures against hand-computed ones on New York's 23-hour DST day,
// first-contact resolution taken back by a repeat, survey scores, agent state time, idempotence,
// and rollups equal to a rebuild from the raw records.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { InteractionRecorder, InteractionStore } from '../interactions/index.ts';
import { RoutingEngine, RoutingStore } from '../routing/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { Analytics } from './analytics.ts';
import { CallScript } from './call-script.ts';
import type { ReportRow } from './reports.ts';

const ZONE = 'America/New_York';
/** Local wall time on 2026-03-08 (clocks go from 02:00 EST to 03:00 EDT) or the 9th. */
const ny = (day: 8 | 9, h: number, m: number, s = 0) => Date.UTC(2026, 2, day, h, m, s) + (day === 8 && h < 2 ? 5 : 4) * 3_600_000;

for (const dialect of testStorageTargets()) {
  describe(`rollups (${dialect})`, () => {
    let storage: Storage;
    let bus: MemoryEventBus<never>;
    let recorder: InteractionRecorder;
    let routing: RoutingEngine;
    let analytics: Analytics;
    let clock: ManualClock;
    let tenantId: string;
    let q1: string;
    let q2: string;
    const call = (id: string, at: number) => new CallScript(bus as never, tenantId, id, at);
    const settle = async () => { await recorder.settled(); await analytics.settled(); };
    const row = (rows: ReportRow[], key: string, period?: string) => rows.find((r) => r.key === key && (period === undefined || r.period === period));
    const snapshot = async () => {
      const scope = analytics.store.scope(tenantId);
      const all = [];
      for (const dimension of ['queue', 'agent', 'channel', 'did', 'disposition'] as const) {
        for (const grain of ['15m', 'day'] as const) all.push(...await scope.rollups({ grain, dimension, from: '0', to: '9' }));
      }
      const states = [...await scope.stateTime({ grain: '15m', from: '0', to: '9' }), ...await scope.stateTime({ grain: 'day', from: '0', to: '9' })];
      const key = (r: { grain: string; period: string }) => `${r.grain} ${r.period} ${JSON.stringify(r)}`;
      return { rollups: all.map(key).sort(), states: states.map(key).sort() };
    };

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(ny(8, 0, 0));
      bus = new MemoryEventBus<never>((err) => { throw err; });
      const tenants = new TenantStore(storage.db);
      tenantId = (await tenants.create({ slug: 'ny', name: 'New York', timeZone: ZONE }, new Date(clock.now()))).id;
      const interactions = new InteractionStore(storage.db);
      recorder = new InteractionRecorder({ store: interactions, bus: bus as never, log: silentLogger });
      routing = new RoutingEngine({ store: new RoutingStore(storage.db), bus: bus as never, clock, log: silentLogger });
      q1 = (await routing.saveQueue(tenantId, { name: 'Sales', settings: { serviceLevelSeconds: 20 } })).id;
      q2 = (await routing.saveQueue(tenantId, { name: 'Support', settings: { serviceLevelSeconds: 30 } })).id;
      analytics = new Analytics({
        db: storage.db, dialect: storage.dialect, interactions, acd: routing, bus: bus as never, clock, log: silentLogger,
        directory: {
          listUsers: async () => [{ id: 'A', displayName: 'Ann' }, { id: 'B', displayName: 'Bo' }],
          listTeams: async () => [{ id: 'T', name: 'Day shift', memberIds: ['A', 'B'] }, { id: 'U', name: 'Ann alone', memberIds: ['A'] }],
        },
        timeZoneOf: async () => ZONE,
      });

      // Agent states (AgentStateChanged from routing, at the clock's time).
      await routing.setAgentState(tenantId, 'A', 'Available');
      clock.advance(3_600_000);
      await routing.setAgentState(tenantId, 'A', 'NotReady', 'lunch');

      // 00:30 EST: customer X, 12 s in Sales, Ann talks 60 s (10 s on hold), 30 s wrap-up "sale".
      call('c1', ny(8, 0, 30)).arrive('+12125550001', '8000').ivr(10).queue(q1).wait(9).offer('A').wait(3).answer()
        .wait(20).hold('A', 10).wait(30).hangUp('customer', { agentId: 'A', wrapSeconds: 30, disposition: 'sale' });
      // 01:50 EST: a 3 s short abandon; 03:10 and 03:20 EDT (after the change): abandons after 25 s and 15 s.
      call('c2', ny(8, 1, 50)).arrive('+12125550002', '8000').queue(q1).wait(3).abandon();
      call('c3', ny(8, 3, 10)).arrive('+12125550003', '8000').queue(q1).wait(25).abandon();
      call('c4', ny(8, 3, 20)).arrive('+12125550004', '8000').queue(q1).wait(15).abandon();
      // 10:00 EDT: customer X again (a repeat of c1), 30 s in Sales, Bo talks 40 s and transfers to Ann, who talks 20 s.
      call('c5', ny(8, 10, 0)).arrive('+12125550001', '8001').queue(q1).wait(30).offer('B').answer().wait(40)
        .transfer('B', { agentId: 'A' }).wait(5).endWrapUp('B', 'transfer').wait(15).hangUp('agent', { agentId: 'A', wrapSeconds: 10, disposition: 'sale' });
      // 23:59:55 EDT in Support, answered after midnight by Bo.
      call('c6', ny(8, 23, 59, 50)).arrive('+12125550006', '8000').wait(5).queue(q2).wait(10).offer('B').answer().wait(50)
        .hangUp('customer', { agentId: 'B', wrapSeconds: 0 });
      // The 9th, 09:00: Sales overflows after 60 s into Support, answered 8 s later by Bo.
      call('c7', ny(9, 9, 0)).arrive('+12125550007', '8000').queue(q1).wait(60).overflow({ queueId: q2 }).wait(8).offer('B').answer().wait(100)
        .hangUp('customer', { agentId: 'B', wrapSeconds: 20, disposition: 'support' });
      await settle();
    });
    after(async () => { analytics.stop(); routing.stop(); recorder.stop(); await storage.close(); });

    test('Sales on the DST day, by hand: 5 offered less 1 short abandon, SL 1 / (2 + 2), ASA 21 s, AHT 82.5 s', async () => {
      const r = await analytics.reports.report(tenantId, { by: 'queue', grain: 'day', from: '2026-03-08', to: '2026-03-08' });
      const sales = row(r.rows, q1)!;
      assert.equal(sales.periodStart, '2026-03-08T05:00:00.000Z');
      assert.deepEqual(
        [sales.offered, sales.answered, sales.answeredInSl, sales.abandoned, sales.shortAbandoned, sales.serviceLevel, sales.asaSeconds, sales.averageAbandonSeconds],
        [4, 2, 1, 2, 1, 0.25, 21, (3 + 25 + 15) / 3],
      );
      // c1: 50 talk + 10 hold + 30 wrap; c5: Bo 40 talk + 5 wrap, Ann 20 talk + 10 wrap.
      assert.deepEqual([sales.handled, sales.ahtSeconds, sales.talkSeconds, sales.holdSeconds, sales.wrapUpSeconds, sales.transferRate], [2, 82.5, 110, 10, 45, 0.5]);
      assert.equal(sales.fcr, 0.5, 'c1 was repeated by c5 the same day; c5 stands');
      const support = row(r.rows, q2)!;
      assert.deepEqual([support.offered, support.answered, support.asaSeconds], [1, 1, 10], 'queued before midnight: counted on the 8th');
    });

    test('the service-level formulas and counting options apply when the report is read', async () => {
      const read = async () => row((await analytics.reports.report(tenantId, { by: 'queue', grain: 'day', from: '2026-03-08', to: '2026-03-08' })).rows, q1)!;
      await analytics.putSettings(tenantId, { queues: { [q1]: { formula: 'answered-of-answered-and-late-abandoned', shortAbandons: 'include' } } });
      const late = await read();
      assert.equal(late.serviceLevel, 1 / (2 + 3 - 2), 'abandons within T (the short one and the 15 s one) left out');
      assert.equal(late.offered, 5);
      await analytics.putSettings(tenantId, {});
      assert.equal((await read()).serviceLevel, 0.25);
    });

    test('intervals of the 23-hour day: 23 hour rows exist as periods, and each call sits in its local hour', async () => {
      const r = await analytics.reports.report(tenantId, { by: 'queue', grain: 'interval', intervalMinutes: 60, from: '2026-03-08', to: '2026-03-08', keys: [q1] });
      assert.equal(r.periods.length, 23);
      assert.deepEqual(r.rows.map((x) => [x.period, x.offered + x.shortAbandoned]), [
        ['2026-03-08T00:00-05:00', 1], ['2026-03-08T01:00-05:00', 1], ['2026-03-08T03:00-04:00', 2], ['2026-03-08T10:00-04:00', 1],
      ]);
      assert.equal(r.totals.length, 1);
      assert.equal(r.totals[0]!.offered, 4);
    });

    test('agents, teams (members\' rows summed), channel, DID and disposition', async () => {
      const agents = await analytics.reports.report(tenantId, { by: 'agent', grain: 'day', from: '2026-03-08', to: '2026-03-08' });
      const ann = row(agents.rows, 'A')!;
      assert.equal(ann.name, 'Ann');
      assert.deepEqual([ann.handled, ann.talkSeconds, ann.holdSeconds, ann.wrapUpSeconds, ann.offers, ann.offersAccepted], [2, 70, 10, 40, 1, 1]);
      const bo = row(agents.rows, 'B')!;
      assert.deepEqual([bo.handled, bo.transferred, bo.transferRate], [1, 1, 1], 'c6 starts for Bo after midnight, on the 9th');
      const teams = await analytics.reports.report(tenantId, { by: 'team', grain: 'day', from: '2026-03-08', to: '2026-03-08' });
      assert.equal(row(teams.rows, 'T')!.handled, 3);
      assert.equal(row(teams.rows, 'U')!.handled, 2);
      const dids = await analytics.reports.report(tenantId, { by: 'did', grain: 'day', from: '2026-03-08', to: '2026-03-08' });
      assert.deepEqual(dids.rows.map((x) => [x.key, x.contacts]).sort(), [['8000', 5], ['8001', 1]]);
      const dispositions = await analytics.reports.report(tenantId, { by: 'disposition', grain: 'day', from: '2026-03-08', to: '2026-03-08' });
      assert.deepEqual(dispositions.rows.map((x) => [x.key, x.handled]).sort(), [['', 1], ['sale', 2]]);
      const channel = row((await analytics.reports.report(tenantId, { by: 'channel', grain: 'week', from: '2026-03-08', to: '2026-03-09' })).rows, 'voice', '2026-03-02')!;
      assert.equal(channel.contacts, 6, 'the week of Monday 2 March holds Sunday the 8th only');
    });

    test('agent state time: Available then NotReady (lunch), occupancy, time per reason', async () => {
      const states = await analytics.reports.agentStates(tenantId, { grain: 'day', from: '2026-03-08', to: '2026-03-08', agentIds: ['A'] });
      const available = states.rows.find((r) => r.state === 'Available');
      assert.equal(available?.seconds, 3600);
      // Still at lunch (the open stretch counts up to now, the clock at 01:00 EST).
      assert.deepEqual(states.rows.find((r) => r.state === 'NotReady'), undefined);
      clock.advance(1_800_000);
      const later = await analytics.reports.agentStates(tenantId, { grain: 'day', from: '2026-03-08', to: '2026-03-08', agentIds: ['A'] });
      assert.deepEqual(later.rows.find((r) => r.state === 'NotReady')?.reason, 'lunch');
      assert.equal(later.rows.find((r) => r.state === 'NotReady')?.seconds, 1800);
      const ann = row((await analytics.reports.report(tenantId, { by: 'agent', grain: 'day', from: '2026-03-08', to: '2026-03-08' })).rows, 'A')!;
      assert.deepEqual([ann.availableSeconds, ann.notReadySeconds, ann.occupancy], [3600, 1800, 0]);
    });

    test('survey scores: CSAT counts 4 and 5; a second score for the same contact is refused', async () => {
      await analytics.recordSurvey(tenantId, 'c1', 5);
      await analytics.recordSurvey(tenantId, 'c5', 2);
      await assert.rejects(analytics.recordSurvey(tenantId, 'c5', 4), (e: Error & { code?: string }) => e.code === 'SB_ANALYTICS_SURVEY_EXISTS');
      await assert.rejects(analytics.recordSurvey(tenantId, 'nope', 4), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      const sales = row((await analytics.reports.report(tenantId, { by: 'queue', grain: 'day', from: '2026-03-08', to: '2026-03-08' })).rows, q1)!;
      assert.deepEqual([sales.csatResponses, sales.csat, sales.averageSurveyScore], [2, 0.5, 3.5]);
    });

    test('a contact closed twice is counted once', async () => {
      const before = await snapshot();
      bus.publish('InteractionClosed' as never, { tenantId, interactionId: 'c1', outcome: 'answered', at: new Date(ny(8, 0, 32)).toISOString() } as never);
      await settle();
      assert.deepEqual(await snapshot(), before);
    });

    test('rollups equal a rebuild from the raw records', async () => {
      const kept = await snapshot();
      assert.ok(kept.rollups.length > 20 && kept.states.length > 0);
      const result = await analytics.rebuild(tenantId, '2026-03-07', '2026-03-09');
      assert.equal(result.interactions, 7);
      assert.deepEqual(await snapshot(), kept);
    });

    test('a rebuild applies a changed threshold to history: with a 2 s short-abandon threshold c2 is an ordinary abandon', async () => {
      await analytics.putSettings(tenantId, { shortAbandonSeconds: 2 });
      await analytics.rebuild(tenantId, '2026-03-08', '2026-03-08');
      const sales = row((await analytics.reports.report(tenantId, { by: 'queue', grain: 'day', from: '2026-03-08', to: '2026-03-08' })).rows, q1)!;
      assert.deepEqual([sales.abandoned, sales.shortAbandoned, sales.csatResponses, sales.fcr], [3, 0, 2, 0.5]);
      await analytics.putSettings(tenantId, {});
      await analytics.rebuild(tenantId, '2026-03-08', '2026-03-08');
    });
  });
}
