import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '../kernel/index.ts';
import {
  agentsForAsa, agentsForServiceLevel, averageSpeedOfAnswer, erlangB, erlangC, occupancy, queueMetrics, scheduledAgents, serviceLevel, trafficIntensity,
} from './erlang-c.ts';

// Independent reference: Erlang B and C straight from their defining sums, in exact rationals.
// A = p/q; every term A^k/k! is scaled by q^N·N!, so T_k = p^k · q^(N−k) · N!/k! is an integer.
function exactTerms(agents: number, p: bigint, q: bigint): { terms: bigint[] } {
  const r: bigint[] = new Array<bigint>(agents + 1);
  r[agents] = 1n; // q^(N−k)·N!/k! for k = N
  for (let k = agents; k >= 1; k--) r[k - 1] = r[k]! * q * BigInt(k);
  const terms: bigint[] = [];
  let pk = 1n;
  for (let k = 0; k <= agents; k++) {
    terms.push(pk * r[k]!);
    pk *= p;
  }
  return { terms };
}
const ratio = (num: bigint, den: bigint): number => {
  const scale = 10n ** 30n;
  return Number((num * scale) / den) / 1e30;
};
function exactErlangB(agents: number, p: bigint, q: bigint): number {
  const { terms } = exactTerms(agents, p, q);
  return ratio(terms[agents]!, terms.reduce((a, b) => a + b, 0n));
}
// (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)), with N/(N−A) = Nq/(Nq − p).
function exactErlangC(agents: number, p: bigint, q: bigint): number {
  const { terms } = exactTerms(agents, p, q);
  const n = BigInt(agents);
  const last = terms[agents]! * n * q;
  const below = terms.slice(0, agents).reduce((a, b) => a + b, 0n) * (n * q - p);
  return ratio(last, below + last);
}

// A second independent path for loads too large for exact rationals: the same sums in log space.
function logSpaceErlangC(agents: number, a: number): number {
  const logA = Math.log(a);
  const logs: number[] = [];
  let logFactorial = 0;
  for (let k = 0; k <= agents; k++) {
    if (k > 0) logFactorial += Math.log(k);
    logs.push(k * logA - logFactorial);
  }
  const logLast = logs[agents]! + Math.log(agents / (agents - a));
  const max = Math.max(...logs.slice(0, agents), logLast);
  const below = logs.slice(0, agents).reduce((s, l) => s + Math.exp(l - max), 0);
  const last = Math.exp(logLast - max);
  return last / (below + last);
}

const close = (actual: number, expected: number, relative: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
};

const fieldOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    assert.ok(isDomainError(e), `a DomainError, got ${String(e)}`);
    assert.equal(e.code, 'SB_VALIDATION');
    assert.equal(e.status, 400);
    return e.details?.['field'];
  }
  assert.fail('expected a validation error');
};

describe('Erlang C against published figures', () => {
  // The worked example of Call Centre Helper's "Erlang C Formula – Made Simple" (100 calls per 30 min,
  // AHT 180 s, 80 % within 20 s, 85 % maximum occupancy, 30 % shrinkage), as published with its results
  // in the READMEs of pyworkforce 0.1.0 (PyPI) and ErlangC 0.1.0 (CRAN): A = 10 Erlangs, P_w 0.6821182
  // with 11 agents, 14 agents (raw positions) with P_w 0.1741319, service level 0.88835, ASA
  // 7.83593701177724 s, occupancy 0.7142857, and 20 positions after shrinkage.
  test('the worked example: 100 calls per half hour, AHT 180 s, 80/20, 30 % shrinkage → 14 agents, 20 scheduled', () => {
    assert.equal(trafficIntensity(100, 1800, 180), 10);
    assert.equal(Number(erlangC(11, 10).toFixed(7)), 0.6821182);
    const s = agentsForServiceLevel(100, 180, 1800, 80, 20, { shrinkage: 0.3, maxOccupancy: 0.85 });
    assert.equal(s.erlangs, 10);
    assert.equal(s.agents, 14);
    assert.equal(s.scheduledAgents, 20);
    assert.equal(Number(s.probabilityOfWaiting.toFixed(7)), 0.1741319);
    assert.equal(Number(s.serviceLevel.toFixed(5)), 0.88835);
    close(s.asaSeconds, 7.83593701177724, 1e-13, 'ASA');
    assert.equal(Number(s.occupancy.toFixed(7)), 0.7142857);
    assert.ok(serviceLevel(13, 10, 180, 20) < 0.8, '13 agents miss 80/20');
  });

  test('Erlang B table value: 10 circuits at 5 Erlangs block 1.8385 % of calls', () => {
    assert.equal(Number((erlangB(10, 5) * 100).toFixed(4)), 1.8385);
    close(erlangB(10, 5), exactErlangB(10, 5n, 1n), 1e-13, 'B(10, 5)');
  });
});

describe('Erlang C against an exact-rational reference', () => {
  // [calls per interval, interval seconds, AHT seconds]: A = calls·AHT/interval, an exact rational.
  const loads: [number, number, number][] = [
    [100, 1800, 180], // 10 E, the worked example
    [360, 1800, 240], // 48 E, erlang.com's step-by-step example inputs (55 agents, 15 s)
    [360, 3600, 240], // 24 E
    [45, 1800, 100], // 2.5 E
    [2469, 3600, 180], // 123.45 E
    [6000, 1800, 300], // 1000 E
  ];
  for (const [calls, interval, aht] of loads) {
    const p = BigInt(calls * aht);
    const q = BigInt(interval);
    const a = (calls * aht) / interval;
    test(`A = ${a} Erlangs: P_w, service level and ASA match the defining sums`, () => {
      assert.equal(trafficIntensity(calls, interval, aht), a);
      const first = Math.floor(a) + 1;
      const agents = a >= 1000 ? [first, first + 30, first + 60, first + 120] : Array.from({ length: 25 }, (_, i) => first + i);
      for (const n of agents) {
        const pw = exactErlangC(n, p, q);
        close(erlangC(n, a), pw, 1e-10, `C(${n}, ${a})`);
        close(erlangB(n, a), exactErlangB(n, p, q), 1e-10, `B(${n}, ${a})`);
        const m = queueMetrics({ callsPerInterval: calls, intervalSeconds: interval, ahtSeconds: aht, agents: n, answerWithinSeconds: 20 });
        close(m.serviceLevel, 1 - pw * Math.exp((-(n - a) * 20) / aht), 1e-12, `SL(${n})`);
        close(m.asaSeconds, (pw * aht) / (n - a), 1e-10, `ASA(${n})`);
        close(m.occupancy, a / n, 1e-15, `occupancy(${n})`);
      }
    });
  }

  test('the agents found are the smallest meeting the target, by the reference', () => {
    const cases: [number, number, number, number, number][] = [
      [100, 1800, 180, 80, 20], [100, 1800, 180, 30, 20], [360, 1800, 240, 80, 15], [360, 3600, 240, 80, 20], [45, 1800, 100, 90, 10], [2469, 3600, 180, 95, 30], [2469, 3600, 180, 50, 0],
    ];
    for (const [calls, interval, aht, percent, secs] of cases) {
      const a = (calls * aht) / interval;
      const p = BigInt(calls * aht);
      const q = BigInt(interval);
      const slExact = (n: number): number => (n <= a ? 0 : 1 - exactErlangC(n, p, q) * Math.exp((-(n - a) * secs) / aht));
      const { agents } = agentsForServiceLevel(calls, aht, interval, percent, secs);
      assert.ok(slExact(agents) >= percent / 100, `${agents} agents meet ${percent}/${secs} at ${a} E`);
      assert.ok(slExact(agents - 1) < percent / 100, `${agents - 1} agents do not`);
    }
    // 360 calls an hour at AHT 240 s (24 E) needs 29 for 80/20: 28 answer only 76.1 %.
    assert.equal(agentsForServiceLevel(360, 240, 3600, 80, 20).agents, 29);
    assert.equal(Number((serviceLevel(28, 24, 240, 20) * 100).toFixed(1)), 76.1);
  });

  test('the agents for an ASA target are the smallest whose ASA is at most the target', () => {
    // A = 10: ASA 40.4 s with 12 agents, 17.1 s with 13.
    const s = agentsForAsa(100, 180, 1800, 20);
    assert.equal(s.agents, 13);
    close(s.asaSeconds, (exactErlangC(13, 10n, 1n) * 180) / 3, 1e-10, 'ASA(13)');
    assert.ok(averageSpeedOfAnswer(12, 10, 180) > 20);
    assert.equal(agentsForAsa(100, 180, 1800, 40.5).agents, 12);
    assert.equal(agentsForAsa(100, 180, 1800, 600).agents, 11, 'the first stable count when it is enough');
    const big = agentsForAsa(2469, 180, 3600, 2, { shrinkage: 0.25 });
    assert.ok((exactErlangC(big.agents, 2469n * 180n, 3600n) * 180) / (big.agents - 123.45) <= 2);
    assert.ok((exactErlangC(big.agents - 1, 2469n * 180n, 3600n) * 180) / (big.agents - 1 - 123.45) > 2);
    assert.equal(big.scheduledAgents, Math.ceil(big.agents / 0.75 - 1e-9));
  });
});

describe('Erlang C behaviour', () => {
  // Non-increasing everywhere; strictly so until P_w underflows to 0 far above the load.
  const decreasing = (next: number, prev: number, what: string): void => {
    assert.ok(next <= prev, what);
    if (prev > 1e-200) assert.ok(next < prev, what);
  };

  test('more agents: lower probability of waiting, higher service level, lower ASA, lower occupancy', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 800, noNaN: true }), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 120, noNaN: true }), (a, extra, t) => {
      const n = Math.floor(a) + 1 + extra;
      decreasing(erlangC(n + 1, a), erlangC(n, a), `P_w(${n}, ${a})`);
      assert.ok(serviceLevel(n + 1, a, 180, t) >= serviceLevel(n, a, 180, t), `SL(${n}, ${a}, ${t})`);
      decreasing(averageSpeedOfAnswer(n + 1, a, 180), averageSpeedOfAnswer(n, a, 180), `ASA(${n}, ${a})`);
      assert.ok(occupancy(n + 1, a) < occupancy(n, a));
    }));
  });

  test('more load on the same agents: a higher probability of waiting', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (n, u, v) => {
      const [lo, hi] = u < v ? [u, v] : [v, u];
      if (hi - lo < 1e-9) return;
      decreasing(erlangC(n, n * lo), erlangC(n, n * hi), `P_w(${n}) at ${n * lo} and ${n * hi} E`);
    }));
  });

  test('continuous in the load, and towards the unstable limit as A approaches N', () => {
    for (const n of [5, 50, 500]) {
      for (const u of [0.3, 0.7, 0.95]) {
        const a = n * u;
        assert.ok(Math.abs(erlangC(n, a + 1e-7) - erlangC(n, a)) < 1e-5, `C(${n}, A) at ${a}`);
        assert.ok(Math.abs(serviceLevel(n, a + 1e-7, 180, 20) - serviceLevel(n, a, 180, 20)) < 1e-5, `SL(${n}) at ${a}`);
      }
      const nearly = n - 1e-9;
      assert.ok(erlangC(n, nearly) > 1 - 1e-6, `C(${n}, ${nearly}) tends to 1`);
      assert.ok(serviceLevel(n, nearly, 180, 20) < 1e-6, 'SL tends to 0');
      assert.ok(averageSpeedOfAnswer(n, nearly, 180) > 1e9, 'ASA grows without bound');
    }
  });

  test('an unstable queue (N ≤ A) waits for sure, answers nothing in time and never catches up', () => {
    for (const [n, a] of [[10, 10], [9, 10], [0, 3]] as const) {
      const m = queueMetrics({ callsPerInterval: a * 10, intervalSeconds: 1800, ahtSeconds: 180, agents: n, answerWithinSeconds: 20 });
      assert.deepEqual(m, { erlangs: a, agents: n, answerWithinSeconds: 20, stable: false, probabilityOfWaiting: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 });
      assert.equal(erlangC(n, a), 1);
      assert.equal(averageSpeedOfAnswer(n, a, 180), Infinity);
    }
  });

  test('no calls: nothing waits and no agent is needed', () => {
    const m = queueMetrics({ callsPerInterval: 0, intervalSeconds: 900, ahtSeconds: 300, agents: 3, answerWithinSeconds: 20 });
    assert.deepEqual([m.stable, m.probabilityOfWaiting, m.serviceLevel, m.asaSeconds, m.occupancy], [true, 0, 1, 0, 0]);
    const s = agentsForServiceLevel(0, 300, 900, 80, 20, { shrinkage: 0.3 });
    assert.deepEqual([s.agents, s.scheduledAgents], [0, 0]);
    assert.equal(agentsForAsa(0, 300, 900, 10).agents, 0);
  });

  test('shrinkage: ceil(N / (1 − s)) without binary rounding up a whole number', () => {
    assert.equal(scheduledAgents(21, 0.3), 30);
    assert.equal(scheduledAgents(14, 0.3), 20);
    assert.equal(scheduledAgents(10, 0.2), 13);
    assert.equal(scheduledAgents(10, 0), 10);
    assert.equal(agentsForServiceLevel(100, 180, 1800, 80, 20, { shrinkage: 0.35 }).scheduledAgents, 22);
  });

  test('a maximum occupancy staffs past what the service level alone needs', () => {
    assert.equal(agentsForServiceLevel(100, 180, 1800, 80, 20, { maxOccupancy: 0.85 }).agents, 14);
    const capped = agentsForServiceLevel(100, 180, 1800, 80, 20, { maxOccupancy: 0.7 });
    assert.equal(capped.agents, 15);
    assert.ok(capped.occupancy <= 0.7);
    // 8.5 E at 85 % is exactly 10 agents.
    assert.equal(agentsForAsa(85, 180, 1800, 3600, { maxOccupancy: 0.85 }).agents, 10);
  });

  test('extreme loads: thousands of Erlangs give finite figures that agree with the log-space sums', () => {
    for (const a of [5000, 10_000]) {
      const calls = (a * 1800) / 180;
      const s = agentsForServiceLevel(calls, 180, 1800, 80, 20, { shrinkage: 0.3 });
      assert.ok(s.agents > a && s.agents < a + 4 * Math.sqrt(a), `${s.agents} agents for ${a} E`);
      for (const x of [s.probabilityOfWaiting, s.serviceLevel, s.asaSeconds, s.occupancy, s.scheduledAgents]) assert.ok(Number.isFinite(x));
      assert.ok(s.serviceLevel >= 0.8 && serviceLevel(s.agents - 1, a, 180, 20) < 0.8);
      close(s.probabilityOfWaiting, logSpaceErlangC(s.agents, a), 1e-9, `C(${s.agents}, ${a})`);
      const strict = agentsForServiceLevel(calls, 180, 1800, 99.999, 0);
      assert.ok(Number.isFinite(strict.probabilityOfWaiting) && strict.probabilityOfWaiting <= 1e-5);
      assert.ok(Number.isFinite(agentsForAsa(calls, 180, 1800, 1e-6).asaSeconds));
    }
    assert.equal(erlangB(100_000, 10), 0);
    assert.equal(erlangC(100_000, 10), 0);
    const far = erlangC(20_000, 19_999.5);
    assert.ok(far > 0 && far < 1);
  });

  test('invalid inputs are refused naming the field', () => {
    assert.equal(fieldOf(() => trafficIntensity(-1, 1800, 180)), 'callsPerInterval');
    assert.equal(fieldOf(() => trafficIntensity(Number.NaN, 1800, 180)), 'callsPerInterval');
    assert.equal(fieldOf(() => trafficIntensity(10, 0, 180)), 'intervalSeconds');
    assert.equal(fieldOf(() => trafficIntensity(10, 1800, -5)), 'ahtSeconds');
    assert.equal(fieldOf(() => trafficIntensity(10, 1800, Infinity)), 'ahtSeconds');
    assert.equal(fieldOf(() => erlangC(1.5, 1)), 'agents');
    assert.equal(fieldOf(() => erlangB(-1, 1)), 'agents');
    assert.equal(fieldOf(() => erlangC(3, -1)), 'erlangs');
    assert.equal(fieldOf(() => queueMetrics({ callsPerInterval: 1, intervalSeconds: 60, ahtSeconds: 60, agents: 2, answerWithinSeconds: -1 })), 'answerWithinSeconds');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 100, 20)), 'targetPercent');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 0, 20)), 'targetPercent');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 80, -1)), 'targetSeconds');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 80, 20, { shrinkage: 1 })), 'shrinkage');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 80, 20, { shrinkage: -0.1 })), 'shrinkage');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 80, 20, { maxOccupancy: 0 })), 'maxOccupancy');
    assert.equal(fieldOf(() => agentsForServiceLevel(100, 180, 1800, 80, 20, { maxOccupancy: 1.2 })), 'maxOccupancy');
    assert.equal(fieldOf(() => agentsForAsa(100, 180, 1800, 0)), 'targetAsaSeconds');
    assert.equal(fieldOf(() => scheduledAgents(3, 1)), 'shrinkage');
  });
});
