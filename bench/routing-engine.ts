// ACD routing decisions per second: RoutingCore (indexed) against ReferenceMatcher (brute force)
// on the same seeded contact center and the same stream of events. A center of agents with 1–5
// skills, queues requiring 1–3 skills with relaxation steps, aging, max waits and overflow, and
// waiting contacts loaded while every agent is NotReady; then agents go Available and NotReady,
// offers are accepted and declined, contacts end, arrive and abandon, and a tick runs each
// `--tick-ms` of simulated time. Every decision of the reference must equal the core's (it runs the
// first `--reference-events` events of the same stream); the run stops with an error otherwise.
// Targets: p99 ≤ 5 ms per event for the core, ≥ 20× the reference's rate. Figures only, no limits.
// Run: node bench/routing-engine.ts [--agents 10000 --queues 5000 --contacts 100000 --skills 20
//      --events 20000 --reference-events 2000 --seed 1 --tick-ms 1000 --gap-ms 7]
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { integerFlag } from './support/flags.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  ReferenceMatcher, RoutingCore, type Agent, type Channel, type Contact, type ContactDistributor, type OverflowTarget, type Queue,
  type RelaxationStep, type RoutingDecision, type RoutingStrategy, type SkillRequirement,
} from '../src/routing/index.ts';

const { values: flags } = parseArgs({
  options: {
    agents: { type: 'string', default: '10000' },
    queues: { type: 'string', default: '5000' },
    contacts: { type: 'string', default: '100000' },
    skills: { type: 'string', default: '20' },
    events: { type: 'string', default: '20000' },
    'reference-events': { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    'tick-ms': { type: 'string', default: '1000' },
    'gap-ms': { type: 'string', default: '7' },
  },
});
const num = (name: keyof typeof flags): number => integerFlag(name, flags[name], 0);
const AGENTS = num('agents');
const QUEUES = Math.max(1, num('queues'));
const CONTACTS = num('contacts');
const SKILLS = Math.max(1, num('skills'));
const EVENTS = num('events');
const REFERENCE_EVENTS = Math.min(EVENTS, num('reference-events'));
const SEED = num('seed');
const TICK_MS = Math.max(1, num('tick-ms'));
const GAP_MS = num('gap-ms');
const T0 = Date.UTC(2026, 0, 1, 9);
const S = 1000;

/** The seeded center and the event stream's random choices; the same seed gives the same center and stream. */
class Dice {
  readonly #rng;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  int(min: number, max: number): number {
    return uniformInt(this.#rng, min, max);
  }

  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)]!;
  }

  /** `n` distinct items of `list`. */
  some<T>(list: readonly T[], n: number): T[] {
    const copy = [...list];
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }
}

const LANGUAGES = ['lang:eng', 'lang:cmn', 'lang:yue'];
const skillNames = Array.from({ length: SKILLS }, (_, i) => LANGUAGES[i] ?? `skill-${String(i).padStart(2, '0')}`);
const languages = skillNames.filter((s) => s.startsWith('lang:'));
const STRATEGIES: RoutingStrategy[] = ['longest-idle', 'least-occupied', 'round-robin'];
const id = (prefix: string, i: number, width: number): string => `${prefix}-${String(i).padStart(width, '0')}`;

interface Center {
  queues: Queue[];
  agents: Agent[];
  contacts: Contact[];
}

function buildCenter(dice: Dice): Center {
  const queues: Queue[] = [];
  for (let i = 0; i < QUEUES; i++) {
    const requirements: SkillRequirement[] = dice.some(skillNames, Math.min(SKILLS, dice.int(1, 3))).map((skill) => ({ skill, minProficiency: dice.int(1, 3) }));
    const relaxation: RelaxationStep[] = [];
    let after = 0;
    for (let s = dice.int(0, 2); s > 0; s--) {
      after += dice.int(15, 90);
      const target = dice.pick(requirements).skill;
      relaxation.push(dice.chance(50) ? { afterSeconds: after, drop: [target] } : { afterSeconds: after, lower: [{ skill: target, minProficiency: 1 }] });
    }
    const q: Queue = { id: id('queue', i, 4), priority: dice.int(0, 3), strategy: dice.pick(STRATEGIES), requirements, relaxation };
    if (dice.chance(50)) q.agingSecondsPerLevel = dice.int(30, 120);
    if (dice.chance(30)) {
      q.maxWaitSeconds = dice.int(120, 600);
      const kinds: OverflowTarget[] = [{ kind: 'voicemail' }, { kind: 'callback' }, { kind: 'hangup' }];
      q.overflow = i > 0 && dice.chance(60) ? { kind: 'queue', queueId: id('queue', dice.int(0, i - 1), 4) } : dice.pick(kinds);
    }
    queues.push(q);
  }
  const agents: Agent[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const skills: Record<string, number> = {};
    for (const s of dice.some(skillNames, Math.min(SKILLS, dice.int(1, 5)))) skills[s] = dice.int(1, 5);
    const capacity: Partial<Record<Channel, number>> = { voice: 1 };
    if (dice.chance(30)) capacity.chat = dice.int(1, 3);
    if (dice.chance(10)) capacity.email = dice.int(1, 2);
    if (dice.chance(10)) capacity.message = dice.int(1, 3);
    agents.push({ id: id('agent', i, 5), skills, capacity });
  }
  const contacts: Contact[] = [];
  for (let i = 0; i < CONTACTS; i++) contacts.push(newContact(dice, i, T0 - dice.int(0, 300 * S)));
  return { queues, agents, contacts };
}

function newContact(dice: Dice, i: number, enqueuedAt: number): Contact {
  const roll = dice.int(0, 99);
  const channel: Channel = roll < 70 ? 'voice' : roll < 85 ? 'chat' : roll < 95 ? 'email' : 'message';
  const c: Contact = { id: id('contact', i, 7), queueId: id('queue', dice.int(0, QUEUES - 1), 4), channel, enqueuedAt };
  if (dice.chance(10)) c.priority = dice.int(1, 2);
  if (languages.length > 0 && dice.chance(20)) c.requirements = [{ skill: dice.pick(languages), minProficiency: dice.int(1, 3) }];
  return c;
}

/** Ids with O(1) add, remove and random pick. */
class IdSet {
  readonly #items: string[] = [];
  readonly #at = new Map<string, number>();

  get size(): number {
    return this.#items.length;
  }

  add(x: string): void {
    if (this.#at.has(x)) return;
    this.#at.set(x, this.#items.length);
    this.#items.push(x);
  }

  delete(x: string): void {
    const i = this.#at.get(x);
    if (i === undefined) return;
    const last = this.#items.pop()!;
    this.#at.delete(x);
    if (last !== x) {
      this.#items[i] = last;
      this.#at.set(last, i);
    }
  }

  pick(dice: Dice): string {
    return this.#items[dice.int(0, this.#items.length - 1)]!;
  }
}

const KINDS = ['available', 'not-ready', 'accept', 'decline', 'end', 'enqueue', 'abandon', 'tick'] as const;
type Kind = (typeof KINDS)[number];
const WEIGHTS: [Kind, number][] = [['available', 18], ['not-ready', 8], ['accept', 22], ['decline', 2], ['end', 20], ['enqueue', 22], ['abandon', 8]];

interface Run {
  name: string;
  loadMs: number;
  /** Decisions of each event, as JSON. */
  decisions: string[];
  kinds: Kind[];
  latencyNs: Float64Array;
  offers: number;
  overflows: number;
  digest: string;
}

/** Loads the center into `r`, then replays `events` events of the seeded stream; returns decisions, timings and a digest of the state after `digestAt` events. */
function run(name: string, r: ContactDistributor, events: number, digestAt: number): Run {
  const dice = new Dice(SEED);
  const center = buildCenter(dice);
  const waiting = new IdSet();
  const offered = new IdSet();
  const assigned = new IdSet();
  const notReady = new IdSet();
  const available = new IdSet();
  let offers = 0;
  let overflows = 0;
  const apply = (ds: RoutingDecision[]): void => {
    for (const d of ds) {
      if (d.type === 'offer') {
        offers++;
        waiting.delete(d.contactId);
        offered.add(d.contactId);
      } else {
        overflows++;
        offered.delete(d.contactId);
        if (d.target.kind !== 'queue') waiting.delete(d.contactId);
      }
    }
  };

  const loadStart = performance.now();
  for (const q of center.queues) apply(r.upsertQueue(q, T0));
  for (const a of center.agents) {
    apply(r.upsertAgent(a, T0));
    apply(r.setAgentState(a.id, 'NotReady', T0, 'break'));
    notReady.add(a.id);
  }
  for (const c of center.contacts) {
    waiting.add(c.id);
    apply(r.enqueue(c, T0));
  }
  const loadMs = performance.now() - loadStart;
  if (offers + overflows > 0) throw new Error(`${name}: decisions while every agent was NotReady`);

  const decisions: string[] = [];
  const kinds: Kind[] = [];
  const latencyNs = new Float64Array(events);
  const totalWeight = WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let now = T0;
  let nextTick = T0 + TICK_MS;
  let nextContact = center.contacts.length;
  let digest = '';
  const digestOf = (): string => {
    const queues = center.queues.filter((_, i) => i % Math.max(1, Math.floor(QUEUES / 50)) === 0).map((q) => r.queueStats(q.id, now));
    const agents = center.agents.filter((_, i) => i % Math.max(1, Math.floor(AGENTS / 50)) === 0).map((a) => r.agent(a.id));
    return JSON.stringify({ byState: r.agentsByState(), queues, agents });
  };
  for (let i = 0; i < events; i++) {
    now += dice.int(0, 2 * GAP_MS);
    let kind: Kind = 'tick';
    if (now < nextTick) {
      let roll = dice.int(1, totalWeight);
      for (const [k, w] of WEIGHTS) {
        roll -= w;
        if (roll <= 0) { kind = k; break; }
      }
      const pool = { available: notReady, 'not-ready': available, accept: offered, decline: offered, end: assigned, abandon: waiting, enqueue: null, tick: null }[kind];
      if (pool && pool.size === 0) kind = 'enqueue';
    } else {
      nextTick += TICK_MS;
    }
    let call: () => RoutingDecision[];
    switch (kind) {
      case 'available': {
        const a = notReady.pick(dice);
        notReady.delete(a);
        available.add(a);
        call = () => r.setAgentState(a, 'Available', now);
        break;
      }
      case 'not-ready': {
        const a = available.pick(dice);
        available.delete(a);
        notReady.add(a);
        call = () => r.setAgentState(a, 'NotReady', now, 'break');
        break;
      }
      case 'accept': {
        const c = offered.pick(dice);
        offered.delete(c);
        assigned.add(c);
        call = () => r.offerAccepted(c, now);
        break;
      }
      case 'decline': {
        const c = offered.pick(dice);
        offered.delete(c);
        waiting.add(c);
        call = () => r.offerDeclined(c, now);
        break;
      }
      case 'end': {
        const c = assigned.pick(dice);
        assigned.delete(c);
        call = () => r.contactEnded(c, now);
        break;
      }
      case 'abandon': {
        const c = waiting.pick(dice);
        waiting.delete(c);
        call = () => r.remove(c, now);
        break;
      }
      case 'enqueue': {
        const c = newContact(dice, nextContact++, now - dice.int(0, 20 * S));
        waiting.add(c.id);
        call = () => r.enqueue(c, now);
        break;
      }
      case 'tick':
        call = () => r.tick(now);
        break;
    }
    const start = process.hrtime.bigint();
    const ds = call();
    latencyNs[i] = Number(process.hrtime.bigint() - start);
    apply(ds);
    decisions.push(JSON.stringify(ds));
    kinds.push(kind);
    if (i + 1 === digestAt) digest = digestOf();
  }
  return { name, loadMs, decisions, kinds, latencyNs, offers, overflows, digest };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

interface Figures { events: number; seconds: number; p50: number; p99: number; max: number }

function figures(latencyNs: Float64Array, count: number, filter?: (i: number) => boolean): Figures {
  const picked: number[] = [];
  for (let i = 0; i < count; i++) if (!filter || filter(i)) picked.push(latencyNs[i]!);
  const sorted = Float64Array.from(picked).sort();
  const seconds = picked.reduce((s, v) => s + v, 0) / 1e9;
  return { events: picked.length, seconds, p50: quantile(sorted, 0.5) / 1e6, p99: quantile(sorted, 0.99) / 1e6, max: (sorted[sorted.length - 1] ?? 0) / 1e6 };
}

const ms = (v: number): string => v.toFixed(3).padStart(9);
const rate = (f: Figures): string => Math.round(f.events / f.seconds).toLocaleString('en-US').padStart(10);
const line = (label: string, f: Figures): string =>
  `  ${label.padEnd(30)} ${String(f.events).padStart(6)} ${rate(f)} ${ms(f.p50)} ${ms(f.p99)} ${ms(f.max)}`;
const header = `  ${''.padEnd(30)} ${'events'.padStart(6)} ${'events/s'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}`;

console.log(`ACD routing: ${AGENTS} agents, ${QUEUES} queues, ${CONTACTS} waiting contacts, ${SKILLS} skills, seed ${SEED}, `
  + `tick every ${TICK_MS} ms, ~${GAP_MS} ms between events (node ${process.version}, ${availableParallelism()} CPUs)`);

const core = run('RoutingCore', new RoutingCore(), EVENTS, REFERENCE_EVENTS);
const reference = run('ReferenceMatcher', new ReferenceMatcher(), REFERENCE_EVENTS, REFERENCE_EVENTS);

for (let i = 0; i < REFERENCE_EVENTS; i++) {
  if (core.decisions[i] !== reference.decisions[i]) {
    throw new Error(`event ${i} (${core.kinds[i]}): RoutingCore decided ${core.decisions[i]}, ReferenceMatcher ${reference.decisions[i]}`);
  }
}
if (core.digest !== reference.digest) throw new Error(`after ${REFERENCE_EVENTS} events the two implementations hold different states`);

const coreAll = figures(core.latencyNs, EVENTS);
const corePrefix = figures(core.latencyNs, REFERENCE_EVENTS);
const refPrefix = figures(reference.latencyNs, REFERENCE_EVENTS);
console.log(`load: RoutingCore ${(core.loadMs / 1000).toFixed(2)} s, ReferenceMatcher ${(reference.loadMs / 1000).toFixed(2)} s`);
console.log(header);
console.log(line('RoutingCore, all events', coreAll));
console.log(line('RoutingCore, first events', corePrefix));
console.log(line('ReferenceMatcher, first events', refPrefix));
for (const k of KINDS) {
  const f = figures(core.latencyNs, EVENTS, (i) => core.kinds[i] === k);
  if (f.events > 0) console.log(line(`  core: ${k}`, f));
}
const prefixDecisions = core.decisions.slice(0, REFERENCE_EVENTS).reduce((n, d) => n + (JSON.parse(d) as unknown[]).length, 0);
console.log(`decisions: ${core.offers} offers and ${core.overflows} overflows over ${EVENTS} events; the first ${REFERENCE_EVENTS} events `
  + `(${prefixDecisions} decisions) identical in both, and so is the state after them (agents by state, 50 queues' stats, 50 agents)`);
let slowest = 0;
for (let i = 1; i < EVENTS; i++) if (core.latencyNs[i]! > core.latencyNs[slowest]!) slowest = i;
console.log(`slowest core event: #${slowest} (${core.kinds[slowest]}), ${(JSON.parse(core.decisions[slowest] ?? '[]') as unknown[]).length} decisions, `
  + `${((core.latencyNs[slowest] ?? 0) / 1e6).toFixed(3)} ms`);
console.log(`speed ratio on the same ${REFERENCE_EVENTS} events: ${(refPrefix.seconds / corePrefix.seconds).toFixed(0)}× (target ≥ 20×); `
  + `core p99 ${coreAll.p99.toFixed(3)} ms (target ≤ 5 ms)`);
