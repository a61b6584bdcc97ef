// Internal events -> what a browser may see. Only listed events go out, as ids and the facts a
// screen needs, to the sockets entitled to them: account changes to holders of the permission; an
// agent's own state, offers, calls, wrap-ups and tasks to that agent; every agent's state and work,
// a queue's new wallboard figures and closed interactions to supervisors. Messages for one agent (or
// one queue) leave in the order of their events.
import type { AnalyticsEvents } from '../analytics/index.ts';
import type { AuthEvents, Permission } from '../auth/index.ts';
import type { Desktop, WorkChange } from '../desktop/index.ts';
import type { EventSubscriber } from '../kernel/index.ts';
import type { RoutingEvents } from '../routing/index.ts';
import type { BrowserMessage, WsHub } from './ws-hub.ts';

type Projection = { [K in keyof AuthEvents]?: (p: AuthEvents[K]) => { message: BrowserMessage; permission: Permission } };

const PROJECTIONS: Projection = {
  UserCreated: (p) => ({ message: { type: 'user.changed', userId: p.userId }, permission: 'users.read' }),
  UserUpdated: (p) => ({ message: { type: 'user.changed', userId: p.userId }, permission: 'users.read' }),
  UserDisabled: (p) => ({ message: { type: 'user.changed', userId: p.userId }, permission: 'users.read' }),
  UserEnabled: (p) => ({ message: { type: 'user.changed', userId: p.userId }, permission: 'users.read' }),
  TeamCreated: (p) => ({ message: { type: 'team.changed', teamId: p.teamId }, permission: 'teams.read' }),
  TeamUpdated: (p) => ({ message: { type: 'team.changed', teamId: p.teamId }, permission: 'teams.read' }),
  TeamDeleted: (p) => ({ message: { type: 'team.changed', teamId: p.teamId }, permission: 'teams.read' }),
};

const AGENT: Permission = 'agent.desktop';
const SUPERVISOR: Permission = 'supervisor.monitor';

export type ProjectedEvents = AuthEvents & Pick<RoutingEvents, 'AgentStateChanged'> & AnalyticsEvents;

export interface ProjectionSources {
  /** What agents are doing now and the screen-pop views (the agent desktop and supervisors). */
  desktop?: Desktop | undefined;
  /** A queue's live figures (analytics), sent to supervisors when WallboardChanged says they changed. */
  wallboard?: { queue(tenantId: string, queueId: string): Promise<unknown> } | undefined;
  log?: { error(obj: object, msg: string): void } | undefined;
}

/** Wires the bus to the hub; returns the unsubscribe function. */
export function projectToBrowser(bus: EventSubscriber<ProjectedEvents>, hub: WsHub, sources: ProjectionSources = {}): () => void {
  const offs = [
    bus.subscribe('SessionEnded', (p) => hub.closeSession(p.sessionId)),
    bus.subscribe('UserSessionsEnded', (p) => hub.closeUser(p.tenantId, p.userId)),
    ...(Object.keys(PROJECTIONS) as (keyof AuthEvents)[]).map((name) => bus.subscribe(name, (payload) => {
      const project = PROJECTIONS[name] as ((p: unknown) => { message: BrowserMessage; permission: Permission }) | undefined;
      if (!project) return;
      const { message, permission } = project(payload);
      hub.broadcast(payload.tenantId, message, permission);
    })),
    bus.subscribe('AgentStateChanged', (p) => {
      hub.send(p.tenantId, { type: 'agent.state', agentId: p.agentId, state: p.state, reason: p.reason, previous: p.previous, since: p.at }, { users: [p.agentId], usersNeed: AGENT, holders: SUPERVISOR });
    }),
  ];
  const desktop = sources.desktop;
  if (desktop) offs.push(projectWork(desktop, hub, sources.log));
  const wallboard = sources.wallboard;
  if (wallboard) {
    const chains = serialChains(sources.log);
    offs.push(bus.subscribe('WallboardChanged', (p) => {
      chains.later(`${p.tenantId}\u0000${p.queueId}`, async () => {
        hub.broadcast(p.tenantId, { type: 'wallboard.changed', queue: await wallboard.queue(p.tenantId, p.queueId) }, SUPERVISOR);
      });
    }));
  }
  return () => { for (const off of offs) off(); };
}

/** An agent's offers, calls and wrap-ups, enriched with the screen pop's facts; their work to supervisors. */
/** Work run one after another per key: a message that needs a lookup never overtakes a later one. */
function serialChains(log: ProjectionSources['log']) {
  const chains = new Map<string, Promise<void>>();
  return {
    later(key: string, work: () => Promise<void>): void {
      const next = (chains.get(key) ?? Promise.resolve()).then(work).catch((err: unknown) => log?.error({ err }, 'a browser message could not be sent'));
      chains.set(key, next);
      void next.then(() => { if (chains.get(key) === next) chains.delete(key); });
    },
  };
}

function projectWork(desktop: Desktop, hub: WsHub, log: ProjectionSources['log']): () => void {
  const chains = serialChains(log);
  const later = (tenantId: string, agentId: string, work: () => Promise<void>) => chains.later(`${tenantId}\u0000${agentId}`, work);
  const toAgent = (tenantId: string, agentId: string, message: BrowserMessage) => hub.sendToUser(tenantId, agentId, message, AGENT);
  const workToSupervisors = async (tenantId: string, agentId: string) => {
    hub.broadcast(tenantId, { type: 'agent.work', agentId, work: await desktop.workView(tenantId, agentId) }, SUPERVISOR);
  };

  return desktop.onChange((change: WorkChange) => {
    const { tenantId } = change;
    // Views are taken now, while the work is as this event left it.
    const work = new Map(change.agentIds.map((a) => [a, desktop.work(tenantId, a)]));
    for (const agentId of change.agentIds) {
      const w = work.get(agentId)!;
      later(tenantId, agentId, async () => {
        const message = await agentMessage(desktop, change, agentId, w);
        if (message) toAgent(tenantId, agentId, message);
        if (change.name === 'InteractionClosed') return;
        await workToSupervisors(tenantId, agentId);
      });
    }
    if (change.name === 'InteractionClosed') {
      const e = change.payload as WorkChange<'InteractionClosed'>['payload'];
      hub.broadcast(tenantId, { type: 'interaction.closed', interactionId: e.interactionId, outcome: e.outcome }, SUPERVISOR);
    }
  });
}

async function agentMessage(desktop: Desktop, change: WorkChange, agentId: string, w: ReturnType<Desktop['work']>): Promise<BrowserMessage | undefined> {
  const t = change.tenantId;
  // A task's offer, acceptance or end: the agent's task offers and tasks as they are now, with their tickets.
  if (change.task && ['OfferCreated', 'OfferAccepted', 'OfferDeclined', 'ContactEnded'].includes(change.name)) {
    return { type: 'tasks.changed', ...await desktop.taskViews(t, w) };
  }
  switch (change.name) {
    case 'OfferCreated': {
      const e = change.payload as WorkChange<'OfferCreated'>['payload'];
      return { type: 'offer.created', offer: await desktop.offerView(t, { offerId: e.offerId, contactId: e.contactId, queueId: e.queueId, at: e.at }) };
    }
    case 'OfferAccepted': {
      const e = change.payload as WorkChange<'OfferAccepted'>['payload'];
      return { type: 'offer.ended', offerId: e.offerId, contactId: e.contactId, reason: 'accepted' };
    }
    case 'OfferDeclined': {
      const e = change.payload as WorkChange<'OfferDeclined'>['payload'];
      return { type: 'offer.ended', offerId: e.offerId, contactId: e.contactId, reason: e.reason };
    }
    case 'CallConnected': {
      const e = change.payload as WorkChange<'CallConnected'>['payload'];
      if (e.agentId !== agentId || w.call?.callId !== e.callId) return { type: 'call.ended', callId: e.callId, endedBy: 'transfer' };
      return { type: 'call.connected', call: await desktop.callView(t, w.call) };
    }
    case 'CallHeld':
    case 'CallResumed': {
      const e = change.payload as WorkChange<'CallHeld'>['payload'];
      return { type: change.name === 'CallHeld' ? 'call.held' : 'call.resumed', callId: e.callId, at: e.at };
    }
    case 'CallTransferred': {
      const e = change.payload as WorkChange<'CallTransferred'>['payload'];
      return { type: 'call.transferred', callId: e.callId, target: e.target, mode: e.mode };
    }
    case 'CallEnded': {
      const e = change.payload as WorkChange<'CallEnded'>['payload'];
      return { type: 'call.ended', callId: e.callId, endedBy: e.endedBy };
    }
    case 'WrapUpStarted': {
      const e = change.payload as WorkChange<'WrapUpStarted'>['payload'];
      const wrapUp = w.wrapUp?.contactId === e.contactId ? w.wrapUp : { contactId: e.contactId, queueId: null, startedAt: e.at };
      return { type: 'wrapup.started', wrapUp: await desktop.wrapUpView(t, wrapUp) };
    }
    case 'WrapUpEnded': {
      const e = change.payload as WorkChange<'WrapUpEnded'>['payload'];
      return { type: 'wrapup.ended', contactId: e.contactId, disposition: e.disposition };
    }
    case 'InteractionClosed': {
      const e = change.payload as WorkChange<'InteractionClosed'>['payload'];
      return { type: 'interaction.closed', interactionId: e.interactionId, outcome: e.outcome };
    }
    case 'IvrLeft':
      return { type: 'work.changed', work: await desktop.workView(t, agentId) };
    default:
      return undefined;
  }
}
