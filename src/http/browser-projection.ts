// Internal events -> what a browser may see. Only listed events go out, as ids, to holders of the permission.
import type { AuthEvents, Permission } from '../auth/index.ts';
import type { EventSubscriber } from '../kernel/index.ts';
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

/** Wires the bus to the hub; returns the unsubscribe function. */
export function projectToBrowser(bus: EventSubscriber<AuthEvents>, hub: WsHub): () => void {
  const offs = [
    bus.subscribe('SessionEnded', (p) => hub.closeSession(p.sessionId)),
    bus.subscribe('UserSessionsEnded', (p) => hub.closeUser(p.tenantId, p.userId)),
    ...(Object.keys(PROJECTIONS) as (keyof AuthEvents)[]).map((name) => bus.subscribe(name, (payload) => {
      const project = PROJECTIONS[name] as ((p: unknown) => { message: BrowserMessage; permission: Permission }) | undefined;
      if (!project) return;
      const { message, permission } = project(payload);
      hub.broadcast(payload.tenantId, message, permission);
    })),
  ];
  return () => { for (const off of offs) off(); };
}
