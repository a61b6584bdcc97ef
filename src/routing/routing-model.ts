// The ACD's vocabulary: channels, agent states, queues, contacts, the decisions the routing core
// returns, and the checks every implementation applies to its input (see README.md for the rules).
import { DomainError } from '../kernel/index.ts';

export const CHANNELS = ['voice', 'chat', 'email', 'message', 'task'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Concurrent contacts per channel an agent takes when their profile names none. */
export const DEFAULT_CAPACITY: Readonly<Record<Channel, number>> = { voice: 1, chat: 0, email: 0, message: 0, task: 0 };

/**
 * Channels whose contacts an agent holds alongside other work until they release them (a ticket):
 * accepting one never makes the agent Busy while they have room, releasing one starts no wrap-up,
 * and holding one does not hold back a change of state.
 */
export const BACKGROUND_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['task']);

/** A count per channel, every channel at `value`. */
export function perChannel(value: number): Record<Channel, number> {
  return Object.fromEntries(CHANNELS.map((ch) => [ch, value])) as Record<Channel, number>;
}

/** Offline -> (login) NotReady | Available | Busy | AfterCallWork, set by the wrapper; the core never changes a state itself. */
export const AGENT_STATES = {
  Offline: 'Offline',
  Available: 'Available',
  Busy: 'Busy',
  AfterCallWork: 'AfterCallWork',
  NotReady: 'NotReady',
} as const;
export type AgentState = (typeof AGENT_STATES)[keyof typeof AGENT_STATES];

export const ROUTING_STRATEGIES = {
  LongestIdle: 'longest-idle',
  LeastOccupied: 'least-occupied',
  RoundRobin: 'round-robin',
} as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[keyof typeof ROUTING_STRATEGIES];

/** Proficiencies and minimums are integers on this scale. */
export const PROFICIENCY = { min: 1, max: 5 } as const;

export interface SkillRequirement {
  skill: string;
  minProficiency: number;
}

/** Applied once a contact has waited `afterSeconds` in its queue: `drop` first, then `lower` (which only touches skills still required). */
export interface RelaxationStep {
  afterSeconds: number;
  drop?: readonly string[] | undefined;
  lower?: readonly SkillRequirement[] | undefined;
}

export type OverflowTarget =
  | { kind: 'queue'; queueId: string }
  | { kind: 'voicemail' }
  | { kind: 'callback' }
  | { kind: 'hangup' };

export interface Queue {
  id: string;
  /** Higher is served first. Integer. */
  priority: number;
  strategy: RoutingStrategy;
  requirements: readonly SkillRequirement[];
  /** In order of non-decreasing `afterSeconds`; applied cumulatively. */
  relaxation: readonly RelaxationStep[];
  /** Every this many seconds of total wait adds 1 to a contact's rank. Absent: no aging. */
  agingSecondsPerLevel?: number | undefined;
  /** A waiting contact that has spent this long in this queue overflows at the next tick. */
  maxWaitSeconds?: number | undefined;
  overflow?: OverflowTarget | undefined;
}

export interface Agent {
  id: string;
  /** Skill name -> proficiency 1..5; languages are ordinary skills such as 'lang:cmn'. */
  skills: Readonly<Record<string, number>>;
  /** Concurrent contacts per channel; absent channels: DEFAULT_CAPACITY (voice 1, others 0). */
  capacity: Readonly<Partial<Record<Channel, number>>>;
}

export interface Contact {
  id: string;
  queueId: string;
  channel: Channel;
  /** Epoch ms when the customer started waiting; kept across re-offers and overflow. */
  enqueuedAt: number;
  /** Added to the queue's priority. Integer, default 0. */
  priority?: number | undefined;
  /** Extra requirements (from the IVR, e.g. a language); the queue's relaxation steps apply to them too. */
  requirements?: readonly SkillRequirement[] | undefined;
}

export type RoutingDecision =
  | { type: 'offer'; contactId: string; agentId: string; queueId: string }
  | { type: 'overflow'; contactId: string; queueId: string; target: OverflowTarget };

export interface AgentStatus {
  id: string;
  skills: Record<string, number>;
  capacity: Record<Channel, number>;
  state: AgentState;
  /** Only for NotReady ('break', 'lunch', 'training', 'missed', …). */
  reason: string | null;
  stateSince: number;
  /** While Available: the start of Available, or the end of its last contact since. Otherwise null. */
  idleSince: number | null;
  /** Contacts offered or assigned and not yet ended, per channel. */
  load: Record<Channel, number>;
  /** Offers accepted, ever. */
  handled: number;
  /** Time in Busy or AfterCallWork since login, up to `stateSince` (the current state's time is not included). */
  busyMs: number;
  /** Time in Available since login, up to `stateSince`. */
  availableMs: number;
  /** Contact ids, sorted. */
  offered: string[];
  assigned: string[];
}

export const CONTACT_STATUSES = { Waiting: 'waiting', Offered: 'offered', Assigned: 'assigned' } as const;
export type ContactStatusKind = (typeof CONTACT_STATUSES)[keyof typeof CONTACT_STATUSES];

export interface ContactStatus {
  id: string;
  /** The queue it waits in (for an assigned contact: the queue it was offered from). */
  queueId: string;
  channel: Channel;
  enqueuedAt: number;
  /** When it entered its current queue: `enqueuedAt` at enqueue, the moment of the move after an overflow. */
  queuedAt: number;
  priority: number;
  requirements: SkillRequirement[];
  status: ContactStatusKind;
  agentId: string | null;
}

export interface QueueStats {
  /** Contacts waiting, not counting those being offered. */
  waiting: number;
  /** now - the earliest `enqueuedAt` among waiting contacts; 0 when none waits. */
  longestWaitMs: number;
  /** Contacts currently offered to an agent. */
  offered: number;
}

/**
 * The routing decision core: no I/O, no timers, no clock. Every mutation takes `now` (epoch ms,
 * integer; an earlier `now` than one already seen counts as the latest seen) and returns what to
 * do. Invalid calls (unknown ids, duplicates, out-of-range fields, an operation the contact's
 * status does not allow) throw a RoutingError and change nothing.
 */
export interface ContactDistributor {
  upsertQueue(queue: Queue, now: number): RoutingDecision[];
  removeQueue(queueId: string, now: number): RoutingDecision[];
  upsertAgent(agent: Agent, now: number): RoutingDecision[];
  removeAgent(agentId: string, now: number): RoutingDecision[];
  setAgentState(agentId: string, state: AgentState, now: number, reason?: string): RoutingDecision[];
  enqueue(contact: Contact, now: number): RoutingDecision[];
  /** A contact the agent had accepted before a restart: theirs again, their capacity taken, never offered. */
  restoreAssigned(contact: Contact, agentId: string, now: number): RoutingDecision[];
  remove(contactId: string, now: number): RoutingDecision[];
  offerAccepted(contactId: string, now: number): RoutingDecision[];
  offerDeclined(contactId: string, now: number): RoutingDecision[];
  contactEnded(contactId: string, now: number): RoutingDecision[];
  tick(now: number): RoutingDecision[];
  agent(agentId: string): AgentStatus | undefined;
  contact(contactId: string): ContactStatus | undefined;
  /** Waiting contact ids of the queue, best rank first. */
  waiting(queueId: string, now: number): string[];
  /** 1 + the waiting contacts of its queue that rank ahead of it; 0 while offered or assigned. */
  position(contactId: string, now: number): number;
  queueStats(queueId: string, now: number): QueueStats;
  agentsByState(): Record<AgentState, number>;
}

export const ROUTING_ERROR_CODES = {
  Invalid: 'SB_ROUTING_INVALID',
  UnknownAgent: 'SB_ROUTING_UNKNOWN_AGENT',
  UnknownQueue: 'SB_ROUTING_UNKNOWN_QUEUE',
  UnknownContact: 'SB_ROUTING_UNKNOWN_CONTACT',
  ContactExists: 'SB_ROUTING_CONTACT_EXISTS',
  ContactState: 'SB_ROUTING_CONTACT_STATE',
  AgentHasContacts: 'SB_ROUTING_AGENT_HAS_CONTACTS',
  QueueInUse: 'SB_ROUTING_QUEUE_IN_USE',
} as const;
export type RoutingErrorCode = (typeof ROUTING_ERROR_CODES)[keyof typeof ROUTING_ERROR_CODES];

const STATUS_OF: Record<RoutingErrorCode, number> = {
  SB_ROUTING_INVALID: 400,
  SB_ROUTING_UNKNOWN_AGENT: 404,
  SB_ROUTING_UNKNOWN_QUEUE: 404,
  SB_ROUTING_UNKNOWN_CONTACT: 404,
  SB_ROUTING_CONTACT_EXISTS: 409,
  SB_ROUTING_CONTACT_STATE: 409,
  SB_ROUTING_AGENT_HAS_CONTACTS: 409,
  SB_ROUTING_QUEUE_IN_USE: 409,
};

/** A call the routing core refuses: a programming error of its caller. */
export class RoutingError extends DomainError {
  override readonly code: RoutingErrorCode;

  constructor(code: RoutingErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, STATUS_OF[code], message, details);
    this.name = 'RoutingError';
    this.code = code;
  }
}

const invalid = (field: string, message: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.Invalid, `${field}: ${message}`, { field });

const AGENT_STATE_SET: ReadonlySet<string> = new Set(Object.values(AGENT_STATES));
const STRATEGY_SET: ReadonlySet<string> = new Set(Object.values(ROUTING_STRATEGIES));
const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);
const OVERFLOW_KINDS: ReadonlySet<string> = new Set(['queue', 'voicemail', 'callback', 'hangup']);

function checkId(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid(field, 'must be a non-empty string');
  return v;
}

function checkInteger(field: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw invalid(field, `must be an integer in ${min}..${max}`);
  return v;
}

function checkProficiency(field: string, v: unknown): number {
  return checkInteger(field, v, PROFICIENCY.min, PROFICIENCY.max);
}

/** A time in epoch ms: a safe integer. */
export function checkTime(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(field, 'must be an integer number of milliseconds');
  return v;
}

/** Requirements merged by skill (the higher minimum wins) and sorted by skill name. */
export function checkRequirements(field: string, list: unknown): SkillRequirement[] {
  if (!Array.isArray(list)) throw invalid(field, 'must be an array');
  const merged = new Map<string, number>();
  list.forEach((r: unknown, i) => {
    if (typeof r !== 'object' || r === null) throw invalid(`${field}.${i}`, 'must be a requirement');
    const { skill, minProficiency } = r as Record<string, unknown>;
    const name = checkId(`${field}.${i}.skill`, skill);
    const min = checkProficiency(`${field}.${i}.minProficiency`, minProficiency);
    merged.set(name, Math.max(merged.get(name) ?? 0, min));
  });
  return [...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([skill, minProficiency]) => ({ skill, minProficiency }));
}

export interface CheckedQueue {
  id: string;
  priority: number;
  strategy: RoutingStrategy;
  requirements: SkillRequirement[];
  relaxation: { afterSeconds: number; drop: string[]; lower: SkillRequirement[] }[];
  agingSecondsPerLevel: number | undefined;
  maxWaitSeconds: number | undefined;
  overflow: OverflowTarget | undefined;
}

/** Validates a queue; an overflow target queue must exist already and not be the queue itself. */
export function checkQueue(q: Queue, queueExists: (id: string) => boolean): CheckedQueue {
  if (typeof q !== 'object' || q === null) throw invalid('queue', 'must be an object');
  const id = checkId('queue.id', q.id);
  const priority = checkInteger('queue.priority', q.priority, Number.MIN_SAFE_INTEGER);
  if (!STRATEGY_SET.has(q.strategy)) throw invalid('queue.strategy', `must be one of ${[...STRATEGY_SET].join(', ')}`);
  const requirements = checkRequirements('queue.requirements', q.requirements);
  if (!Array.isArray(q.relaxation)) throw invalid('queue.relaxation', 'must be an array');
  let previous = 0;
  const relaxation = q.relaxation.map((s, i) => {
    const afterSeconds = checkInteger(`queue.relaxation.${i}.afterSeconds`, s.afterSeconds, 0);
    if (afterSeconds < previous) throw invalid(`queue.relaxation.${i}.afterSeconds`, 'steps must come in order of afterSeconds');
    previous = afterSeconds;
    const drop = s.drop ?? [];
    if (!Array.isArray(drop)) throw invalid(`queue.relaxation.${i}.drop`, 'must be an array');
    return {
      afterSeconds,
      drop: drop.map((d, j) => checkId(`queue.relaxation.${i}.drop.${j}`, d)),
      lower: checkRequirements(`queue.relaxation.${i}.lower`, s.lower ?? []),
    };
  });
  const agingSecondsPerLevel = q.agingSecondsPerLevel === undefined ? undefined : checkInteger('queue.agingSecondsPerLevel', q.agingSecondsPerLevel, 1);
  const maxWaitSeconds = q.maxWaitSeconds === undefined ? undefined : checkInteger('queue.maxWaitSeconds', q.maxWaitSeconds, 1);
  let overflow: OverflowTarget | undefined;
  if (q.overflow !== undefined) {
    const o = q.overflow as { kind?: unknown; queueId?: unknown };
    if (typeof o !== 'object' || o === null || typeof o.kind !== 'string' || !OVERFLOW_KINDS.has(o.kind)) {
      throw invalid('queue.overflow.kind', 'must be queue, voicemail, callback or hangup');
    }
    if (o.kind === 'queue') {
      const target = checkId('queue.overflow.queueId', o.queueId);
      if (target === id) throw invalid('queue.overflow.queueId', 'a queue cannot overflow into itself');
      if (!queueExists(target)) throw new RoutingError(ROUTING_ERROR_CODES.UnknownQueue, `overflow target queue ${target} does not exist`, { queueId: target });
      overflow = { kind: 'queue', queueId: target };
    } else {
      overflow = { kind: o.kind as 'voicemail' | 'callback' | 'hangup' };
    }
  }
  return { id, priority, strategy: q.strategy, requirements, relaxation, agingSecondsPerLevel, maxWaitSeconds, overflow };
}

export interface CheckedAgent {
  id: string;
  skills: Record<string, number>;
  capacity: Record<Channel, number>;
}

export function checkAgent(a: Agent): CheckedAgent {
  if (typeof a !== 'object' || a === null) throw invalid('agent', 'must be an object');
  const id = checkId('agent.id', a.id);
  if (typeof a.skills !== 'object' || a.skills === null) throw invalid('agent.skills', 'must be an object');
  const skills: Record<string, number> = {};
  for (const name of Object.keys(a.skills).sort()) skills[checkId('agent.skills', name)] = checkProficiency(`agent.skills.${name}`, a.skills[name]);
  if (typeof a.capacity !== 'object' || a.capacity === null) throw invalid('agent.capacity', 'must be an object');
  for (const k of Object.keys(a.capacity)) if (!CHANNEL_SET.has(k)) throw invalid(`agent.capacity.${k}`, 'is not a channel');
  const capacity = { ...DEFAULT_CAPACITY };
  for (const ch of CHANNELS) {
    const v = a.capacity[ch];
    if (v !== undefined) capacity[ch] = checkInteger(`agent.capacity.${ch}`, v, 0, 1000);
  }
  return { id, skills, capacity };
}

export interface CheckedContact {
  id: string;
  queueId: string;
  channel: Channel;
  enqueuedAt: number;
  priority: number;
  requirements: SkillRequirement[];
}

/** Validates a contact's fields; `enqueuedAt` may not lie after `now`. */
export function checkContact(c: Contact, now: number): CheckedContact {
  if (typeof c !== 'object' || c === null) throw invalid('contact', 'must be an object');
  const id = checkId('contact.id', c.id);
  const queueId = checkId('contact.queueId', c.queueId);
  if (!CHANNEL_SET.has(c.channel)) throw invalid('contact.channel', `must be one of ${CHANNELS.join(', ')}`);
  const enqueuedAt = checkTime('contact.enqueuedAt', c.enqueuedAt);
  if (enqueuedAt > now) throw invalid('contact.enqueuedAt', 'lies in the future');
  const priority = c.priority === undefined ? 0 : checkInteger('contact.priority', c.priority, Number.MIN_SAFE_INTEGER);
  const requirements = checkRequirements('contact.requirements', c.requirements ?? []);
  return { id, queueId, channel: c.channel, enqueuedAt, priority, requirements };
}

export function checkAgentState(state: unknown, reason: unknown): { state: AgentState; reason: string | null } {
  if (typeof state !== 'string' || !AGENT_STATE_SET.has(state)) throw invalid('state', `must be one of ${[...AGENT_STATE_SET].join(', ')}`);
  if (state !== AGENT_STATES.NotReady) return { state: state as AgentState, reason: null };
  return { state: AGENT_STATES.NotReady, reason: checkId('reason', reason) };
}

export const unknownAgent = (id: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.UnknownAgent, `agent ${id} is not known`, { agentId: id });
export const unknownQueue = (id: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.UnknownQueue, `queue ${id} is not known`, { queueId: id });
export const unknownContact = (id: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.UnknownContact, `contact ${id} is not known`, { contactId: id });
export const contactExists = (id: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.ContactExists, `contact ${id} is already present`, { contactId: id });
export const contactState = (id: string, status: ContactStatusKind, wanted: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.ContactState, `contact ${id} is ${status}, not ${wanted}`, { contactId: id, status });
export const agentHasContacts = (id: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.AgentHasContacts, `agent ${id} still has offered or assigned contacts`, { agentId: id });
export const queueInUse = (id: string, by: string): RoutingError =>
  new RoutingError(ROUTING_ERROR_CODES.QueueInUse, `queue ${id} is the overflow target of queue ${by}`, { queueId: id, overflowFrom: by });
